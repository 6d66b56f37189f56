import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config/index.js';
import type { AppMigration, Db } from './db/index.js';
import type { App } from './http/index.js';
import type { JobQueue } from './jobs/index.js';
import type { EventBus } from './events.js';
import type { Outbound } from './net/index.js';
import type { FileStore } from './storage/index.js';

/** What every module gets from the composition root. */
export interface ModuleContext {
  db: Db;
  config: Config;
  jobs: JobQueue;
  log: FastifyBaseLogger;
  /** Uploaded files under the data dir. */
  files: FileStore;
  /** Outbound HTTP under the operator's policy (no internal addresses unless allowed). */
  net: Outbound;
  /** Domain events between modules (handlers run in the emitter's transaction). */
  events: EventBus;
}

/**
 * The contract between a domain module and the app. Modules are composed in src/app; the platform
 * never imports a module.
 */
export interface AppModule {
  name: string;
  migrations: AppMigration[];
  /** Reference data, loaded into every fresh database (idempotent). */
  seedReference?(db: Db): Promise<void>;
  /** Demo data, only with --demo (idempotent); may store files. */
  seedDemo?(db: Db, ctx: { files: FileStore }): Promise<void>;
  /** Job handlers this module runs in the background. */
  defineJobs?(jobs: JobQueue, ctx: Omit<ModuleContext, 'jobs' | 'log'>): void;
  routes?(app: App, ctx: ModuleContext): Promise<void>;
  /** Called once per app when the shared services are built: subscribe to other modules' events, read configuration files. */
  init?(ctx: { config: Config; events: EventBus }): void;
}
