import os from 'node:os';
import { secretBoxOf, type SecretBox } from '../../platform/crypto/index.js';
import type { AppModule, ModuleContext } from '../../platform/module.js';
import { gatewayHandler } from './gateway/handler.js';
import { pruneRateCounters, RateLimiter } from './gateway/limits.js';
import { Pools } from './gateway/pools.js';
import { listenTls } from './gateway/tls.js';
import { LOG_VERIFY_JOB, PRUNE_JOB } from './jobs.js';
import { pruneBodies } from './log/search.js';
import { verifyLog } from './log/verify.js';
import { MessageLog } from './log/writer.js';
import { migrations } from './migrations.js';
import { Registry } from './registry/registry.js';
import { exchangeRoutes } from './routes.js';
import { EXCHANGE_MESSAGES, exchangeNav, exchangePages } from './web/index.js';

export { applyRegistry } from './registry/apply.js';
export { exportRegistry, registryYaml } from './registry/export.js';
export { createClientToken, createPeerToken, registerClientCert } from './registry/credentials.js';
export { verifyLog, type LogVerifyResult } from './log/verify.js';
export { evidenceFor, evidenceFiles, VERIFY_SH } from './log/evidence.js';
export { parseRegistryText } from './routes.js';
export { MessageLog } from './log/writer.js';
export { LOG_VERIFY_JOB } from './jobs.js';

/**
 * The LGSP data-exchange module: the registry of agencies, their information systems and
 * services, access rights and client credentials; the X-Road-style gateway at `/r1/`; the
 * hash-chained message log with signed checkpoints; federation with other instances.
 */
export function exchangeModule(): AppModule {
  let sealer: SecretBox | undefined;
  let parts: { registry: Registry; log: MessageLog; limiter: RateLimiter; pools: Pools } | undefined;
  let gateway: ReturnType<typeof gatewayHandler> | undefined;
  let tls: Awaited<ReturnType<typeof listenTls>> | undefined;
  const box = (ctx: ModuleContext) => () => (sealer ??= secretBoxOf(ctx.config));
  const partsOf = (ctx: ModuleContext) => {
    if (parts) return parts;
    const registry = new Registry(ctx.db, box(ctx));
    parts = {
      registry,
      log: new MessageLog(ctx.db, box(ctx), `${os.hostname()}/${process.pid}`, () => registry.current.instance),
      limiter: new RateLimiter(ctx.db),
      pools: new Pools({ allow: ctx.config.outboundAllow }),
    };
    return parts;
  };
  return {
    name: 'exchange',
    migrations,
    messages: EXCHANGE_MESSAGES,
    nav: exchangeNav,
    defineJobs: (ctx) => {
      ctx.jobs.define(LOG_VERIFY_JOB, async (_data, job) => {
        const r = await verifyLog(ctx.db, (n) => void job.progress(n, n, `${n} bản ghi / records`).catch(() => undefined));
        return { ...r };
      });
      ctx.jobs.define(PRUNE_JOB, async () => {
        const bodies = await pruneBodies(ctx.db);
        await pruneRateCounters(ctx.db);
        return { bodies };
      });
      ctx.jobs.every(PRUNE_JOB, '17 * * * *');
    },
    rawRoutes: (ctx) => {
      gateway = gatewayHandler({ ...partsOf(ctx), metrics: ctx.metrics, local: ctx.local });
      return [{ prefix: '/r1/', handle: gateway }];
    },
    routes: async (app, ctx) => exchangeRoutes(app, ctx, { box: box(ctx), log: partsOf(ctx).log }),
    pages: (web, ctx) => exchangePages(web, { ...ctx, box: box(ctx) }),
    start: async (ctx) => {
      const p = partsOf(ctx);
      // Not awaited (a module's start must not block): a call before the first load waits for it.
      void p.registry.start().catch((e: unknown) => ctx.log.error({ err: e }, 'exchange registry not loaded'));
      p.log.start();
      p.limiter.start();
      const t = ctx.config.exchangeTls;
      if (t && gateway) tls = await listenTls({ ...t, host: ctx.config.host }, gateway);
    },
    stop: async () => {
      if (tls) await new Promise((r) => tls!.close(r));
      if (!parts) return;
      parts.registry.stop();
      await parts.limiter.stop();
      await parts.log.stop();
      await parts.pools.close();
    },
  };
}
