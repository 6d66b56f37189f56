import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import type { Config } from '../platform/config/index.js';
import type { Db } from '../platform/db/index.js';
import { LocalServices, SelfAddress } from '../platform/http/index.js';
import { EventBus, Ports, type AppModule, type ModuleContext, type ModuleFactory } from '../platform/index.js';
import type { JobQueue } from '../platform/jobs/index.js';
import { Outbound } from '../platform/net/index.js';
import { SmtpMailer, UnconfiguredMailer } from '../platform/mail/index.js';
import { createMetrics } from '../platform/metrics/index.js';
import { LocalFileStore, STORAGE_SWEEP_JOB, SWEEP_GRACE_MS, UNCLAIMED_MS } from '../platform/storage/index.js';
import { createModules, MODULES } from './modules.js';

/** The composition of one app: its shared services, its module instances and the context they all get. */
export interface SharedServices {
  ctx: ModuleContext;
  modules: AppModule[];
  /** Every module's `start` (long-lived services, e.g. warming the search index), after the server listens. */
  start(): Promise<void>;
  /** Reverse order: modules' `stop` (last module first), then the shared services. */
  close(): Promise<void>;
}

/** A logger that writes nothing (tests, CLI commands that print their own output). */
export const silentLogger = (): FastifyBaseLogger => pino({ level: 'silent' });

/**
 * Builds the shared services once (file store, outbound HTTP, event bus, mailer; the job queue and the
 * logger come from the caller, which owns their lifetime), then each module's `init` and
 * `defineJobs` with the one context of this app.
 */
export function createServices(
  config: Config,
  db: Db,
  jobs: JobQueue,
  opts: { log?: FastifyBaseLogger; modules?: readonly ModuleFactory[] } = {},
): SharedServices {
  const files = new LocalFileStore(path.join(config.dataDir, 'files'), db);
  const net = new Outbound({ allow: config.outboundAllow });
  const events = new EventBus();
  const log = opts.log ?? silentLogger();
  const mail = config.smtpUrl ? new SmtpMailer(config.smtpUrl, config.mailFrom) : new UnconfiguredMailer(log);
  const ctx: ModuleContext = {
    db,
    config,
    jobs,
    log,
    files,
    net,
    events,
    mail,
    metrics: createMetrics(),
    local: new LocalServices(),
    self: new SelfAddress(),
    ports: new Ports(),
  };
  const modules = createModules(opts.modules ?? MODULES);
  jobs.define(STORAGE_SWEEP_JOB, () => files.sweep({ graceMs: SWEEP_GRACE_MS, unclaimedMs: UNCLAIMED_MS }));
  jobs.every(STORAGE_SWEEP_JOB, '23 * * * *');
  for (const m of modules) m.init?.(ctx);
  for (const m of modules) m.defineJobs?.(ctx);
  const started: AppModule[] = [];
  return {
    ctx,
    modules,
    start: async () => {
      for (const m of modules) {
        await m.start?.(ctx);
        started.push(m);
      }
    },
    close: async () => {
      for (const m of started.reverse()) await m.stop?.().catch((e: unknown) => ctx.log.error({ err: e, module: m.name }, 'module stop failed'));
      started.length = 0;
      await mail.close();
      await net.close();
    },
  };
}
