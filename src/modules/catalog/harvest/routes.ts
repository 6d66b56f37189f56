import { actorOf } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { SECURED, Type, type App } from '../../../platform/http/index.js';
import type { JobQueue } from '../../../platform/jobs/index.js';
import * as svc from './service.js';
import { HARVEST_SCHEDULES, type HarvestRunRow, type HarvestSourceRow } from './tables.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const SourceDto = Type.Object({
  id: Type.String(),
  name: Type.String(),
  title: Type.String(),
  type: Type.String(),
  url: Type.String(),
  ownerOrg: Type.String(),
  schedule: Type.String(),
  fq: Nullable(Type.String()),
  active: Type.Boolean(),
  lastModifiedSeen: Nullable(Type.String()),
});
const RunDto = Type.Object({
  id: Type.String(),
  sourceId: Type.String(),
  jobId: Nullable(Type.String()),
  mode: Type.String(),
  status: Type.String(),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  deleted: Type.Integer(),
  skipped: Type.Integer(),
  errors: Type.Array(Type.Object({ remote: Type.Optional(Type.String()), message: Type.String() })),
  message: Nullable(Type.String()),
  startedAt: Nullable(Type.String()),
  finishedAt: Nullable(Type.String()),
});

const presentSource = (s: HarvestSourceRow) => ({
  id: s.id,
  name: s.name,
  title: s.title,
  type: s.type,
  url: s.url,
  ownerOrg: s.owner_org,
  schedule: s.schedule,
  fq: s.fq,
  active: s.active,
  lastModifiedSeen: iso(s.last_modified_seen),
});
const presentRun = (r: HarvestRunRow) => ({
  id: r.id,
  sourceId: r.source_id,
  jobId: r.job_id,
  mode: r.mode,
  status: r.status,
  created: r.created,
  updated: r.updated,
  unchanged: r.unchanged,
  deleted: r.deleted,
  skipped: r.skipped,
  errors: r.errors,
  message: r.message,
  startedAt: iso(r.started_at),
  finishedAt: iso(r.finished_at),
});

const Schedule = Type.Union(HARVEST_SCHEDULES.map((s) => Type.Literal(s)));
const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const editable = {
  title: Type.String({ minLength: 1, maxLength: 300 }),
  url: Type.String({ minLength: 8, maxLength: 2000 }),
  ownerOrg: Type.String({ minLength: 1, maxLength: 100 }),
  schedule: Schedule,
  fq: Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]),
};

/** /api/v1/harvest — harvest sources (CKAN or DCAT catalogues) and their runs; sysadmins only. */
export async function harvestRoutes(app: App, { db, jobs }: { db: Db; jobs: JobQueue }): Promise<void> {
  const tags = ['harvest'];
  app.get(
    '/api/v1/harvest/sources',
    { schema: { tags, summary: 'Nguồn thu thập / Harvest sources', security: SECURED, response: { 200: Type.Array(SourceDto) } } },
    async (req) => (await svc.listSources(db, req.principal)).map(presentSource),
  );
  app.post(
    '/api/v1/harvest/sources',
    {
      schema: {
        tags,
        summary: 'Thêm nguồn thu thập / Add a harvest source',
        security: SECURED,
        body: Type.Object(
          {
            name: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{1,59}$' }),
            type: Type.Union([Type.Literal('ckan'), Type.Literal('dcat')]),
            ...editable,
            schedule: Type.Optional(Schedule),
            fq: Type.Optional(editable.fq),
          },
          { additionalProperties: false },
        ),
        response: { 201: SourceDto },
      },
    },
    async (req, reply) => reply.status(201).send(presentSource(await svc.createSource(db, req.principal, actorOf(req), req.body))),
  );
  app.get(
    '/api/v1/harvest/sources/:id',
    {
      schema: {
        tags,
        summary: 'Xem nguồn và các lần thu thập / Source and its runs',
        security: SECURED,
        params: IdParam,
        response: { 200: Type.Object({ source: SourceDto, runs: Type.Array(RunDto) }) },
      },
    },
    async (req) => {
      const { source, runs } = await svc.getSource(db, req.principal, req.params.id);
      return { source: presentSource(source), runs: runs.map(presentRun) };
    },
  );
  app.patch(
    '/api/v1/harvest/sources/:id',
    {
      schema: {
        tags,
        summary: 'Sửa nguồn thu thập / Update a source',
        security: SECURED,
        params: IdParam,
        body: Type.Partial(Type.Object({ ...editable, active: Type.Boolean() }), { additionalProperties: false }),
        response: { 200: SourceDto },
      },
    },
    async (req) => presentSource(await svc.updateSource(db, req.principal, actorOf(req), req.params.id, req.body)),
  );
  app.delete(
    '/api/v1/harvest/sources/:id',
    { schema: { tags, summary: 'Xóa nguồn / Delete a source', security: SECURED, params: IdParam, response: { 204: Type.Null() } } },
    async (req, reply) => {
      await svc.deleteSource(db, req.principal, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/v1/harvest/sources/:id/runs',
    {
      schema: {
        tags,
        summary: 'Chạy thu thập (công việc nền) / Start a harvest run (background job)',
        security: SECURED,
        params: IdParam,
        body: Type.Optional(
          Type.Object({ mode: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('incremental')])) }, { additionalProperties: false }),
        ),
        response: { 202: RunDto },
      },
    },
    async (req, reply) =>
      reply.status(202).send(presentRun(await svc.startRun(db, jobs, req.principal, actorOf(req), req.params.id, req.body?.mode ?? 'full'))),
  );
  app.get(
    '/api/v1/harvest/runs/:id',
    { schema: { tags, summary: 'Báo cáo lần thu thập / Harvest run report', security: SECURED, params: IdParam, response: { 200: RunDto } } },
    async (req) => presentRun(await svc.getRun(db, req.principal, req.params.id)),
  );
}
