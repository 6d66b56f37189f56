import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueDuePulls } from '../../src/modules/datastore/index.js';
import type { TestApp } from '../helpers/app.js';
import { call, type Users } from '../catalog/ckan-helpers.js';
import { openDatastoreApp, type DatastoreClient } from './helpers.js';

let t: TestApp;
let u: Users;
let ds: DatastoreClient;
let server: http.Server;
let base: string;
/** What the sector system's server publishes, and the conditional headers it was asked with. */
let body = 'ma_tram,pm25\nPR01,21.5\nNH02,18.0\n';
const asked: { ifNoneMatch?: string | undefined }[] = [];
const CKAN_TABLE = '6f1c2b9e-3d4a-4c5b-9e8f-0a1b2c3d4e5f';
/** CKAN's dump: its own _id first. */
let ckanDump = '_id,ma_xa,gio\n1,22738,1\n2,22741,2\n';

beforeAll(async () => {
  ({ t, u, ds } = await openDatastoreApp());
  server = http.createServer((req, res) => {
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
    asked.push({ ifNoneMatch: req.headers['if-none-match'] });
    if (req.url === '/missing.csv') return res.writeHead(404).end();
    if (req.url === '/api/quan-trac')
      return res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          status: 'ok',
          data: {
            items: [
              { station: { code: 'PR01', name: 'Phan Rang' }, values: { pm25: 21.5, pm10: 40 }, time: '2026-12-02T07:00:00+07:00' },
              { station: { code: 'NH02', name: 'Ninh Hải' }, values: { pm25: 18 }, time: '2026-12-02T07:00:00+07:00' },
            ],
          },
        }),
      );
    // A CKAN portal's datastore that does not offer datastore_search_sql (as many turn it off).
    if (req.url?.startsWith('/ckan/')) {
      const u = new URL(req.url, 'http://ckan');
      if (u.pathname === `/ckan/datastore/dump/${CKAN_TABLE}`) return res.writeHead(200, { 'content-type': 'text/csv' }).end(ckanDump);
      if (u.pathname === '/ckan/api/3/action/datastore_search')
        return res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            success: true,
            result: {
              fields: [
                { id: '_id', type: 'int' },
                { id: 'ma_xa', type: 'text' },
                { id: 'gio', type: 'int4' },
              ],
              records: [],
            },
          }),
        );
      if (u.pathname === '/ckan/api/3/action/datastore_search_sql')
        return res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ success: false, error: { __type: 'Authorization Error' } }));
      return res.writeHead(404).end();
    }
    if (req.headers['if-none-match'] === etag) return res.writeHead(304).end();
    res.writeHead(200, { 'content-type': 'text/csv', etag }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await t?.close();
  await new Promise((r) => server.close(r));
});

const pullState = async (rid: string) => (await t.app.inject({ method: 'GET', url: `/api/v1/datastore/${rid}/pull`, headers: u.editor })).json();
async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await fn();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
}

