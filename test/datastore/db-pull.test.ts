import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import type { Users } from '../catalog/ckan-helpers.js';
import { startMariaDb, type TestMariaDb } from '../helpers/mariadb.js';
import { openDatastoreApp, type DatastoreClient } from './helpers.js';

let t: TestApp;
let u: Users;
let ds: DatastoreClient;
let maria: TestMariaDb;

interface DbPull {
  last_status: string | null;
  last_error: string | null;
  last_rows: number | null;
  checked_at: string | null;
  password_set: boolean;
}

const api = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: u.editor, ...(payload ? { payload } : {}) });

/** Waits until the pull job has run after `since` and returns the state it left. */
async function pulled(rid: string, since: string | null): Promise<DbPull> {
  for (let i = 0; i < 300; i++) {
    const s = (await api('GET', `/api/v1/datastore/${rid}/db-pull`)).json() as DbPull;
    if (s.checked_at && s.checked_at !== since && s.last_status) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the pull did not run');
}

async function resource(name: string): Promise<string> {
  const id = await ds.dataset(name);
  const r = await api('POST', '/api/3/action/resource_create', {
    package_id: id,
    name: 'Cơ sở y tế',
    url: 'https://syt.ninhthuan.gov.vn/co-so',
    format: 'JSON',
  });
  expect(r.statusCode, r.body).toBe(200);
  return (r.json() as { result: { id: string } }).result.id;
}

beforeAll(async () => {
  maria = await startMariaDb();
  ({ t, u, ds } = await openDatastoreApp({ outboundAllow: ['127.0.0.1'] }));
  const c = await maria.admin();
  await c.query(`
    create database y_te character set utf8mb4;
    create table y_te.co_so (id int primary key, ten varchar(200) not null, loai varchar(50), so_giuong int, cap_nhat datetime not null);
    insert into y_te.co_so values
      (1, 'Bệnh viện Đa khoa tỉnh Ninh Thuận', 'Bệnh viện', 800, '2024-01-05 08:00:00'),
      (2, 'Trung tâm Y tế huyện Ninh Hải', 'Trung tâm y tế', 120, '2024-01-06 09:30:00'),
      (3, 'Trạm Y tế xã Phước Dân', 'Trạm y tế', 5, '2024-01-07 10:00:00');
    create user 'doc_y_te'@'%' identified by 'mat-khau-chi-doc';
    grant select on y_te.* to 'doc_y_te'@'%';
  `);
  await c.end();
});

afterAll(async () => {
  await t?.close();
  await maria?.stop();
});

describe('pulls from a sector database', () => {
  it('refuses a source with problems, naming every field', async () => {
    const rid = await resource('y-te-sai');
    const r = await api('PUT', `/api/v1/datastore/${rid}/db-pull`, {
      engine: 'mysql',
      host: 'db host',
      database: 'y_te',
      user: 'doc_y_te',
      query: 'delete from co_so',
    });
    expect(r.statusCode, r.body).toBe(400);
    expect((r.json() as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(['host', 'password', 'query']);
    const two = await api('PUT', `/api/v1/datastore/${rid}/db-pull`, {
      engine: 'mysql',
      host: '127.0.0.1',
      database: 'y_te',
      user: 'u',
      password: 'p',
      query: 'select 1; drop table co_so',
    });
    expect(two.json()).toMatchObject({ field: 'query' });
    expect((await api('GET', `/api/v1/datastore/${rid}/db-pull`)).statusCode).toBe(404);
  });

  it('loads a MariaDB table through a read-only user, keeps the password sealed, then adds only the new rows', async () => {
    const rid = await resource('co-so-y-te');
    const put = await api('PUT', `/api/v1/datastore/${rid}/db-pull`, {
      engine: 'mysql',
      host: maria.host,
      port: maria.port,
      database: 'y_te',
      user: 'doc_y_te',
      password: 'mat-khau-chi-doc',
      query: 'select id, ten, loai, so_giuong, cap_nhat from co_so',
      incremental_column: 'id',
    });
    expect(put.statusCode, put.body).toBe(202);
    const first = await pulled(rid, null);
    expect(first, first.last_error ?? '').toMatchObject({ last_status: 'changed', last_rows: 3, password_set: true });
    expect((await ds.settled(rid)).status).toBe('loaded');
    const rows = await ds.search({ resource_id: rid, sort: 'id' });
    expect(rows.body.result.records.map((r: Record<string, unknown>) => [r.id, r.ten, r.so_giuong])).toEqual([
      [1, 'Bệnh viện Đa khoa tỉnh Ninh Thuận', 800],
      [2, 'Trung tâm Y tế huyện Ninh Hải', 120],
      [3, 'Trạm Y tế xã Phước Dân', 5],
    ]);
    const types = Object.fromEntries(rows.body.result.fields.map((f: { id: string; type: string }) => [f.id, f.type]));
    expect(types).toMatchObject({ id: 'int', ten: 'text', so_giuong: 'int', cap_nhat: 'timestamptz' });
    expect(new Date(rows.body.result.records[0].cap_nhat as string).toISOString()).toBe('2024-01-05T08:00:00.000Z');
    const stored = await t.db.pool.query<{ password_sealed: string }>('select password_sealed from datastore_db_pull where resource_id = $1', [rid]);
    expect(stored.rows[0]!.password_sealed).toMatch(/^v1:/);
    expect(stored.rows[0]!.password_sealed).not.toContain('mat-khau');
    expect(JSON.stringify((await api('GET', `/api/v1/datastore/${rid}/db-pull`)).json())).not.toContain('mat-khau');

    const c = await maria.admin();
    await c.query(`insert into y_te.co_so values
      (4, 'Trạm Y tế xã Vĩnh Hải', 'Trạm y tế', 4, '2024-02-01 08:00:00'),
      (5, 'Phòng khám Đa khoa khu vực Phước Dân', 'Phòng khám', 30, '2024-02-02 08:00:00')`);
    await c.end();
    const run = await api('POST', `/api/v1/datastore/${rid}/db-pull/run`);
    expect(run.statusCode).toBe(202);
    const second = await pulled(rid, first.checked_at);
    expect(second).toMatchObject({ last_status: 'added', last_rows: 2 });
    const after = await ds.search({ resource_id: rid, sort: 'id' });
    expect(after.body.result.total).toBe(5);
    expect(after.body.result.records[4].ten).toBe('Phòng khám Đa khoa khu vực Phước Dân');
    // Added to the version in place: no new load.
    expect(((await api('GET', `/api/v1/datastore/${rid}/loads`)).json() as { loads: unknown[] }).loads).toHaveLength(1);
  });

  it('loads a PostgreSQL query with types, reports a refused read, and keeps to the outbound policy', async () => {
    const admin = new pg.Client({ connectionString: inject('adminUrl') });
    await admin.connect();
    const name = `nguon_nong_nghiep_${Date.now()}`;
    await admin.query(`create database ${name}`);
    const src = new URL(inject('adminUrl'));
    src.pathname = `/${name}`;
    const s = new pg.Client({ connectionString: src.toString() });
    await s.connect();
    await s.query(`
      create table san_luong (ma_xa text, vu text, ngay_bao_cao date, dien_tich numeric, rieng text);
      insert into san_luong values ('22738', 'Đông Xuân', '2023-03-15', 1234.5, 'x'), ('22741', 'Hè Thu', '2023-08-01', 987.25, 'y');
      do $$ begin if not exists (select from pg_roles where rolname = 'doc_nong_nghiep') then create role doc_nong_nghiep login password 'mk-doc'; end if; end $$;
      grant select (ma_xa, vu, ngay_bao_cao, dien_tich) on san_luong to doc_nong_nghiep;
    `);
    await s.end();
    const rid = await resource('san-luong-pg');
    const base = { engine: 'postgresql', host: '127.0.0.1', port: Number(src.port || 5432), database: name, user: 'doc_nong_nghiep', password: 'mk-doc' };
    await api('PUT', `/api/v1/datastore/${rid}/db-pull`, { ...base, query: 'select * from san_luong' });
    const refused = await pulled(rid, null);
    expect(refused.last_status).toBe('failed');
    expect(refused.last_error).toContain('permission denied');

    const ok = await api('PUT', `/api/v1/datastore/${rid}/db-pull`, {
      ...base,
      password: undefined,
      query: 'select ma_xa, vu, ngay_bao_cao, dien_tich from san_luong order by ma_xa',
    });
    expect(ok.statusCode, ok.body).toBe(202);
    expect((await pulled(rid, refused.checked_at)).last_status).toBe('changed');
    expect((await ds.settled(rid)).status).toBe('loaded');
    const info = await ds.search({ resource_id: rid, sort: 'ma_xa' });
    const types = Object.fromEntries(info.body.result.fields.map((f: { id: string; type: string }) => [f.id, f.type]));
    expect(types).toMatchObject({ ma_xa: 'text', ngay_bao_cao: 'date', dien_tich: 'numeric' });
    expect(info.body.result.records[0]).toMatchObject({ ma_xa: '22738', vu: 'Đông Xuân', ngay_bao_cao: '2023-03-15', dien_tich: 1234.5 });

    // "localhost" is not on the operator's list (only 127.0.0.1 is): refused like any internal address.
    const local = await resource('san-luong-local');
    await api('PUT', `/api/v1/datastore/${local}/db-pull`, { ...base, host: 'localhost', query: 'select 1 as mot' });
    expect((await pulled(local, null)).last_error).toContain('outbound policy');
    await admin.query(`drop database ${name} with (force)`);
    await admin.end();
  });
});
