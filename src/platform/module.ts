import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config/index.js';
import type { AppMigration, Db } from './db/index.js';
import type { App, LocalServices, RawRoute, SelfAddress } from './http/index.js';
import type { JobQueue } from './jobs/index.js';
import type { EventBus } from './events.js';
import type { Outbound } from './net/index.js';
import type { FileStore } from './storage/index.js';
import type { Mailer } from './mail/index.js';
import type { Registry } from './metrics/index.js';
import type { Ports } from './ports.js';
import type { HomeWidget, NavEntry, SlotFill, WebPart } from './web/index.js';

/** What every module hook gets from the composition root: the same object for all hooks of one app. */
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
  /** Outgoing mail (SMTP); send from a job so a refused message is retried, not lost. */
  mail: Mailer;
  /** The app's Prometheus registry (served at `/metrics`). */
  metrics: Registry;
  /** In-process services by name (`local:NAME` service addresses of the exchange gateway). */
  local: LocalServices;
  /** The address this app listens on, once it does. */
  self: SelfAddress;
  /** Typed services modules offer each other (provided in `init`, used when present). */
  ports: Ports;
}

/**
 * The contract between a domain module and the app. A module is one folder under src/modules
 * whose index.ts exports a factory of this object; src/app lists the factories, and builds fresh
 * instances per app (so a module's long-lived state, such as an index, belongs to one app).
 * The platform never imports a module. Hooks run in this order: init, defineJobs, routes and
 * pages, then start (after the server listens); stop in reverse module order on shutdown.
 */
export interface AppModule {
  name: string;
  migrations: AppMigration[];
  /** The module's own message catalog (Vietnamese and English); a key another catalog defines fails at boot. */
  messages?: WebPart['messages'];
  /** Its entries in the main navigation (with a home-page card when they carry a summary) and the admin bar. */
  nav?: NavEntry[];
  /** Its blocks on the home page. */
  homeWidgets?(ctx: ModuleContext): HomeWidget[];
  /** Its contributions to other modules' page slots. */
  fills?(ctx: ModuleContext): SlotFill[];
  /** Reference data, loaded into every fresh database (idempotent). */
  seedReference?(db: Db): Promise<void>;
  /**
   * Demo data, only with --demo (idempotent); may store files. `db` is the connection holding the
   * seed lock; `ctx.pool` the app's pooled handle, for work that needs connections of its own
   * (the datastore's COPY loads).
   */
  seedDemo?(db: Db, ctx: { files: FileStore; pool: Db }): Promise<void>;
  /** Once per app, first: subscribe to other modules' events, read configuration files. */
  init?(ctx: ModuleContext): void;
  /** Job handlers (and schedules) this module runs in the background. */
  defineJobs?(ctx: ModuleContext): void;
  /** JSON API routes. */
  routes?(app: App, ctx: ModuleContext): Promise<void>;
  /**
   * Path prefixes it serves before the framework (its own credentials, streamed bodies, no JSON
   * hooks): the exchange gateway's `/r1/`. Only over a listening server (`inject` does not pass).
   */
  rawRoutes?(ctx: ModuleContext): RawRoute[];
  /** HTML pages, registered inside the web shell (its layout, error pages and language). */
  pages?(web: App, ctx: ModuleContext): Promise<void>;
  /** Long-lived services (indexes, listeners), started after the server listens; must not block. */
  start?(ctx: ModuleContext): Promise<void>;
  stop?(): Promise<void>;
}

/** A module's factory, as src/app lists them. */
export type ModuleFactory = () => AppModule;

/** What a module shows in the web shell, with this app's context. */
export const webPartOf = (m: AppModule, ctx: ModuleContext): WebPart => ({
  name: m.name,
  messages: m.messages,
  nav: m.nav,
  homeWidgets: m.homeWidgets?.(ctx),
  fills: m.fills?.(ctx),
});
