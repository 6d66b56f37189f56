import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import { call, type Users } from '../catalog/ckan-helpers.js';
import { freePort } from '../helpers/net.js';
import { openDatastoreApp, type DatastoreClient } from './helpers.js';

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
  // The harvester replaces the dataset's resources (the old one's table goes with it); the new one is pulled and loaded.
  const now = await localResource();
  expect((await b.ds.settled(now, now === rid ? 2 : 1)).status).toBe('loaded');
  expect((await call(b.t, 'datastore_search', { resource_id: now, limit: 0 }, b.u.sys, 'GET')).body.result.total).toBe(3);
  if (now !== rid) expect((await call(b.t, 'datastore_search', { resource_id: rid }, b.u.sys, 'GET')).status).toBe(404);
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
