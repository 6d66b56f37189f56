import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import { call, type Users } from '../catalog/ckan-helpers.js';
import { openDatastoreApp, type DatastoreClient } from './helpers.js';

let t: TestApp;
let u: Users;
let ds: DatastoreClient;
beforeAll(async () => ({ t, u, ds } = await openDatastoreApp()));
afterAll(async () => t?.close());

const post = (action: string, params: Record<string, unknown>, who: Record<string, string> = u.editor) => call(t, action, params, who);

/** A datastore-only resource made by datastore_create, as sector software would start. */
async function schoolsTable(name: string, extra: Record<string, unknown> = {}) {
  const pkg = await ds.dataset(name, extra);
  const r = await post('datastore_create', {
    resource: { package_id: pkg, name: 'Trường học' },
    fields: [
      { id: 'ma_truong', type: 'text' },
      { id: 'ten', type: 'text' },
      { id: 'hoc_sinh', type: 'int' },
      { id: 'dien_tich', type: 'numeric' },
      { id: 'thanh_lap', type: 'date' },
    ],
    primary_key: 'ma_truong',
    records: [
      { ma_truong: '58001', ten: 'THPT Chu Văn An', hoc_sinh: 1250, dien_tich: '12.500,5', thanh_lap: '05/09/1976' },
      { ma_truong: '58002', ten: 'THCS Lê Hồng Phong', hoc_sinh: '980', dien_tich: 8200.25, thanh_lap: '1985-09-05' },
    ],
  });
  expect(r.status, r.raw).toBe(200);
  return r.body.result.resource_id as string;
}

