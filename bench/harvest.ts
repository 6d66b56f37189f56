import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp, createJobQueue, createServices, prepareDatabase } from '../src/app/index.js';
import { createSource, runHarvest, startRun } from '../src/modules/catalog/index.js';
import { SYSTEM_ACTOR } from '../src/platform/audit/index.js';
import { systemPrincipal } from '../src/platform/auth/index.js';
import { loadConfig } from '../src/platform/config/index.js';
import { connect, startEmbedded } from '../src/platform/db/index.js';
import { generateCatalog } from './catalog-search.js';
import { record } from './lib.js';

/**
 * Harvesting N datasets (default 10,000) from another local Tỉnh Số instance over its CKAN API:
 * a first full run, then a re-run with nothing changed, next to the floor of only reading every
 * package_search page of the source in the same run.
 */
const N = Number(process.env.BENCH_HARVEST_DATASETS ?? 10_000);

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-bench-harvest-'));
  fs.chmodSync(dir, 0o755);
  const pgServer = await startEmbedded({ dataDir: dir, database: 'postgres' });
  const admin = new pg.Client({ connectionString: pgServer.adminUrl });
  await admin.connect();
  await admin.query('create database bench_a');
  await admin.query('create database bench_b');
  const urlOf = (name: string) => pgServer.adminUrl.replace(/\/postgres$/, `/${name}`);
  const a = connect(urlOf('bench_a'));
  const b = connect(urlOf('bench_b'));
  try {
    await prepareDatabase(a.db, { demo: false });
    await prepareDatabase(b.db, { demo: false });
    await generateCatalog(a.db, N, { publicOnly: true });

    const config = loadConfig({ dataDir: dir, databaseUrl: urlOf('bench_a'), port: 0, outboundAllow: ['127.0.0.1'] }, {});
    const jobsA = createJobQueue(urlOf('bench_a'), a.db, () => undefined);
    const services = createServices(config, a.db, jobsA);
    await jobsA.start({ work: false });
    const appA = await buildApp({ services });
    const source = await appA.listen({ port: 0, host: '127.0.0.1' });

    // The floor: only reading every page the harvester reads.
    const t0 = performance.now();
    let read = 0;
    for (let start = 0; ; start += 1000) {
      const res = (await (await fetch(`${source}/api/3/action/package_search?rows=1000&start=${start}&sort=metadata_modified%20asc&facet=false`)).json()) as {
        result: { results: unknown[]; count: number };
      };
      read += res.result.results.length;
      if (res.result.results.length < 1000) break;
    }
    const readMs = Math.round(performance.now() - t0);

    const jobsB = createJobQueue(urlOf('bench_b'), b.db, () => undefined);
    const servicesB = createServices(config, b.db, jobsB);
    await jobsB.start({ work: false });
    const src = await createSource(b.db, systemPrincipal(), SYSTEM_ACTOR, { name: 'tinh-a', title: 'Tỉnh A', type: 'ckan', url: source, ownerOrg: 'so-tttt' });
    const timeRun = async () => {
      const r = await startRun(b.db, jobsB, null, SYSTEM_ACTOR, src.id, 'full');
      const t = performance.now();
      const report = await runHarvest(b.db, r.id, { progress: async () => undefined, net: servicesB.ctx.net });
      return {
        ms: Math.round(performance.now() - t),
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        errors: report.errors.length,
        status: report.status,
      };
    };
    const first = await timeRun();
    const second = await timeRun();
    record('harvest', {
      datasetsAtSource: N,
      publicRead: read,
      readAllPagesMs: readMs,
      firstRun: first,
      rerunUnchanged: second,
      budget: { firstRunMs: 60_000 },
    });
    await appA.close();
    await jobsA.stop();
    await jobsB.stop();
    await services.close();
    await servicesB.close();
  } finally {
    await a.close();
    await b.close();
    await admin.end();
    await pgServer.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
