import { ping, type Db } from '../platform/db/index.js';
import { Type, type App } from '../platform/http/index.js';

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
