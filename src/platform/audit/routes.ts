import { Type } from 'typebox';
import { requireSysadmin } from '../auth/index.js';
import type { Db } from '../db/index.js';
import { SECURED, type App } from '../http/types.js';
import type { JobQueue } from '../jobs/index.js';
import { AUDIT_VERIFY_JOB, listAudit } from './audit.js';

const Entry = Type.Object({
  stream: Type.String(),
  seq: Type.Number(),
  at: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorLabel: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.Union([Type.String(), Type.Null()]),
  details: Type.Unknown(),
  hash: Type.String(),
});

export async function auditRoutes(app: App, { db, jobs }: { db: Db; jobs: JobQueue }): Promise<void> {
  app.get(
    '/api/v1/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Nhật ký kiểm toán (quản trị hệ thống) / Audit trail (sysadmin)',
        security: SECURED,
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
          before: Type.Optional(Type.Integer({ minimum: 1 })),
          stream: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_.-]{0,39}$', default: 'audit' })),
          entityType: Type.Optional(Type.String({ maxLength: 64 })),
          entityId: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        response: { 200: Type.Array(Entry) },
      },
    },
    async (req) => {
      requireSysadmin(req.principal);
      const rows = await listAudit(db, {
        limit: req.query.limit,
        stream: req.query.stream,
        beforeSeq: req.query.before,
        entityType: req.query.entityType,
        entityId: req.query.entityId,
      });
      return rows.map((r) => ({
        stream: r.stream,
        seq: Number(r.seq),
        at: new Date(r.at).toISOString(),
        actorId: r.actor_id,
        actorLabel: r.actor_label,
        ip: r.ip,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        details: r.details,
        hash: r.hash,
      }));
    },
  );

  app.post(
    '/api/v1/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: 'Kiểm tra chuỗi băm nhật ký (công việc nền) / Verify the audit hash chain (background job)',
        security: SECURED,
        response: { 202: Type.Object({ jobId: Type.String() }) },
      },
    },
    async (req, reply) => {
      const user = requireSysadmin(req.principal);
      const jobId = await jobs.enqueue(db, AUDIT_VERIFY_JOB, {}, user.id);
      return reply.status(202).send({ jobId });
    },
  );
}
