import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type * as App from '../src/app/index.js';
import type * as Auth from '../src/platform/auth/index.js';
import type * as Audit from '../src/platform/audit/index.js';
import type * as Config from '../src/platform/config/index.js';
import type * as Db from '../src/platform/db/index.js';
import type * as Orgs from '../src/modules/organizations/index.js';
import { built, record, sleep, treeRssMiB } from './lib.js';
import { writeVnCsv } from './vn-csv.js';

// BENCH_ROWS=12000000 makes a file of about 1 GB (for the memory budget).
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const ITER = Number(process.env.BENCH_ITER ?? 200);

const hasCurl = () => spawnSync('curl', ['--version']).status === 0;

/** A multipart upload of the file by curl, in its own process. */
function curlUpload(url: string, token: string, packageId: string, file: string): Promise<{ result: { id: string } }> {
  return new Promise((resolve, reject) => {
    const c = spawn('curl', [
      '-sS',
      '-H',
      `authorization: ${token}`,
      '-F',
      `package_id=${packageId}`,
      '-F',
      `upload=@${file};type=text/csv;filename=san-xuat.csv`,
      url,
    ]);
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.on('error', reject);
    c.on('exit', (code) => {
      try {
        resolve(JSON.parse(out) as { result: { id: string } });
      } catch {
        reject(new Error(`curl exited ${code}: ${out.slice(0, 200)}`));
      }
    });
  });
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

function hasPsql(): boolean {
  return spawnSync('psql', ['--version']).status === 0;
}

/**
 * End-to-end datastore load through the CKAN API (multipart upload → job → table swapped in) of a
 * generated 1M-row, 8-column Vietnamese CSV, next to `psql \copy` of the same file into the same
 * server; then datastore_search with a filter and a sort, a group-by, and the CSV export next to
 * `psql \copy ... to`.
 */
export async function run(): Promise<void> {
  // The build, as `npm start` runs it (bench/lib.ts `built`).
  const { startServer } = await built<typeof App>('app/index.js');
  const { createUserUnchecked, createTokenUnchecked, systemPrincipal } = await built<typeof Auth>('platform/auth/index.js');
  const { SYSTEM_ACTOR } = await built<typeof Audit>('platform/audit/index.js');
  const { loadConfig } = await built<typeof Config>('platform/config/index.js');
  const { connect, startEmbedded } = await built<typeof Db>('platform/db/index.js');
  const { setMember } = await built<typeof Orgs>('modules/organizations/index.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-bench-ds-'));
  fs.chmodSync(dir, 0o755);
  const csv = path.join(dir, 'vn.csv');
  writeVnCsv(csv, ROWS);
  const size = fs.statSync(csv).size;
  const pgh = await startEmbedded({ dataDir: path.join(dir, 'pg'), database: 'postgres' });
  const server = await startServer(
    loadConfig({ dataDir: path.join(dir, 'app'), databaseUrl: pgh.adminUrl, port: 0, logLevel: 'silent', maxUploadBytes: 2048 * 1024 * 1024 }, {}),
  );
  const port = (server.app.server.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}`;
  const client = new pg.Client(pgh.adminUrl);
  await client.connect();
  const results: Record<string, unknown> = { rows: ROWS, bytes: size, psql: hasPsql() };
  try {
    // Baseline: the file's bytes into an 8-text-column table, as psql \copy sends them.
    await client.query('create table bench_copy (a text, b text, c text, d text, e text, f text, g text, h text)');
    let t0 = process.hrtime.bigint();
    if (hasPsql()) execFileSync('psql', [pgh.adminUrl, '-q', '-c', `\\copy bench_copy from '${csv}' with (format csv, header true)`]);
    else
      await new Promise<void>((resolve, reject) =>
        fs
          .createReadStream(csv)
          .pipe(client.query(copyFrom('copy bench_copy from stdin with (format csv, header true)')))
          .on('finish', resolve)
          .on('error', reject),
      );
    results.baselineCopyMs = ms(t0);
    console.error(`baseline copy ${Number(results.baselineCopyMs).toFixed(0)} ms`);

    const db = connect(pgh.adminUrl, { max: 2 });
    const u = await createUserUnchecked(db.db, SYSTEM_ACTOR, {
      email: 'bench@example.org',
      name: 'bench',
      password: 'correct horse battery',
      isSysadmin: false,
    });
    await setMember(db.db, systemPrincipal(), SYSTEM_ACTOR, 'so-nnptnt', u.id, 'editor');
    const { token } = await createTokenUnchecked(db.db, SYSTEM_ACTOR, u.id, { name: 'bench' });
    const api = async (action: string, body: unknown) => {
      const r = await fetch(`${base}/api/3/action/${action}`, {
        method: 'POST',
        headers: { authorization: token, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return (await r.json()) as { result: Record<string, unknown> };
    };
    const pkg = await api('package_create', { name: 'bench-vn', title: 'Bench', owner_org: 'so-nnptnt' });

    t0 = process.hrtime.bigint();
    const fetchUpload = async () => {
      // The upload streams from disk (a multipart body written by hand), so the bench holds no copy of the file.
      const boundary = `----bench${Date.now()}`;
      const body = Readable.from(
        (async function* () {
          yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="package_id"\r\n\r\n${String(pkg.result.id)}\r\n`);
          yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="upload"; filename="san-xuat.csv"\r\nContent-Type: text/csv\r\n\r\n`);
          yield* fs.createReadStream(csv, { highWaterMark: 1 << 20 });
          yield Buffer.from(`\r\n--${boundary}--\r\n`);
        })(),
      );
      return (await (
        await fetch(`${base}/api/3/action/resource_create`, {
          method: 'POST',
          headers: { authorization: token, 'content-type': `multipart/form-data; boundary=${boundary}` },
          body: body as unknown as BodyInit,
          duplex: 'half',
        } as RequestInit)
      ).json()) as { result: { id: string } };
    };
    let peakMiB = 0;
    let peakNodeMiB = 0;
    results.nodeRssBeforeUploadMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
    const sampler = setInterval(() => {
      peakMiB = Math.max(peakMiB, treeRssMiB(process.pid));
      peakNodeMiB = Math.max(peakNodeMiB, Math.round(process.memoryUsage().rss / 2 ** 20));
    }, 200);
    // The upload comes from another process (curl, as a real client): fetch in this process held
    // about one copy of the file in memory and was 3× slower, which the server's figures then showed.
    const created = hasCurl() ? await curlUpload(`${base}/api/3/action/resource_create`, token, String(pkg.result.id), csv) : await fetchUpload();
    const rid = created.result.id;
    results.uploadMs = ms(t0);
    results.peakNodeRssUploadMiB = peakNodeMiB;
    console.error(`uploaded in ${Number(results.uploadMs).toFixed(0)} ms`);
    let status = '';
    for (;;) {
      const r = (await (await fetch(`${base}/api/v1/datastore/${rid}/loads`, { headers: { authorization: token } })).json()) as {
        loads: { status: string }[];
      };
      status = r.loads[0]?.status ?? '';
      if (!r.loads.length && ms(t0) > 60_000) throw new Error('no load was queued');
      if (status && status !== 'queued' && status !== 'running') break;
      await sleep(20);
    }
    results.loadMs = ms(t0);
    clearInterval(sampler);
    results.peakRssMiB = peakMiB;
    results.peakNodeRssMiB = peakNodeMiB;
    results.loadStatus = status;
    console.error(`load ${status} in ${Number(results.loadMs).toFixed(0)} ms`);
    results.loadSpeedVsCopy = Number(results.baselineCopyMs) / Number(results.loadMs);

    const search = async (params: Record<string, string>) => {
      const times: number[] = [];
      for (let i = 0; i < ITER; i++) {
        const q = new URLSearchParams({
          resource_id: rid,
          ...params,
          ...(params.filters ? { filters: params.filters.replace('$i', String(22700 + (i % 60))) } : {}),
        });
        const t = process.hrtime.bigint();
        const r = await fetch(`${base}/api/3/action/datastore_search?${q}`);
        await r.arrayBuffer();
        times.push(ms(t));
      }
      return { p50: pct(times, 50), p95: pct(times, 95) };
    };
    // The first filtered, sorted search queues indexes on those columns (indexes by use); measured once they exist.
    const cold = process.hrtime.bigint();
    await fetch(
      `${base}/api/3/action/datastore_search?${new URLSearchParams({ resource_id: rid, filters: '{"cay_trong": "Nho"}', sort: 'ngay_bao_cao desc' })}`,
    );
    results.firstSearchMs = ms(cold);
    for (let i = 0; i < 600; i++) {
      // Built and valid (an index made CONCURRENTLY is listed from the start of its build, before the planner may use it).
      const r = await client.query(
        `select count(*)::int n from pg_index i join pg_class c on c.oid = i.indexrelid
          where i.indrelid = ('datastore.' || quote_ident($1))::regclass and c.relname like 'ds_%' and i.indisvalid and i.indisready`,
        [`${rid}_v1`],
      );
      if (r.rows[0].n >= 2) break;
      await sleep(100);
    }
    results.indexesReadyMs = ms(cold);
    results.searchFilterSort = await search({ filters: '{"cay_trong": "Nho"}', sort: 'ngay_bao_cao desc', limit: '100' });
    const groups: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = process.hrtime.bigint();
      await (await fetch(`${base}/api/v1/datastore/${rid}?group_by=cay_trong&agg=count,avg:dien_tich_ha`)).arrayBuffer();
      groups.push(ms(t));
    }
    results.groupBy = { p50: pct(groups, 50), max: Math.max(...groups) };

    t0 = process.hrtime.bigint();
    const exp = await fetch(`${base}/api/v1/datastore/${rid}/export.csv`);
    let exported = 0;
    for await (const chunk of exp.body as unknown as AsyncIterable<Uint8Array>) exported += chunk.length;
    results.exportMs = ms(t0);
    results.exportBytes = exported;
    const out = path.join(dir, 'out.csv');
    t0 = process.hrtime.bigint();
    if (hasPsql()) execFileSync('psql', [pgh.adminUrl, '-q', '-c', `\\copy (select * from bench_copy) to '${out}' with (format csv, header true)`]);
    results.baselineCopyToMs = ms(t0);
    results.exportSpeedVsCopyTo = Number(results.baselineCopyToMs) / Number(results.exportMs);
    await db.close();
  } finally {
    await client.end();
    await server.stop();
    await pgh.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  record('datastore-load', results);
}
