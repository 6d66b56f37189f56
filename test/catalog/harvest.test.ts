import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Outbound } from '../../src/platform/net/index.js';
import { SYSTEM_ACTOR, verifyAudit } from '../../src/platform/audit/index.js';
import { systemPrincipal } from '../../src/platform/auth/index.js';
import {
  ANONYMOUS_VIEWER,
  createDataset,
  deleteDataset,
  HARVEST_JOB,
  runHarvest,
  searchDatasets,
  searchParams,
  startRun,
  updateDataset,
} from '../../src/modules/catalog/index.js';
import { JobQueue } from '../../src/platform/jobs/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/** Two real Tỉnh Số instances on their own databases, harvesting each other over HTTP. */
let a: TestApp;
let b: TestApp;
let aUrl: string;
let bUrl: string;
let aSys: { auth: { authorization: string } };
let bSys: { auth: { authorization: string } };
const noProgress = { progress: async () => undefined };

async function source(t: TestApp, auth: { authorization: string }, body: object): Promise<string> {
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/harvest/sources', headers: auth, payload: body });
  expect(r.statusCode, r.body).toBe(201);
  return r.json<{ id: string }>().id;
}

async function run(t: TestApp, auth: { authorization: string }, sourceId: string, mode: 'full' | 'incremental' = 'full') {
  const r = await t.app.inject({ method: 'POST', url: `/api/v1/harvest/sources/${sourceId}/runs`, headers: auth, payload: { mode } });
  expect(r.statusCode, r.body).toBe(202);
  const report = await runHarvest(t.db.db, r.json<{ id: string }>().id, { ...noProgress, net: t.services.ctx.net });
  const fetched = await t.app.inject({ url: `/api/v1/harvest/runs/${report.id}`, headers: auth });
  return fetched.json<{
    status: string;
    created: number;
    updated: number;
    unchanged: number;
    deleted: number;
    skipped: number;
    errors: unknown[];
    message: string | null;
  }>();
}

const harvested = async (t: TestApp, sourceId: string) =>
  (await t.db.pool.query(`select name, title, state, harvest_url, harvest_original_id from dataset where harvest_source_id = $1 order by name`, [sourceId]))
    .rows;

beforeAll(async () => {
  a = await createTestApp();
  b = await createTestApp();
  aUrl = await a.app.listen({ port: 0, host: '127.0.0.1' });
  bUrl = await b.app.listen({ port: 0, host: '127.0.0.1' });
  aSys = await a.userWithToken({ email: 'root@a.example', sysadmin: true });
  bSys = await b.userWithToken({ email: 'root@b.example', sysadmin: true });
  const sys = systemPrincipal();
  for (const [name, title] of [
    ['chat-luong-nuoc-song-dinh', 'Chất lượng nước sông Dinh'],
    ['diem-du-lich-ninh-thuan', 'Điểm du lịch Ninh Thuận'],
  ]) {
    await createDataset(a.db.db, sys, SYSTEM_ACTOR, {
      name,
      title,
      owner_org: 'so-tnmt',
      tags: ['nước', 'Ninh Thuận'],
      notes: `${title} — dữ liệu thử nghiệm`,
      resources: [{ name: 'CSV', url: `https://data.example/${name}.csv`, format: 'CSV' }],
    });
  }
  await createDataset(a.db.db, sys, SYSTEM_ACTOR, { name: 'noi-bo', title: 'Dữ liệu nội bộ', owner_org: 'so-tnmt', access_level: 'private' });
});

afterAll(async () => {
  await a?.close();
  await b?.close();
});

