import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp, createJobQueue, createServices, type SharedServices } from '../../src/app/index.js';
import type { ModuleFactory } from '../../src/platform/index.js';
import { loadMemberships, setMember } from '../../src/modules/organizations/index.js';
import { createTokenUnchecked, createUserUnchecked, systemPrincipal, type OrgRole, type Principal } from '../../src/platform/auth/index.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.js';
import { loadConfig, type Config } from '../../src/platform/config/index.js';
import type { App } from '../../src/platform/http/index.js';
import type { JobQueue } from '../../src/platform/jobs/index.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestApp {
  app: App;
  db: TestDatabase;
  jobs: JobQueue;
  config: Config;
  services: SharedServices;
  close(): Promise<void>;
  /** Creates a user and an API token for it; returns the Authorization header value. */
  userWithToken(opts: { email: string; sysadmin?: boolean; name?: string }): Promise<{ id: string; token: string; auth: { authorization: string } }>;
  /** Creates a user (optionally a member of an organization) and returns the principal services see. */
  principalFor(email: string, opts?: { sysadmin?: boolean; org?: string; role?: OrgRole }): Promise<Principal>;
}

/** The real app on a fresh database, with its job queue started (workers on when asked). */
export async function createTestApp(
  opts: {
    work?: boolean;
    outboundAllow?: string[];
    licensesFile?: string;
    searchIndex?: 'memory' | 'off';
    modules?: readonly ModuleFactory[];
    /** The public URL the instance writes in links (when a test serves it on a known port). */
    baseUrl?: string;
    /** The gateway's mutual-TLS listener. */
    exchangeTls?: { port: number; certFile: string; keyFile: string };
    /** A second instance of another app: same database (left in place when this one closes). */
    sameDatabaseAs?: TestApp;
    /** Outgoing mail through this SMTP server (a local test server). */
    smtpUrl?: string;
    /** The embedded MQTT broker on this port (0: any free one); none unless asked. */
    mqttPort?: number;
  } = {},
): Promise<TestApp> {
  const shared = opts.sameDatabaseAs?.db;
  const db = shared ?? (await createTestDatabase());
  const dropDb = () => (shared ? Promise.resolve() : db.drop());
  // Instances of one deployment share its data dir too (its files and its secret key).
  const dataDir = opts.sameDatabaseAs?.config.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-app-'));
  const dropDir = () => !shared && fs.rmSync(dataDir, { recursive: true, force: true });
  // Test instances harvest each other on loopback: the operator's allow list says so.
  const config = loadConfig(
    {
      dataDir,
      databaseUrl: db.url,
      port: 0,
      outboundAllow: opts.outboundAllow ?? ['127.0.0.1'],
      licensesFile: opts.licensesFile,
      searchIndex: opts.searchIndex,
      baseUrl: opts.baseUrl,
      exchangeTls: opts.exchangeTls,
      smtpUrl: opts.smtpUrl,
      mqttPort: opts.mqttPort ?? null,
    },
    {},
  );
  const jobs = createJobQueue(db.url, db.db, () => undefined);
  const services = createServices(config, db.db, jobs, { modules: opts.modules });
  await jobs.start({ work: opts.work ?? false, pollSeconds: 0.5 });
  const app = await buildApp({ services }).catch(async (e: unknown) => {
    await jobs.stop();
    await services.close();
    await dropDb();
    dropDir();
    throw e;
  });
  const userWithToken: TestApp['userWithToken'] = async ({ email, sysadmin, name }) => {
    const u = await createUserUnchecked(db.db, SYSTEM_ACTOR, { email, name: name ?? email, password: 'correct horse battery', isSysadmin: sysadmin ?? false });
    const t = await createTokenUnchecked(db.db, SYSTEM_ACTOR, u.id, { name: 'test' });
    return { id: u.id, token: t.token, auth: { authorization: t.token } };
  };
  await app.ready();
  await services.start();
  return {
    app,
    db,
    jobs,
    config,
    services,
    close: async () => {
      await app.close();
      await services.close();
      await jobs.stop();
      await dropDb();
      dropDir();
    },
    userWithToken,
    principalFor: async (email, { sysadmin = false, org, role } = {}) => {
      const u = await userWithToken({ email, sysadmin });
      if (org && role) await setMember(db.db, systemPrincipal(), SYSTEM_ACTOR, org, u.id, role);
      return {
        user: { id: u.id, email, name: email, isSysadmin: sysadmin, createdAt: new Date() },
        via: 'token',
        csrfToken: null,
        memberships: await loadMemberships(db.db, u.id),
      };
    },
  };
}
