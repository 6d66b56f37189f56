import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import type { Users } from '../catalog/ckan-helpers.js';
import { cp1258Form, openDatastoreApp, type DatastoreClient, type Load } from './helpers.js';

let t: TestApp;
let u: Users;
let ds: DatastoreClient;

// Schools of a district: the code keeps its zeros, the pupil count uses -999 for "not reported".
const SCHOOLS = [
  'Mã trường,Tên trường,Số học sinh,Cấp học,Ngày thành lập',
  '001,Trường Tiểu học Phước Dân 1,512,Tiểu học,05/09/1985',
  '002,Trường THCS Trần Hưng Đạo,-999,THCS,15/08/1990',
  '003,Trường THPT Ninh Hải,1.204,THPT,01/09/1976',
  '004,Trường Tiểu học Văn Hải,430,Tiểu học,20/11/2001',
].join('\n');

const api = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: object, who = () => u.editor) =>
  t.app.inject({ method, url, headers: who(), ...(payload ? { payload } : {}) });

async function loadAgain(
  rid: string,
  body: object,
  count: number,
): Promise<Load & { tables: { sheet: number; fields: { id: string; type: string; title: string }[] }[]; dryRun: boolean }> {
  const r = await api('POST', `/api/v1/datastore/${rid}/loads`, body);
  expect(r.statusCode, r.body).toBe(202);
  return (await ds.settled(rid, count)) as never;
}

beforeAll(async () => {
  ({ t, u, ds } = await openDatastoreApp());
});
afterAll(async () => t?.close());