describe('harvesting between two Tỉnh Số instances', () => {
  let ckanSource: string;

  it('B harvests A through the CKAN API: public datasets only, with provenance', async () => {
    ckanSource = await source(b, bSys.auth, { name: 'tinh-a', title: 'Tỉnh A', type: 'ckan', url: aUrl, ownerOrg: 'so-tttt' });
    const report = await run(b, bSys.auth, ckanSource);
    expect(report).toMatchObject({ status: 'finished', created: 2, updated: 0, deleted: 0 });
    const rows = await harvested(b, ckanSource);
    expect(rows.map((r) => r.name)).toEqual(['chat-luong-nuoc-song-dinh', 'diem-du-lich-ninh-thuan']);
    expect(rows[0]!.title).toBe('Chất lượng nước sông Dinh');
    expect(rows[0]!.harvest_url).toBe(`${aUrl}/dataset/chat-luong-nuoc-song-dinh`);
  });

  it('re-runs without duplicates, and keeps harvested datasets read-only locally', async () => {
    const report = await run(b, bSys.auth, ckanSource);
    expect(report).toMatchObject({ status: 'finished', created: 0, updated: 0, unchanged: 2 });
    expect(await harvested(b, ckanSource)).toHaveLength(2);
    const id = (await b.db.pool.query(`select id from dataset where name = 'diem-du-lich-ninh-thuan'`)).rows[0].id;
    await expect(updateDataset(b.db.db, systemPrincipal(), SYSTEM_ACTOR, id, { title: 'Sửa tay' }, 'patch')).rejects.toMatchObject({
      code: 'harvested_read_only',
    });
  });

  it('picks up changes incrementally and deletions in a full run', async () => {
    await updateDataset(a.db.db, systemPrincipal(), SYSTEM_ACTOR, 'diem-du-lich-ninh-thuan', { title: 'Điểm du lịch tỉnh Ninh Thuận' }, 'patch');
    const inc = await run(b, bSys.auth, ckanSource, 'incremental');
    expect(inc).toMatchObject({ status: 'finished', created: 0, updated: 1 });
    expect((await harvested(b, ckanSource)).find((r) => r.name === 'diem-du-lich-ninh-thuan')?.title).toBe('Điểm du lịch tỉnh Ninh Thuận');

    await deleteDataset(a.db.db, systemPrincipal(), SYSTEM_ACTOR, 'chat-luong-nuoc-song-dinh');
    const full = await run(b, bSys.auth, ckanSource, 'full');
    expect(full).toMatchObject({ status: 'finished', deleted: 1 });
    expect((await harvested(b, ckanSource)).find((r) => r.name === 'chat-luong-nuoc-song-dinh')?.state).toBe('deleted');
  });

  it('keeps search, facet counts and the audit chain in step with what batches wrote', async () => {
    const facets = ['organization', 'tags', 'res_format', 'access_level'];
    const p = searchParams({ rows: 50, sort: '', facetFields: facets, facetLimit: -1 });
    // empty q: SQL answers from the trigger-kept rollup, the index from the rows themselves
    const [rollup, rows] = [await searchDatasets(b.db.db, ANONYMOUS_VIEWER, p, { engine: 'sql' }), await searchDatasets(b.db.db, ANONYMOUS_VIEWER, p)];
    expect(rollup.count).toBe(rows.count);
    expect(rollup.facets).toEqual(rows.facets);
    expect(rollup.facets.organization).toContainEqual({ name: 'so-tttt', count: 1 });
    expect((await searchDatasets(b.db.db, ANONYMOUS_VIEWER, { ...p, q: 'diem du lich tinh ninh thuan' }, { engine: 'sql' })).count).toBe(1);
    const audit = await b.db.pool.query(`select action, count(*)::int n from audit_log where actor_label = 'harvest:tinh-a' group by 1 order by 1`);
    expect(audit.rows).toEqual([
      { action: 'dataset.create', n: 2 },
      { action: 'dataset.delete', n: 1 },
      { action: 'dataset.update', n: 1 },
    ]);
    expect((await verifyAudit(b.db.db)).ok).toBe(true);
  });

  it('A harvests B back without looping its own datasets', async () => {
    await createDataset(b.db.db, systemPrincipal(), SYSTEM_ACTOR, { name: 'giao-thong-tinh-b', title: 'Giao thông tỉnh B', owner_org: 'so-gtvt' });
    const back = await source(a, aSys.auth, { name: 'tinh-b', title: 'Tỉnh B', type: 'ckan', url: bUrl, ownerOrg: 'so-tttt' });
    const report = await run(a, aSys.auth, back);
    expect(report).toMatchObject({ status: 'finished', created: 1, skipped: 1 });
    expect((await harvested(a, back)).map((r) => r.name)).toEqual(['giao-thong-tinh-b']);
    const again = await run(a, aSys.auth, back);
    expect(again).toMatchObject({ created: 0, unchanged: 1 });
  });

  it('harvests a DCAT catalogue (Turtle, paged) with no duplicates on re-run', async () => {
    const dcat = await source(b, bSys.auth, { name: 'tinh-a-dcat', title: 'Tỉnh A (DCAT)', type: 'dcat', url: `${aUrl}/catalog.ttl`, ownerOrg: 'so-tttt' });
    const first = await run(b, bSys.auth, dcat);
    // A's copy of B's dataset carries dct:source and is skipped: no harvest loop through DCAT either.
    expect(first, JSON.stringify(first.errors)).toMatchObject({ status: 'finished', created: 1, skipped: 1 });
    const rows = await harvested(b, dcat);
    expect(rows[0]!.title).toBe('Điểm du lịch tỉnh Ninh Thuận');
    expect((await run(b, bSys.auth, dcat)).created).toBe(0);
    expect(await harvested(b, dcat)).toHaveLength(1);
  });

  it('reports an unreachable source as a failed run', async () => {
    const bad = await source(b, bSys.auth, { name: 'khong-ton-tai', title: 'Không tồn tại', type: 'ckan', url: 'http://127.0.0.1:9', ownerOrg: 'so-tttt' });
    const report = await run(b, bSys.auth, bad);
    expect(report.status).toBe('failed');
    expect(report.message).toContain('cannot reach');
  });

  it('never strands a run: when its job cannot be queued, the run is not created either', async () => {
    const id = await source(b, bSys.auth, { name: 'khong-hang-doi', title: 'Không có hàng đợi', type: 'ckan', url: aUrl, ownerOrg: 'so-tttt' });
    const runsOf = async () => Number((await b.db.pool.query(`select count(*)::int as n from harvest_run where source_id = $1`, [id])).rows[0].n);
    const down = new JobQueue(b.db.url, b.db.db); // the queue is down: never started
    down.define(HARVEST_JOB, async () => undefined);
    await expect(startRun(b.db.db, down, null, SYSTEM_ACTOR, id, 'full')).rejects.toThrow(/not started/);
    expect(await runsOf()).toBe(0);
    const run = await startRun(b.db.db, b.jobs, null, SYSTEM_ACTOR, id, 'full');
    expect(await runsOf()).toBe(1);
    const job = await b.jobs.get(run.job_id);
    expect(job?.queue).toBe(HARVEST_JOB.name);
    expect((await b.db.pool.query(`select job_id from harvest_run where id = $1`, [run.id])).rows[0].job_id).toBe(run.job_id);
  });

  it('does not reach internal addresses the operator has not allowed, even through a redirect', async () => {
    let hits = 0;
    const target = http.createServer((_req, res) => {
      hits++;
      res.end('{}');
    });
    const port = await new Promise<number>((r) => target.listen(0, '127.0.0.1', () => r((target.address() as AddressInfo).port)));
    try {
      const id = await source(b, bSys.auth, { name: 'noi-bo', title: 'Nội bộ', type: 'ckan', url: `http://127.0.0.1:${port}`, ownerOrg: 'so-tttt' });
      const r = await b.app.inject({ method: 'POST', url: `/api/v1/harvest/sources/${id}/runs`, headers: bSys.auth, payload: { mode: 'full' } });
      const strict = new Outbound({ allow: [] });
      const report = await runHarvest(b.db.db, r.json<{ id: string }>().id, { ...noProgress, net: strict });
      await strict.close();
      expect(report.status).toBe('failed');
      expect(report.message).toBe(`cannot reach http://127.0.0.1:${port}`);
      expect(hits).toBe(0);
    } finally {
      target.close();
    }
  });
});