describe('datastore_create, datastore_upsert and datastore_delete', () => {
  it('creates a datastore-only resource with typed fields, a primary key and rows in Vietnamese formats', async () => {
    const rid = await schoolsTable('truong-hoc');
    const show = await call(t, 'resource_show', { id: rid }, u.editor, 'GET');
    expect(show.body.result.datastore_active).toBe(true);
    const s = await ds.search({ resource_id: rid, sort: 'ma_truong' });
    expect(s.body.result.fields.map((f: { id: string; type: string }) => `${f.id}:${f.type}`)).toEqual([
      '_id:int',
      'ma_truong:text',
      'ten:text',
      'hoc_sinh:int',
      'dien_tich:numeric',
      'thanh_lap:date',
    ]);
    expect(s.body.result.records).toEqual([
      { _id: 1, ma_truong: '58001', ten: 'THPT Chu Văn An', hoc_sinh: 1250, dien_tich: 12500.5, thanh_lap: '1976-09-05' },
      { _id: 2, ma_truong: '58002', ten: 'THCS Lê Hồng Phong', hoc_sinh: 980, dien_tich: 8200.25, thanh_lap: '1985-09-05' },
    ]);
    const info = await call(t, 'datastore_info', { id: rid }, u.editor, 'GET');
    expect(info.body.result.meta.count).toBe(2);
  });

  it('upserts by the primary key (only the fields sent change), inserts, updates, and names what is wrong', async () => {
    const rid = await schoolsTable('truong-hoc-2');
    const up = await post('datastore_upsert', {
      resource_id: rid,
      records: [
        { ma_truong: '58002', hoc_sinh: 1010 },
        { ma_truong: '58003', ten: 'TH Phước Mỹ', hoc_sinh: 430 },
      ],
    });
    expect(up.status, up.raw).toBe(200);
    expect(up.body.result).toMatchObject({ method: 'upsert', inserted: 1, updated: 1 });
    const rows = (await ds.search({ resource_id: rid, sort: 'ma_truong' })).body.result.records;
    expect(rows.map((r: Record<string, unknown>) => [r.ma_truong, r.ten, r.hoc_sinh])).toEqual([
      ['58001', 'THPT Chu Văn An', 1250],
      ['58002', 'THCS Lê Hồng Phong', 1010],
      ['58003', 'TH Phước Mỹ', 430],
    ]);
    const missingKey = await post('datastore_upsert', { resource_id: rid, records: [{ ten: 'Không mã' }] });
    expect(missingKey.status).toBe(409);
    expect(missingKey.body.error.__type).toBe('Validation Error');
    expect((missingKey.body.error.records as string[])[0]).toBe('fields "ma_truong" are missing');
    const dup = await post('datastore_upsert', { resource_id: rid, method: 'insert', records: [{ ma_truong: '58001', ten: 'Trùng' }] });
    expect(dup.status).toBe(409);
    expect(dup.body.error.records).toBeDefined();
    const badValue = await post('datastore_upsert', { resource_id: rid, records: [{ ma_truong: '58004', hoc_sinh: 'nhiều' }] });
    expect(badValue.status).toBe(409);
    expect((badValue.body.error.records as string[])[0]).toBe('row 1, field "hoc_sinh": "nhiều" is not a valid bigint');
    const extra = await post('datastore_upsert', { resource_id: rid, records: [{ ma_truong: '58004', so_lop: 3 }] });
    expect((extra.body.error.records as string[])[0]).toBe('row "1" has extra keys "so_lop"');
    const ambiguous = await post('datastore_upsert', { resource_id: rid, records: [{ ma_truong: '58004', dien_tich: '1.234' }] });
    expect(ambiguous.status, '"1.234" reads 1234 or 1.234: refused, not guessed').toBe(409);
    const update = await post('datastore_upsert', { resource_id: rid, method: 'update', records: [{ ma_truong: '59999', hoc_sinh: 1 }] });
    expect(update.status).toBe(409);
    // Nothing of the refused calls was written.
    expect((await ds.search({ resource_id: rid, limit: 0 })).body.result.total).toBe(3);
  });

  it('adds a field to an existing table, and refuses to change a field’s type', async () => {
    const rid = await schoolsTable('truong-hoc-3');
    const add = await post('datastore_create', { resource_id: rid, fields: [{ id: 'xa', type: 'text' }], records: [{ ma_truong: '58010', xa: 'Phước Hậu' }] });
    expect(add.status, add.raw).toBe(200);
    expect((await ds.search({ resource_id: rid, filters: { xa: 'Phước Hậu' } })).body.result.records[0]).toMatchObject({ ma_truong: '58010' });
    const change = await post('datastore_create', { resource_id: rid, fields: [{ id: 'hoc_sinh', type: 'text' }] });
    expect(change.status).toBe(409);
    expect((change.body.error.fields as string[])[0]).toContain('already has type bigint');
    const badType = await post('datastore_create', { resource_id: rid, fields: [{ id: 'x', type: 'money' }] });
    expect((badType.body.error.fields as string[])[0]).toContain('"money" is not a valid field type');
  });

  it('deletes rows by filters, then the whole table', async () => {
    const rid = await schoolsTable('truong-hoc-4');
    const del = await post('datastore_delete', { resource_id: rid, filters: { ma_truong: '58001' } });
    expect(del.status, del.raw).toBe(200);
    expect(del.body.result).toMatchObject({ resource_id: rid, filters: { ma_truong: '58001' }, deleted: 1 });
    expect((await ds.search({ resource_id: rid })).body.result.records.map((r: { ma_truong: string }) => r.ma_truong)).toEqual(['58002']);
    expect((await post('datastore_delete', { resource_id: rid })).status).toBe(200);
    expect((await ds.search({ resource_id: rid })).status).toBe(404);
    expect((await call(t, 'resource_show', { id: rid }, u.editor, 'GET')).body.result.datastore_active).toBe(false);
  });

  it('lets only editors of the dataset write', async () => {
    const rid = await schoolsTable('truong-hoc-5');
    const rec = { resource_id: rid, records: [{ ma_truong: '58020', ten: 'X' }] };
    for (const [who, status] of [
      [{}, 403],
      [u.member, 403],
      [u.otherEditor, 403],
    ] as const) {
      expect((await post('datastore_upsert', rec, who)).status).toBe(status);
      expect((await post('datastore_delete', { resource_id: rid }, who)).status).toBe(status);
      expect((await post('datastore_create', { resource_id: rid, fields: [{ id: 'y' }] }, who)).status).toBe(status);
    }
    expect((await post('datastore_upsert', rec, u.sys)).status).toBe(200);
    expect((await ds.search({ resource_id: rid, limit: 0 }, u.member)).body.result.total).toBe(3);
  });
});

