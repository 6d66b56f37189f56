import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';
import { auditRoutes } from '../platform/audit/index.js';
import { authRoutes, installAuth } from '../platform/auth/index.js';
import type { Config } from '../platform/config/index.js';
import type { Db } from '../platform/db/index.js';
import { createHttpServer, type App } from '../platform/http/index.js';
import { jobRoutes, type JobQueue } from '../platform/jobs/index.js';
import { loadMemberships } from '../modules/organizations/index.js';
import { webRoutes } from '../web/index.js';
import { healthRoutes } from './health.js';
import { STORAGE_SWEEP_JOB, SWEEP_GRACE_MS, UNCLAIMED_MS } from '../platform/storage/index.js';
import { modules } from './modules.js';
import type { SharedServices } from './services.js';
import { VERSION } from './version.js';

export interface BuildOptions {
  config: Config;
  db: Db;
  jobs: JobQueue;
  services: SharedServices;
  logger: FastifyServerOptions['logger'];
}

/** The whole HTTP app, not listening: the CLI listens on it, tests call `inject`. */
export async function buildApp({ config, db, jobs, services, logger }: BuildOptions): Promise<App> {
  const app = await createHttpServer({ logger, version: VERSION });
  installAuth(app, db, loadMemberships);
  await healthRoutes(app, { db });
  await authRoutes(app, { db, secureCookies: config.secureCookies });
  await jobRoutes(app, { jobs });
  await auditRoutes(app, { db, jobs });
  const { files, net, events } = services;
  const ctx = { db, config, jobs, files, net, events, log: app.log as FastifyBaseLogger };
  for (const m of modules) await m.routes?.(app, ctx);
  await webRoutes(app, { db, config, files, events });
  return app;
}

/** The jobs of the shared services and of every module. */
export function defineModuleJobs(jobs: JobQueue, config: Config, db: Db, services: SharedServices): void {
  jobs.define(STORAGE_SWEEP_JOB, () => services.files.sweep({ graceMs: SWEEP_GRACE_MS, unclaimedMs: UNCLAIMED_MS }));
  jobs.every(STORAGE_SWEEP_JOB, '23 * * * *');
  for (const m of modules) m.defineJobs?.(jobs, { db, config, files: services.files, net: services.net, events: services.events });
}
