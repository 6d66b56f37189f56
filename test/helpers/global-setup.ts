import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createJobQueue, prepareDatabase } from '../../src/app/index.js';
import { connect, startEmbedded, type EmbeddedHandle } from '../../src/platform/db/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateDb: string;
    engine: string;
  }
}

const TEMPLATE = `tinhso_template_${process.pid}`;

function withDb(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/**
 * One PostgreSQL per test run: the embedded one (always) or TEST_DATABASE_URL's server. Migrations,
 * reference data and the job queue schema go once into a template database; each test file then
 * gets `CREATE DATABASE … TEMPLATE` (see database.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const engine = (project.config.env?.TINHSO_TEST_ENGINE as string | undefined) ?? 'embedded';
  let embedded: EmbeddedHandle | undefined;
  let tmp: string | undefined;
  let adminUrl: string;
  if (engine === 'external') {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error('TEST_DATABASE_URL is required for the external engine');
    adminUrl = url;
  } else {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-test-'));
    fs.chmodSync(tmp, 0o755);
    embedded = await startEmbedded({ dataDir: tmp, database: 'postgres', settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } });
    adminUrl = embedded.adminUrl;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${TEMPLATE}`);
  await admin.query(`create database ${TEMPLATE}`);
  const templateUrl = withDb(adminUrl, TEMPLATE);
  const database = connect(templateUrl, { max: 4 });
  await prepareDatabase(database.db, { demo: false });
  const jobs = createJobQueue(templateUrl, database.db, () => undefined);
  await jobs.start({ work: false });
  await jobs.stop();
  await database.close();

  project.provide('adminUrl', adminUrl);
  project.provide('templateDb', TEMPLATE);
  project.provide('engine', engine);

  return async () => {
    const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname like 'tinhso_t_%'`);
    for (const r of rows) await admin.query(`drop database if exists "${r.datname}" with (force)`).catch(() => undefined);
    await admin.query(`drop database if exists ${TEMPLATE} with (force)`).catch(() => undefined);
    await admin.end();
    await embedded?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  };
}