describe('the push API for sector software', () => {
  const push = (rid: string, body: unknown, key?: string, who: Record<string, string> = u.editor) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/datastore/${rid}/records`,
      headers: { ...who, ...(key ? { 'idempotency-key': key } : {}) },
      payload: body as object,
    });

  it('applies a batch once however often it is retried with the same idempotency key', async () => {
    const rid = await schoolsTable('truong-hoc-push');
    const batch = { method: 'insert', records: [{ ma_truong: '58100', ten: 'TH Văn Hải', hoc_sinh: 612 }] };
    const first = await push(rid, batch, 'lo-2026-12-02-001');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ resource_id: rid, method: 'insert', inserted: 1, updated: 0 });
    const [a, b] = await Promise.all([push(rid, batch, 'lo-2026-12-02-001'), push(rid, batch, 'lo-2026-12-02-001')]);
    for (const r of [a, b]) {
      expect(r.statusCode).toBe(200);
      expect(r.headers['idempotent-replayed']).toBe('true');
      expect(r.json()).toMatchObject({ inserted: 1, replayed: true });
    }
    expect((await ds.search({ resource_id: rid, filters: { ma_truong: '58100' } })).body.result.total).toBe(1);
    const reused = await push(rid, { ...batch, records: [{ ma_truong: '58101' }] }, 'lo-2026-12-02-001');
    expect(reused.statusCode).toBe(409);
    expect(reused.json().field).toBe('idempotency_key');
  });

  it('refuses a bad batch whole, naming the row and field, and changes nothing', async () => {
    const rid = await schoolsTable('truong-hoc-push-2');
    const r = await push(
      rid,
      {
        records: [
          { ma_truong: '58200', hoc_sinh: 5 },
          { ma_truong: '58201', thanh_lap: '31/02/2020' },
        ],
      },
      'k1',
    );
    expect(r.statusCode).toBe(409);
    expect(r.json().detail).toContain('Dòng 2, trường “thanh_lap”');
    expect((await ds.search({ resource_id: rid, limit: 0 })).body.result.total).toBe(2);
    // The key of a refused call is free: nothing was acknowledged under it.
    expect((await push(rid, { records: [{ ma_truong: '58200', hoc_sinh: 5 }] }, 'k1')).statusCode).toBe(200);
    // A value nested 10,000 deep is refused with a 409, not a stack overflow.
    const deep = `{"records":[{"ma_truong":"58202","ten":${'['.repeat(10_000)}1${']'.repeat(10_000)}}]}`;
    const nested = await t.app.inject({
      method: 'POST',
      url: `/api/v1/datastore/${rid}/records`,
      headers: { ...u.editor, 'content-type': 'application/json' },
      payload: deep,
    });
    expect(nested.statusCode).toBe(409);
    expect(nested.json().detail).toContain('Dòng 1 lồng quá 64 cấp');
    const noTable = await push('00000000-0000-4000-8000-000000000000', { records: [] });
    expect(noTable.statusCode).toBe(404);
  });
});

describe('datastore_search_sql', () => {
  let a: string;
  let b: string;
  beforeAll(async () => {
    a = await schoolsTable('sql-a');
    const pkg = await ds.dataset('sql-b');
    b = (
      await post('datastore_create', {
        resource: { package_id: pkg, name: 'Xã' },
        fields: [
          { id: 'ma_truong', type: 'text' },
          { id: 'xa', type: 'text' },
        ],
        records: [
          { ma_truong: '58001', xa: 'Phường Đô Vinh' },
          { ma_truong: '58002', xa: 'Xã Phước Hậu' },
        ],
      })
    ).body.result.resource_id as string;
  });
  const sqlq = (sql: string, who: Record<string, string> = u.editor) => call(t, 'datastore_search_sql', { sql }, who, 'GET');

  it('runs one SELECT with aggregates and joins over the tables the caller may read', async () => {
    const r = await sqlq(
      `select x.xa, sum(s.hoc_sinh) as hs, max(s.thanh_lap) as ngay from "${a}" s join "${b}" x using (ma_truong) group by x.xa order by x.xa`,
    );
    expect(r.status, r.raw).toBe(200);
    expect(r.body.result.fields).toEqual([
      { id: 'xa', type: 'text' },
      { id: 'hs', type: 'numeric' },
      { id: 'ngay', type: 'date' },
    ]);
    expect(r.body.result.records).toEqual([
      { xa: 'Phường Đô Vinh', hs: 1250, ngay: '1976-09-05' },
      { xa: 'Xã Phước Hậu', hs: 980, ngay: '1985-09-05' },
    ]);
    const cap = await sqlq(`select g from generate_series(1, 32001) g`);
    expect(cap.body.result.records).toHaveLength(32000);
    expect(cap.body.result.records_truncated).toBe(true);
  });

  it('refuses writes, several statements, locking, other schemas and functions outside the allow-list', async () => {
    const cases: [string, string][] = [
      [`select 1; select 2`, 'Query is not a single statement'],
      [`delete from "${a}"`, 'Only SELECT'],
      [`with d as (delete from "${a}" returning *) select * from d`, 'may not change data'],
      [`select * from "${a}" for update`, 'may not lock'],
      [`select pg_read_file('/etc/passwd')`, 'pg_read_file'],
      [`select query_to_xml('select 1', true, true, '')`, 'query_to_xml'],
      [`select * from dblink('host=10.0.0.1', 'select 1') as t(x int)`, 'dblink'],
      [`select pg_sleep(30)`, 'pg_sleep'],
      [`select * from pg_catalog.pg_authid`, 'Only datastore tables'],
      [`select * from app_user`, 'not a datastore table'],
      [`select * into x from "${a}"`, 'SELECT INTO'],
      [`select * from "${a}_v1"`, 'not a datastore table'],
      [`selec 1`, 'Syntax error'],
    ];
    for (const [q, why] of cases) {
      const r = await sqlq(q);
      expect(r.status, q).toBe(409);
      expect((r.body.error.sql as string[])[0], q).toContain(why);
    }
    const badColumn = await sqlq(`select nope from "${a}"`);
    expect(badColumn.status).toBe(409);
    expect((badColumn.body.error.sql as string[])[0]).toContain('nope');
  });

  it('keeps a private dataset’s table from those who may not read it', async () => {
    const hidden = await schoolsTable('sql-rieng', { access_level: 'private' });
    expect((await sqlq(`select count(*) from "${hidden}"`)).status).toBe(200);
    expect((await sqlq(`select count(*) from "${hidden}"`, u.member)).status).toBe(200);
    expect((await sqlq(`select count(*) from "${hidden}"`, {})).status).toBe(403);
    expect((await sqlq(`select count(*) from "${a}" join "${hidden}" using (ma_truong)`, u.otherMember)).status).toBe(403);
  });
});

describe('sector database templates', () => {
  it('lists the templates and makes an empty shared table from one, keyed and shared by commune', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/datastore/templates' });
    expect(list.statusCode).toBe(200);
    const templates = list.json().templates as { id: string; primary_key: string[]; scope_column: string }[];
    expect(templates.map((x) => x.id)).toEqual([
      'nong-nghiep-san-xuat',
      'du-lich-luu-tru',
      'giao-duc-truong-hoc',
      'y-te-co-so',
      'giao-thong-ha-tang',
      'moi-truong-diem-quan-trac',
    ]);
    const pkg = await ds.dataset('san-xuat-nong-nghiep');
    const r = await post('datastore_create', { resource: { package_id: pkg, name: 'Sản xuất' }, template: 'nong-nghiep-san-xuat' });
    expect(r.status, r.raw).toBe(200);
    expect(r.body.result).toMatchObject({ primary_key: ['ma_xa', 'nam', 'vu', 'cay_trong'], scope_column: 'ma_xa' });
    const rid = r.body.result.resource_id as string;
    const rows = [
      { ma_xa: '22903', ten_xa: 'Xã Phước Dinh', nam: 2025, vu: 'Đông Xuân', cay_trong: 'Lúa', dien_tich_ha: '1.250,5', san_luong_tan: 7800 },
      { ma_xa: '22738', ten_xa: 'Phường Đô Vinh', nam: 2025, vu: 'Đông Xuân', cay_trong: 'Nho', dien_tich_ha: 85.5 },
    ];
    expect((await post('datastore_upsert', { resource_id: rid, records: rows })).status).toBe(200);
    // The same key again updates the row instead of adding one.
    const again = await post('datastore_upsert', { resource_id: rid, records: [{ ...rows[0], san_luong_tan: 7900 }] });
    expect(again.body.result).toMatchObject({ inserted: 0, updated: 1 });
    expect((await ds.search({ resource_id: rid, limit: 0 })).body.result.total).toBe(2);
    const commune = await ds.search({ resource_id: rid }, u.commune);
    expect(commune.body.result.records.map((x: { ma_xa: string; san_luong_tan: number }) => [x.ma_xa, x.san_luong_tan])).toEqual([['22903', 7900]]);
    const bad = await post('datastore_create', { resource_id: rid, template: 'khong-co' });
    expect((bad.body.error.template as string[])[0]).toContain('"khong-co" is not a template');
  });
});