describe('URL pulls of linked resources', () => {
  it('loads a linked CSV, skips it while unchanged (304), and loads the new version when it changes', async () => {
    const pkg = await ds.dataset('quan-trac-lien-ket');
    const r = await call(t, 'resource_create', { package_id: pkg, name: 'Trạm', url: `${base}/tram.csv`, format: 'CSV' }, u.editor);
    expect(r.status, r.raw).toBe(200);
    const rid = r.body.result.id as string;
    expect((await ds.settled(rid)).status).toBe('loaded');
    expect((await ds.search({ resource_id: rid })).body.result.records).toEqual([
      { _id: 1, ma_tram: 'PR01', pm25: 21.5 },
      { _id: 2, ma_tram: 'NH02', pm25: 18 },
    ]);
    const first = await pullState(rid);
    expect(first).toMatchObject({ last_status: 'changed', every_minutes: null });
    expect(first.etag).toMatch(/^"[0-9a-f]{16}"$/);

    const again = await t.app.inject({ method: 'POST', url: `/api/v1/datastore/${rid}/pull`, headers: u.editor, payload: { every_minutes: 60 } });
    expect(again.statusCode, again.body).toBe(202);
    const unchanged = await until(
      () => pullState(rid),
      (s: { checked_at: string }) => s.checked_at !== first.checked_at,
    );
    expect(unchanged).toMatchObject({ last_status: 'unchanged', every_minutes: 60 });
    expect(asked.at(-1)!.ifNoneMatch).toBe(first.etag);
    const loads = (await t.app.inject({ method: 'GET', url: `/api/v1/datastore/${rid}/loads`, headers: u.editor })).json().loads;
    expect(loads).toHaveLength(1);

    // The schedule: once due, the tick queues a pull; the file changed, so a second version is loaded.
    body = 'ma_tram,pm25\nPR01,22.0\nNH02,17.5\nTB03,30.25\n';
    await t.db.pool.query(`update datastore_pull set next_at = now() - interval '1 minute' where resource_id = $1`, [rid]);
    expect(await queueDuePulls(t.db.db, t.services.ctx.jobs)).toBeGreaterThanOrEqual(1);
    const load = await ds.settled(rid, 2);
    expect(load.status).toBe('loaded');
    expect(load.version).toBe(2);
    expect((await ds.search({ resource_id: rid, limit: 0 })).body.result.total).toBe(3);
    const next = await pullState(rid);
    expect(new Date(next.next_at).getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
  });

  it('reports a failing URL and keeps the data; only editors may pull; the schedule has bounds', async () => {
    const pkg = await ds.dataset('lien-ket-hong');
    const r = await call(t, 'resource_create', { package_id: pkg, name: 'Mất', url: `${base}/missing.csv`, format: 'CSV' }, u.editor);
    const rid = r.body.result.id as string;
    const s = await until(
      () => pullState(rid),
      (x: { last_status: string | null }) => x.last_status !== null,
    );
    expect(s).toMatchObject({ last_status: 'failed', last_error: 'HTTP 404' });
    expect((await ds.search({ resource_id: rid })).status).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/datastore/${rid}/pull`, headers: u.member, payload: {} })).statusCode).toBe(403);
    const tooOften = await t.app.inject({ method: 'POST', url: `/api/v1/datastore/${rid}/pull`, headers: u.editor, payload: { every_minutes: 1 } });
    expect(tooOften.statusCode).toBe(400);
  });
});

describe('pulls from a sector system’s JSON API with a field mapping', () => {
  it('reads the records at the path and each column from its field', async () => {
    const pkg = await ds.dataset('api-quan-trac');
    const r = await call(t, 'resource_create', { package_id: pkg, name: 'API trạm', url: `${base}/api/quan-trac`, format: 'JSON' }, u.editor);
    const rid = r.body.result.id as string;
    await ds.settled(rid);
    const bad = await t.app.inject({
      method: 'POST',
      url: `/api/v1/datastore/${rid}/pull`,
      headers: u.editor,
      payload: { mapping: { fields: { ma: 'a..b' } } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('mapping.fields.ma');
    const mapping = {
      records: 'data.items',
      fields: { ma_tram: 'station.code', ten_tram: 'station.name', pm25: 'values.pm25', pm10: 'values.pm10', thoi_gian: 'time' },
    };
    const ok = await t.app.inject({ method: 'POST', url: `/api/v1/datastore/${rid}/pull`, headers: u.editor, payload: { mapping } });
    expect(ok.statusCode, ok.body).toBe(202);
    expect((await ds.settled(rid, 2)).status).toBe('loaded');
    const res = await ds.search({ resource_id: rid });
    expect(res.body.result.fields.map((f: { id: string; type: string }) => `${f.id}:${f.type}`)).toEqual([
      '_id:int',
      'ma_tram:text',
      'ten_tram:text',
      'pm25:numeric',
      'pm10:int',
      'thoi_gian:timestamptz',
    ]);
    expect(res.body.result.records[1]).toEqual({ _id: 2, ma_tram: 'NH02', ten_tram: 'Ninh Hải', pm25: 18, pm10: null, thoi_gian: '2026-12-02T00:00:00Z' });
    expect((await pullState(rid)).mapping).toEqual(mapping);
  });
});

describe('URL pulls under the outbound policy', () => {
  let strict: TestApp;
  afterAll(async () => strict?.close());

  it('does not reach an internal address the operator did not allow', async () => {
    const s = await openDatastoreApp({ outboundAllow: [] });
    strict = s.t;
    const pkg = await s.ds.dataset('lien-ket-noi-bo');
    const r = await call(strict, 'resource_create', { package_id: pkg, name: 'Nội bộ', url: `${base}/tram.csv`, format: 'CSV' }, s.u.editor);
    const rid = r.body.result.id as string;
    const state = await until(
      async () =>
        (await strict.app.inject({ method: 'GET', url: `/api/v1/datastore/${rid}/pull`, headers: s.u.editor })).json() as {
          last_status: string | null;
          last_error: string;
        },
      (x) => x.last_status !== null,
    );
    expect(state.last_status).toBe('failed');
    expect(state.last_error).toContain('outbound policy');
  });
});

describe('a table of a CKAN datastore that does not offer datastore_search_sql', () => {
  it('is pulled in full, with the types its datastore declares, and the pull says why', async () => {
    const pkg = await ds.dataset('ckan-mirror');
    const r = await call(t, 'resource_create', { package_id: pkg, name: 'CKAN', url: `${base}/ckan/datastore/dump/${CKAN_TABLE}`, format: 'CSV' }, u.editor);
    expect(r.status, r.raw).toBe(200);
    const rid = r.body.result.id as string;
    expect((await ds.settled(rid)).status).toBe('loaded');
    const first = (await ds.search({ resource_id: rid, sort: 'gio' })).body.result;
    expect(first.records).toEqual([
      { _id: 1, ma_xa: '22738', gio: 1 },
      { _id: 2, ma_xa: '22741', gio: 2 },
    ]);
    expect(first.fields.map((f: { id: string; type: string }) => `${f.id}:${f.type}`)).toEqual(['_id:int', 'ma_xa:text', 'gio:int']);

    ckanDump += '3,22744,3\n';
    const before = (await pullState(rid)).checked_at;
    const set = await t.app.inject({ method: 'POST', url: `/api/v1/datastore/${rid}/pull`, headers: u.editor, payload: { incremental_column: 'gio' } });
    expect(set.statusCode, set.body).toBe(202);
    const state = await until(
      () => pullState(rid),
      (s) => s.checked_at !== before,
    );
    expect(state.last_status).toBe('changed');
    expect(state.last_error).toMatch(/^incremental pull not possible \(HTTP 403\); pulled in full$/);
    expect((await ds.settled(rid, 2)).status).toBe('loaded');
    expect((await ds.search({ resource_id: rid, limit: 0 })).body.result.total).toBe(3);
  });
});
