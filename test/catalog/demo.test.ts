import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { prepareDatabase } from '../../src/app/index.js';
import { LocalFileStore } from '../../src/platform/storage/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await createTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-demo-'));
});
afterAll(async () => {
  await db?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('seeds the Ninh Thuận demo catalogue once, with real administrative-unit files', async () => {
  const files = new LocalFileStore(dir, db.db);
  await prepareDatabase(db.db, { demo: true, files });
  await prepareDatabase(db.db, { demo: true, files });
  const { rows } = await db.pool.query<{ name: string; access_level: string; shared: boolean; org: string }>(
    `select d.name, d.access_level, d.shared_db is not null as shared, o.slug as org from dataset d join organization o on o.id = d.owner_org order by d.name`,
  );
  expect(rows.filter((r) => r.name === 'don-vi-hanh-chinh-ninh-thuan')).toHaveLength(1);
  expect(rows.find((r) => r.name === 'csdl-nong-nghiep')).toMatchObject({ shared: true, org: 'so-nnptnt', access_level: 'government' });
  expect(rows.filter((r) => r.shared).length).toBe(8);
  const res = await db.pool.query<{ storage_key: string; size: number; name: string }>(
    `select r.storage_key, r.size, r.name from resource r join dataset d on d.id = r.dataset_id where d.name = 'don-vi-hanh-chinh-ninh-thuan'`,
  );
  const content = fs.readFileSync(path.join(dir, res.rows[0]!.storage_key), 'utf8');
  const lines = content.trim().split('\r\n');
  expect(lines).toHaveLength(1 + 7 + 62);
  expect(content).toContain('22738,Phường Đô Vinh');
  expect(content.normalize('NFC')).toBe(content);
});

it('loads at least five public datasets of real data into the datastore, with typed columns', async () => {
  const { rows } = await db.pool.query<{ name: string; n: number }>(
    `select d.name, count(*)::int as n from datastore_table t join resource r on r.id = t.resource_id join dataset d on d.id = r.dataset_id
      where d.access_level = 'public' and r.datastore_active group by d.name order by d.name`,
  );
  expect(rows.map((r) => r.name)).toEqual(
    expect.arrayContaining(['diem-du-lich-ninh-thuan', 'don-vi-hanh-chinh-ninh-thuan', 'pm25-ha-noi-airnow', 'sap-xep-don-vi-hanh-chinh-2025-ninh-thuan']),
  );
  expect(rows.find((r) => r.name === 'pm25-ha-noi-airnow')?.n).toBe(5);
  const pm = await db.pool.query<{ fields: { id: string; type: string }[]; row_count: number }>(
    `select t.fields, t.row_count from datastore_table t join resource r on r.id = t.resource_id where r.name = 'PM2.5 Hà Nội 2016'`,
  );
  expect(pm.rows[0]!.row_count).toBe(8784);
  expect(pm.rows[0]!.fields.find((f) => f.id === 'Date (LT)')?.type).toBe('datetime');
  const units = await db.pool.query<{ n: number }>(
    `select count(*)::int as n from datastore."${(await db.pool.query<{ id: string }>(`select r.id from resource r join dataset d on d.id = r.dataset_id where d.name = 'don-vi-hanh-chinh-ninh-thuan'`)).rows[0]!.id}"`,
  );
  expect(units.rows[0]!.n).toBe(69);
});

it('gives the sector databases of the catalogue their shared tables, made from the sector templates', async () => {
  const { rows } = await db.pool.query<{ name: string; primary_key: string[]; scope_column: string; row_count: number }>(
    `select d.name, t.primary_key, t.scope_column, t.row_count from datastore_table t join resource r on r.id = t.resource_id join dataset d on d.id = r.dataset_id
      where d.name like 'csdl-%' and r.datastore_active order by d.name`,
  );
  expect(rows.map((r) => r.name)).toEqual(['csdl-du-lich', 'csdl-giao-duc', 'csdl-giao-thong', 'csdl-nong-nghiep', 'csdl-tai-nguyen-moi-truong', 'csdl-y-te']);
  for (const r of rows) {
    expect(r.scope_column).toBe('ma_xa');
    expect(r.primary_key.length).toBeGreaterThan(0);
    expect(r.row_count).toBe(0); // empty until the sector software pushes rows
  }
});
