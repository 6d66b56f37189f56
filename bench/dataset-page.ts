import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import pg from 'pg';
import { buildApp, createJobQueue, createServices, prepareDatabase } from '../src/app/index.js';
import { loadConfig } from '../src/platform/config/index.js';
import { connect, startEmbedded } from '../src/platform/db/index.js';
import { generateCatalog } from './catalog-search.js';
import { record } from './lib.js';

/**
 * Time to first byte of the server-rendered dataset page (/dataset/{name}) over N generated
 * datasets (default 100,000), anonymous, cycling through 200 public datasets; next to the CKAN
 * package_show of the same datasets and a bare Fastify HTML route, in the same run.
 */
const N = Number(process.env.BENCH_DATASETS ?? 100_000);

async function load(url: string, paths: string[]) {
  const r = await autocannon({ url, connections: 8, duration: 10, requests: paths.map((p) => ({ method: 'GET', path: p })) });
  return {
    reqPerSec: Math.round(r.requests.average),
    p50ms: r.latency.p50,
    p90ms: r.latency.p90,
    p97_5ms: r.latency.p97_5,
    p99ms: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-bench-page-'));
  fs.chmodSync(dir, 0o755);
  const server = await startEmbedded({ dataDir: dir, database: 'postgres' });
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  await admin.query('create database bench_page');
  const url = server.adminUrl.replace(/\/postgres$/, '/bench_page');
  const database = connect(url);
  const bare = Fastify();
  bare.get('/page', async (_req, reply) =>
    reply.type('text/html; charset=utf-8').send('<!doctype html><html lang="vi"><title>x</title><h1>Bộ dữ liệu</h1></html>'),
  );
  try {
    await prepareDatabase(database.db, { demo: false });
    await generateCatalog(database.db, N);
    const { rows } = await database.pool.query<{ name: string }>(
      `select name from dataset where access_level = 'public' and state = 'active' order by random() limit 200`,
    );
    const config = loadConfig({ dataDir: dir, databaseUrl: url, port: 0 }, {});
    const jobs = createJobQueue(url, database.db, () => undefined);
    const services = createServices(config, database.db, jobs);
    await jobs.start({ work: false });
    const app = await buildApp({ services });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });
    const names = rows.map((r) => r.name);
    const barePage = await load(bareUrl, ['/page']);
    const packageShow = await load(
      base,
      names.map((n) => `/api/3/action/package_show?id=${n}`),
    );
    const page = await load(
      base,
      names.map((n) => `/dataset/${n}`),
    );
    record('dataset-page', {
      datasets: N,
      barePage,
      packageShow,
      datasetPage: page,
      budget: { datasetPageP95Ms: 50 },
      note: 'autocannon reports no p95: p90 and p97.5 bracket it',
    });
    await app.close();
    await services.close();
    await jobs.stop();
  } finally {
    await bare.close();
    await database.close();
    await admin.end();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
