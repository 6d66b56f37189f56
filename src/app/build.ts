import { auditRoutes } from '../platform/audit/index.js';
import { authPages, authRoutes, authWebPart, installAuth } from '../platform/auth/index.js';
import { createHttpServer, RawRoutes, type App } from '../platform/http/index.js';
import { jobRoutes } from '../platform/jobs/index.js';
import { webShell } from '../platform/web/index.js';
import { webPartOf } from '../platform/index.js';
import { loadMemberships } from '../modules/organizations/index.js';
import { healthRoutes, metricsRoute } from './health.js';
import type { SharedServices } from './services.js';
import { VERSION } from './version.js';

/** The whole HTTP app, not listening: the CLI listens on it, tests call `inject`. */
export async function buildApp({ services }: { services: SharedServices }): Promise<App> {
  const { ctx, modules } = services;
  const { db, config, jobs } = ctx;
  const raw = new RawRoutes();
  for (const m of modules) for (const r of m.rawRoutes?.(ctx) ?? []) raw.add(r);
  const app = await createHttpServer({ loggerInstance: ctx.log, version: VERSION, raw });
  app.addHook('onListen', async function () {
    const a = this.server.address();
    if (!a || typeof a !== 'object') return;
    // Listening on every interface: reach it on the loopback.
    const host = a.address === '0.0.0.0' ? '127.0.0.1' : a.address === '::' ? '::1' : a.address;
    ctx.self.set(`http://${host.includes(':') ? `[${host}]` : host}:${a.port}`);
  });
  installAuth(app, db, loadMemberships);
  await healthRoutes(app, { db });
  await metricsRoute(app, { metrics: ctx.metrics });
  await authRoutes(app, { db, secureCookies: config.secureCookies });
  await jobRoutes(app, { jobs });
  await auditRoutes(app, { db, jobs });
  for (const m of modules) await m.routes?.(app, ctx);
  await webShell(app, {
    parts: [authWebPart, ...modules.map((m) => webPartOf(m, ctx))],
    pages: [
      (web) => authPages(web, { db, secureCookies: config.secureCookies }),
      ...modules.map((m) => (web: App) => m.pages?.(web, ctx) ?? Promise.resolve()),
    ],
    secureCookies: config.secureCookies,
  });
  return app;
}
