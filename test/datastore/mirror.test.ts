import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import { call, type Users } from '../catalog/ckan-helpers.js';
import { freePort } from '../helpers/net.js';
import { openDatastoreApp, type DatastoreClient } from './helpers.js';
import { remoteRowsAfter, TooManyTiesError } from '../../src/modules/datastore/mirror.js';

/** Two Tỉnh Số instances (a neighbouring province and ours): ours harvests the other and mirrors its tables. */
let a: { t: TestApp; u: Users; ds: DatastoreClient };
let b: { t: TestApp; u: Users; ds: DatastoreClient };
let aUrl: string;
let sourceId: string;

beforeAll(async () => {
  // A free port, so that the neighbour's links (its base URL) point where it listens.
  const port = await freePort();
  aUrl = `http://127.0.0.1:${port}`;
  a = await openDatastoreApp({ baseUrl: aUrl });
  b = await openDatastoreApp();
  await a.t.app.listen({ port, host: '127.0.0.1' });
});
afterAll(async () => {
  await a?.t.close();
  await b?.t.close();
});

async function harvest(sourceId: string) {
  const r = await b.t.app.inject({ method: 'POST', url: `/api/v1/harvest/sources/${sourceId}/runs`, headers: b.u.sys, payload: { mode: 'full' } });
  expect(r.statusCode, r.body).toBe(202);
  for (let i = 0; i < 200; i++) {
    const run = (await b.t.app.inject({ url: `/api/v1/harvest/runs/${r.json().id}`, headers: b.u.sys })).json();
    if (!['queued', 'running'].includes(run.status)) return run;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('harvest did not finish');
}

const localResource = async () =>
  (
    await b.t.db.pool.query<{ id: string }>(
      `select r.id from resource r join dataset d on d.id = r.dataset_id where d.harvest_source_id is not null and r.state = 'active'`,
    )
  ).rows[0]!.id;

it('mirrors the table of a dataset harvested from another portal, and its next version', async () => {
  const pkg = await a.ds.dataset('ho-ngheo-khanh-hoa');
  const up = await a.ds.upload(
    'resource_create',
    { package_id: pkg, name: 'Hộ nghèo', format: 'CSV' },
    'ho-ngheo.csv',
    Buffer.from('ma_xa,ho_ngheo\n22738,12\n22741,30\n'),
  );
  expect((await a.ds.settled(up.id)).status).toBe('loaded');

  const src = await b.t.app.inject({
    method: 'POST',
    url: '/api/v1/harvest/sources',
    headers: b.u.sys,
    payload: { name: 'khanh-hoa', title: 'Cổng dữ liệu Khánh Hòa', type: 'ckan', url: aUrl, ownerOrg: 'so-tttt' },
  });
  expect(src.statusCode, src.body).toBe(201);
  sourceId = src.json().id;
  const first = await harvest(sourceId);
  expect(first).toMatchObject({ status: 'finished', created: 1 });
  const rid = await localResource();
  expect((await b.ds.settled(rid)).status).toBe('loaded');
  expect((await call(b.t, 'datastore_search', { resource_id: rid }, b.u.sys, 'GET')).body.result.records).toEqual([
    { _id: 1, ma_xa: 22738, ho_ngheo: 12 },
    { _id: 2, ma_xa: 22741, ho_ngheo: 30 },
  ]);

  // The neighbour publishes a new version; the next harvest brings it over.
  await a.ds.upload('resource_update', { id: up.id, format: 'CSV' }, 'ho-ngheo.csv', Buffer.from('ma_xa,ho_ngheo\n22738,10\n22741,28\n22744,5\n'));
  expect((await a.ds.settled(up.id, 2)).status).toBe('loaded');
  expect(await harvest(src.json().id)).toMatchObject({ status: 'finished', updated: 1 });
  // The resource at the same URL stays the same local resource: its new version is pulled and loaded as version 2 of its table.
  expect(await localResource()).toBe(rid);
  expect((await b.ds.settled(rid, 2)).status).toBe('loaded');
  expect((await call(b.t, 'datastore_search', { resource_id: rid, limit: 0 }, b.u.sys, 'GET')).body.result.total).toBe(3);
});

it('mirrors a table written through the neighbour’s datastore API (no file), from its dump URL', async () => {
  const pkg = await a.ds.dataset('truong-hoc-khanh-hoa');
  const made = await call(
    a.t,
    'datastore_create',
    {
      resource: { package_id: pkg, name: 'Trường học' },
      fields: [
        { id: 'ma_truong', type: 'text' },
        { id: 'so_hoc_sinh', type: 'int' },
      ],
      records: [
        { ma_truong: '001', so_hoc_sinh: 512 },
        { ma_truong: '002', so_hoc_sinh: 430 },
      ],
    },
    a.u.editor,
  );
  expect(made.status, made.raw).toBe(200);
  const remote = made.body.result.resource_id as string;
  // As CKAN gives it: a datastore-only resource is reached at its dump, which streams the table.
  const shown = await call(a.t, 'resource_show', { id: remote }, {}, 'GET');
  expect(shown.body.result.url).toBe(`${aUrl}/datastore/dump/${remote}`);
  const dump = await fetch(shown.body.result.url as string);
  expect(dump.status).toBe(200);
  expect(await dump.text()).toContain('001');
  // Bad input: an unknown format (inherited names included) and a key that is not a table's, each a 400.
  for (const bad of [`${remote}?format=toString`, `${remote}?format=__proto__`, 'khong-phai-bang'])
    expect((await fetch(`${aUrl}/datastore/dump/${bad}`, { redirect: 'manual' })).status, bad).toBe(400);

  expect(await harvest(sourceId)).toMatchObject({ status: 'finished', created: 1 });
  const local = (
    await b.t.db.pool.query<{ id: string }>(
      `select r.id from resource r join dataset d on d.id = r.dataset_id where d.harvest_source_id is not null and r.state = 'active' and r.name = 'Trường học'`,
    )
  ).rows[0]!.id;
  expect((await b.ds.settled(local)).status).toBe('loaded');
  const rows = await call(b.t, 'datastore_search', { resource_id: local, sort: 'ma_truong' }, b.u.sys, 'GET');
  expect(rows.body.result.records).toEqual([
    { _id: 1, ma_truong: '001', so_hoc_sinh: 512 },
    { _id: 2, ma_truong: '002', so_hoc_sinh: 430 },
  ]);
});

async function finished(t: TestApp, jobId: string, who: Record<string, string>) {
  for (let i = 0; i < 300; i++) {
    const job = (await t.app.inject({ url: `/api/v1/jobs/${jobId}`, headers: who })).json();
    if (['completed', 'failed', 'cancelled'].includes(job.state)) return job;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('job did not finish');
}

const pullState = async (rid: string) => (await b.t.app.inject({ url: `/api/v1/datastore/${rid}/pull`, headers: b.u.sys })).json();
const loadsOf = async (rid: string) => (await b.t.app.inject({ url: `/api/v1/datastore/${rid}/loads`, headers: b.u.sys })).json().loads as unknown[];

it('keeps a mirrored table in step: the source’s types, a 304 while unchanged, then only the new rows through its datastore API', async () => {
  const pkg = await a.ds.dataset('quan-trac-khanh-hoa');
  const made = await call(
    a.t,
    'datastore_create',
    {
      resource: { package_id: pkg, name: 'Quan trắc' },
      fields: [
        { id: 'ma_tram', type: 'text' },
        { id: 'gio', type: 'int' },
        { id: 'pm25', type: 'numeric' },
      ],
      records: [1, 2, 3].map((gio) => ({ ma_tram: '101', gio, pm25: 20 + gio })),
    },
    a.u.editor,
  );
  expect(made.status, made.raw).toBe(200);
  const remote = made.body.result.resource_id as string;

  // The source's export answers a conditional GET of the unchanged table with 304, and a changed one in full.
  const exportUrl = `${aUrl}/api/v1/datastore/${remote}/export.csv`;
  const first = await fetch(exportUrl);
  const etag = first.headers.get('etag')!;
  expect(etag).toMatch(/^"\d+-/);
  expect((await fetch(exportUrl, { headers: { 'if-none-match': etag } })).status).toBe(304);

  expect(await harvest(sourceId)).toMatchObject({ status: 'finished', created: 1 });
  const local = (await b.t.db.pool.query<{ id: string }>(`select r.id from resource r where r.name = 'Quan trắc' and r.state = 'active'`)).rows[0]!.id;
  expect((await b.ds.settled(local)).status).toBe('loaded');
  // The columns keep the types the source's datastore declares: a station code of digits stays text.
  const fields = (await call(b.t, 'datastore_search', { resource_id: local, limit: 0 }, b.u.sys, 'GET')).body.result.fields;
  expect(fields).toEqual(
    expect.arrayContaining([expect.objectContaining({ id: 'ma_tram', type: 'text' }), expect.objectContaining({ id: 'gio', type: 'int' })]),
  );

  // A harvest that finds the dataset unchanged still checks the table: a conditional GET, answered 304, no new load.
  const before = (await pullState(local)).checked_at;
  const again = await harvest(sourceId);
  expect(again.unchanged).toBeGreaterThanOrEqual(3);
  for (let i = 0; i < 300 && (await pullState(local)).checked_at === before; i++) await new Promise((res) => setTimeout(res, 100));
  expect(await pullState(local)).toMatchObject({ last_status: 'unchanged', last_error: null, etag: expect.stringMatching(/^"\d+-/) });
  expect(await loadsOf(local)).toHaveLength(1);

  // Bad input changes nothing: the datastore's own column, and an increment of a table that is not another portal's.
  const bad = await b.t.app.inject({ method: 'POST', url: `/api/v1/datastore/${local}/pull`, headers: b.u.sys, payload: { incremental_column: '_id' } });
  expect(bad.statusCode).toBe(400);
  expect(bad.json().field).toBe('incremental_column');
  const upload = await localResource();
  const notRemote = await b.t.app.inject({
    method: 'POST',
    url: `/api/v1/datastore/${upload}/pull`,
    headers: b.u.sys,
    payload: { incremental_column: 'ma_xa' },
  });
  expect(notRemote.statusCode).toBe(400);
  expect(notRemote.json().field).toBe('incremental_column');
  expect((await pullState(local)).incremental_column).toBeNull();

  // The source's software pushes two more hours; the incremental pull reads only those, and adds them to the same version.
  const pushed = await call(
    a.t,
    'datastore_upsert',
    { resource_id: remote, method: 'insert', records: [4, 5].map((gio) => ({ ma_tram: '101', gio, pm25: 20 + gio })) },
    a.u.editor,
  );
  expect(pushed.status, pushed.raw).toBe(200);
  expect((await fetch(exportUrl, { headers: { 'if-none-match': etag } })).status).toBe(200);
  const set = await b.t.app.inject({ method: 'POST', url: `/api/v1/datastore/${local}/pull`, headers: b.u.sys, payload: { incremental_column: 'gio' } });
  expect(set.statusCode, set.body).toBe(202);
  expect((await finished(b.t, set.json().job_id, b.u.sys)).output).toEqual({ status: 'added', rows: 2 });
  expect(await pullState(local)).toMatchObject({ last_status: 'added', incremental_column: 'gio' });
  expect(await loadsOf(local)).toHaveLength(1);
  const rows = (await call(b.t, 'datastore_search', { resource_id: local, sort: 'gio' }, b.u.sys, 'GET')).body.result.records;
  expect(rows.map((r: { gio: number; ma_tram: string }) => [r.gio, r.ma_tram])).toEqual([1, 2, 3, 4, 5].map((g) => [g, '101']));
  // Nothing new: nothing added.
  const idle = await b.t.app.inject({ method: 'POST', url: `/api/v1/datastore/${local}/pull`, headers: b.u.sys, payload: {} });
  expect((await finished(b.t, idle.json().job_id, b.u.sys)).output).toEqual({ status: 'unchanged', rows: 0 });
  expect((await call(b.t, 'datastore_search', { resource_id: local, limit: 0 }, b.u.sys, 'GET')).body.result.total).toBe(5);

  // A row deleted at the source leaves no trace an increment can read: the counts then differ, and the pull is a full one.
  const gone = await call(a.t, 'datastore_delete', { resource_id: remote, filters: { gio: 2 } }, a.u.editor);
  expect(gone.status, gone.raw).toBe(200);
  const full = await b.t.app.inject({ method: 'POST', url: `/api/v1/datastore/${local}/pull`, headers: b.u.sys, payload: {} });
  expect((await finished(b.t, full.json().job_id, b.u.sys)).output).toMatchObject({ status: 'changed' });
  expect((await b.ds.settled(local, 2)).status).toBe('loaded');
  expect((await pullState(local)).last_error).toMatch(/rows differ from the source’s after the increment \(5 here, 4 there\); pulled in full/);
  const after = (await call(b.t, 'datastore_search', { resource_id: local, sort: 'gio' }, b.u.sys, 'GET')).body.result.records;
  expect(after.map((r: { gio: number }) => r.gio)).toEqual([1, 3, 4, 5]);

  // Keyset pages: rows sharing a value at a page's edge are read once, with the next page; a page of one value cannot be paged.
  await call(
    a.t,
    'datastore_upsert',
    {
      resource_id: remote,
      method: 'insert',
      records: [
        { ma_tram: '102', gio: 5, pm25: 1 },
        { ma_tram: '101', gio: 6, pm25: 2 },
      ],
    },
    a.u.editor,
  );
  const net = b.t.services.ctx.net;
  const read = async (page: number) => {
    const out: unknown[] = [];
    for await (const rows of remoteRowsAfter(net, { base: aUrl, id: remote }, 'gio', '3', page)) out.push(...rows.map((r) => r.gio));
    return out;
  };
  expect(await read(3)).toEqual([4, 5, 5, 6]);
  expect(await read(100)).toEqual([4, 5, 5, 6]);
  await expect(read(2)).rejects.toBeInstanceOf(TooManyTiesError);
});
