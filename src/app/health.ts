import { ping, type Db } from '../platform/db/index.js';
import { requireSysadmin } from '../platform/auth/index.js';
import { SECURED, Type, type App } from '../platform/http/index.js';
import type { Registry } from '../platform/metrics/index.js';

/** GET /healthz: 200 {"status":"ok"} only while the database answers. */
export async function healthRoutes(app: App, { db }: { db: Db }): Promise<void> {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['platform'],
        summary: 'Tình trạng / Health',
        response: { 200: Type.Object({ status: Type.Literal('ok') }), 503: Type.Object({ status: Type.Literal('unavailable'), reason: Type.String() }) },
      },
    },
    async (_req, reply) => {
      if (await ping(db)) return { status: 'ok' as const };
      return reply.status(503).send({ status: 'unavailable' as const, reason: 'database' });
    },
  );
}

/** GET /metrics: the Prometheus text of the app's registry, for a sysadmin's token (a scraper's bearer token). */
export async function metricsRoute(app: App, { metrics }: { metrics: Registry }): Promise<void> {
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['platform'],
        summary: 'Số đo Prometheus / Prometheus metrics',
        description: 'Prometheus text exposition: process metrics and the exchange gateway’s calls, errors and latencies per service. Sysadmin only.',
        security: SECURED,
      },
    },
    async (req, reply) => {
      requireSysadmin(req.principal);
      return reply.type(metrics.contentType).send(await metrics.metrics());
    },
  );
}