describe("the editor's Table Schema", () => {
  let rid: string;
  beforeAll(async () => {
    const id = await ds.dataset('truong-hoc-schema');
    rid = (await ds.upload('resource_create', { package_id: id, name: 'Trường học', format: 'CSV' }, 'truong.csv', Buffer.from(SCHOOLS))).id;
    expect((await ds.settled(rid)).status).toBe('loaded');
  });

  it('refuses a schema with problems, naming every property, and stores nothing', async () => {
    const r = await api('PUT', `/api/v1/datastore/${rid}/schema`, {
      fields: [
        { name: 'ma', constraints: { pattern: '([0-9' } },
        { name: 'ma', type: 'string' },
        { name: 'Tên trường', type: 'string', constraints: { minimum: 3 } },
      ],
    });
    expect(r.statusCode, r.body).toBe(400);
    const fields = (r.json() as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
    expect(fields).toEqual(['schema.fields.0.constraints.pattern', 'schema.fields.1.name', 'schema.fields.2.constraints.minimum']);
    const g = (await api('GET', `/api/v1/datastore/${rid}/schema`)).json() as { editor: unknown; current: { fields: { name: string; type: string }[] } };
    expect(g.editor).toBeNull();
    expect(g.current.fields.map((f) => [f.name, f.type])).toEqual([
      ['Mã trường', 'string'],
      ['Tên trường', 'string'],
      ['Số học sinh', 'integer'],
      ['Cấp học', 'string'],
      ['Ngày thành lập', 'date'],
    ]);
  });

  it('checks a file in a dry run without writing, then loads it with renamed columns, missing values and constraints', async () => {
    const schema = {
      fields: [
        { name: 'ma_truong', title: 'Mã trường', type: 'string', constraints: { required: true, pattern: '[0-9]{3}' } },
        { name: 'Số học sinh', type: 'integer', constraints: { minimum: 0, maximum: 5000 } },
        { name: 'Cấp học', constraints: { enum: ['Tiểu học', 'THCS', 'THPT'] } },
      ],
      missingValues: ['', '-999'],
    };
    const put = await api('PUT', `/api/v1/datastore/${rid}/schema`, schema);
    expect(put.statusCode, put.body).toBe(200);

    const check = await loadAgain(rid, { dry_run: true }, 2);
    expect(check.status, JSON.stringify(check.report)).toBe('checked');
    expect(check.dryRun).toBe(true);
    expect(check.tables[0]!.fields.map((f) => f.id)).toEqual(['ma_truong', 'Tên trường', 'Số học sinh', 'Cấp học', 'Ngày thành lập']);
    // Nothing was written: the table still has its old column names and version.
    const before = await ds.search({ resource_id: rid, sort: '_id' });
    expect(before.body.result.fields.map((f: { id: string }) => f.id)).toContain('Mã trường');
    expect(before.body.result.records[1]['Số học sinh']).toBe(-999);

    const loaded = await loadAgain(rid, {}, 3);
    expect(loaded.status).toBe('loaded');
    const after = await ds.search({ resource_id: rid, sort: '_id' });
    const recs = after.body.result.records as Record<string, unknown>[];
    expect(recs.map((r) => r.ma_truong)).toEqual(['001', '002', '003', '004']);
    expect(recs.map((r) => r['Số học sinh'])).toEqual([512, null, 1204, 430]);
    const g = (await api('GET', `/api/v1/datastore/${rid}/schema`)).json() as {
      current: { fields: { name: string; title?: string; constraints?: object }[]; missingValues: string[] };
    };
    expect(g.current.fields[0]).toEqual({ name: 'ma_truong', title: 'Mã trường', type: 'string', constraints: { required: true, pattern: '[0-9]{3}' } });
    expect(g.current.missingValues).toEqual(['', '-999']);
  });

  it('reports constraint and type errors by row and field, and keeps the previous version', async () => {
    const bad = [
      'Mã trường,Tên trường,Số học sinh,Cấp học,Ngày thành lập',
      '001,Trường Tiểu học Phước Dân 1,512,Tiểu học,05/09/1985',
      '02,Trường THCS Trần Hưng Đạo,7000,THCS,15/08/1990',
      ',Trường mới,12.5,Mầm non,01/09/2024',
    ].join('\n');
    await ds.upload('resource_update', { id: rid, format: 'CSV' }, 'truong.csv', Buffer.from(bad));
    const load = await ds.settled(rid, 4);
    expect(load.status).toBe('invalid');
    const errors = load.report!.tasks[0]!.errors.map((e) => [e.type, e.rowNumber, e.fieldName]);
    expect(errors).toEqual([
      ['constraint-error', 3, 'ma_truong'],
      ['constraint-error', 3, 'Số học sinh'],
      ['constraint-error', 4, 'ma_truong'],
      // "12.5" in a column pinned to integers is a type error, not a widening to decimals.
      ['type-error', 4, 'Số học sinh'],
      ['constraint-error', 4, 'Cấp học'],
    ]);
    expect(load.report!.tasks[0]!.errors[0]!.message).toContain('không khớp mẫu');
    const still = await ds.search({ resource_id: rid, sort: '_id' });
    expect(still.body.result.records.map((r: Record<string, unknown>) => r.ma_truong)).toEqual(['001', '002', '003', '004']);
  });

  it('names a schema field that matches no column of the file', async () => {
    const put = await api('PUT', `/api/v1/datastore/${rid}/schema`, { fields: [{ name: 'so_phong_hoc', type: 'integer' }] });
    expect(put.statusCode).toBe(200);
    const load = await loadAgain(rid, { dry_run: true }, 5);
    expect(load.status).toBe('invalid');
    expect(load.report!.tasks[0]!.errors[0]).toMatchObject({ type: 'schema-error', fieldName: 'so_phong_hoc' });
    expect((await api('DELETE', `/api/v1/datastore/${rid}/schema`)).statusCode).toBe(200);
  });
});

describe('the structure the loader sees, and the editor’s encoding', () => {
  it('shows a Windows-1258 semicolon file decoded, with its header and data rows, and honours a chosen encoding', async () => {
    const csv = 'Huyện;Xã;Diện tích lúa (ha)\r\nNinh Hải;Phương Hải;1.234,5\r\nNinh Phước;Phước Thuận;987,25\r\n';
    const id = await ds.dataset('lua-1258');
    const rid = (
      await ds.upload('resource_create', { package_id: id, name: 'Diện tích lúa', format: 'CSV' }, 'lua.csv', iconv.encode(cp1258Form(csv), 'windows-1258'))
    ).id;
    expect((await ds.settled(rid)).status).toBe('loaded');
    const r = await api('GET', `/api/v1/datastore/${rid}/structure`);
    expect(r.statusCode, r.body).toBe(200);
    const s = r.json() as { encoding: string; delimiter: string; sheets: { rows: string[][]; header_rows: number[]; data_rows: number[] }[] };
    expect([s.encoding, s.delimiter]).toEqual(['windows-1258', ';']);
    expect(s.sheets[0]!.rows[1]).toEqual(['Ninh Hải', 'Phương Hải', '1.234,5']);
    expect(s.sheets[0]!.header_rows).toEqual([1, 1]);
    expect(s.sheets[0]!.data_rows[0]).toBe(2);
    // The editor says UTF-8: the file is not, so the load is refused with a source error and the table stays.
    const wrong = await loadAgain(rid, { encoding: 'utf-8' }, 2);
    expect(wrong.status).toBe('invalid');
    expect(wrong.report!.tasks[0]!.errors[0]!.type).toBe('source-error');
    const bad = await api('POST', `/api/v1/datastore/${rid}/loads`, { encoding: 'latin-9' });
    expect(bad.statusCode).toBe(400);
    const rows = await ds.search({ resource_id: rid });
    expect(rows.body.result.records[0]['Xã']).toBe('Phương Hải');
  });
});
