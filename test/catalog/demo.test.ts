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
