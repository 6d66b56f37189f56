import { actorOf } from '../../platform/auth/index.js';
import type { SecretBox } from '../../platform/crypto/index.js';
import { SECURED, Type, type App } from '../../platform/http/index.js';
import type { ModuleContext } from '../../platform/module.js';
import { dbPullOf, presentDbPull, removeDbPull, requestDbPull, setDbPull } from './db-pull.js';

const Params = Type.Object({ rid: Type.String({ format: 'uuid' }) });
const DbPullDto = Type.Object({
  engine: Type.String(),
  host: Type.String(),
  port: Type.Integer(),
  database: Type.String(),
  user: Type.String(),
  password_set: Type.Boolean(),
  query: Type.String(),
  incremental_column: Type.Union([Type.String(), Type.Null()]),
  every_minutes: Type.Union([Type.Integer(), Type.Null()]),
  next_at: Type.Union([Type.String(), Type.Null()]),
  last_status: Type.Union([Type.String(), Type.Null()]),
  last_error: Type.Union([Type.String(), Type.Null()]),
  last_rows: Type.Union([Type.Integer(), Type.Null()]),
  checked_at: Type.Union([Type.String(), Type.Null()]),
  changed_at: Type.Union([Type.String(), Type.Null()]),
});

/** Pulls of a resource's table from a sector system's own database. */
export function dbPullRoutes(app: App, ctx: ModuleContext, box: () => SecretBox): void {
  const { db, jobs } = ctx;
  app.get(
    '/api/v1/datastore/:rid/db-pull',
    {
      schema: {
        tags: ['datastore'],
        summary: 'Nguồn cơ sở dữ liệu của bảng / The table’s database source',
        description: 'For editors: the engine, host, database, user (not the password), query, incremental column, schedule and the last pull’s outcome.',
        security: SECURED,
        params: Params,
        response: { 200: DbPullDto },
      },
    },
    async (req) => presentDbPull(await dbPullOf(db, req.principal, req.params.rid)),
  );
  app.put(
    '/api/v1/datastore/:rid/db-pull',
    {
      schema: {
        tags: ['datastore'],
        summary: 'Lấy dữ liệu từ cơ sở dữ liệu ngành / Pull from a sector database',
        description:
          'engine postgresql or mysql (MySQL and MariaDB); host (internal addresses need the operator’s TINHSO_OUTBOUND_ALLOW), port, database, user — give a user with read rights only —, password (stored encrypted; leave it out to keep the stored one), query: one SELECT, run in a read-only transaction with a statement timeout. incremental_column: a key or time column; once the table holds rows, each pull fetches only the rows above its largest value and adds them (upserted by the table’s primary key when it has one). every_minutes (5–525600, null: on demand). A first pull is queued.',
        security: SECURED,
        params: Params,
        body: Type.Object(
          {
            engine: Type.Union([Type.Literal('postgresql'), Type.Literal('mysql')]),
            host: Type.String({ minLength: 1, maxLength: 255 }),
            port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
            database: Type.String({ minLength: 1, maxLength: 128 }),
            user: Type.String({ minLength: 1, maxLength: 128 }),
            password: Type.Optional(Type.String({ maxLength: 1024 })),
            query: Type.String({ minLength: 1, maxLength: 20_000 }),
            incremental_column: Type.Optional(Type.Union([Type.String({ maxLength: 63 }), Type.Null()])),
            every_minutes: Type.Optional(Type.Union([Type.Integer({ minimum: 5, maximum: 525_600 }), Type.Null()])),
          },
          { additionalProperties: false },
        ),
        response: { 202: Type.Object({ job_id: Type.String(), db_pull: DbPullDto }) },
      },
    },
    async (req, reply) => {
      const r = await setDbPull({ db, jobs, box }, req.principal, actorOf(req), req.params.rid, req.body);
      return reply.status(202).send({ job_id: r.jobId, db_pull: presentDbPull(r.state) });
    },
  );
  app.post(
    '/api/v1/datastore/:rid/db-pull/run',
    {
      schema: {
        tags: ['datastore'],
        summary: 'Lấy dữ liệu từ cơ sở dữ liệu ngay / Pull from the database now',
        security: SECURED,
        params: Params,
        response: { 202: Type.Object({ job_id: Type.String() }) },
      },
    },
    async (req, reply) => reply.status(202).send({ job_id: await requestDbPull(db, jobs, req.principal, actorOf(req), req.params.rid) }),
  );
  app.delete(
    '/api/v1/datastore/:rid/db-pull',
    {
      schema: {
        tags: ['datastore'],
        summary: 'Ngừng lấy từ cơ sở dữ liệu / Stop pulling from the database',
        security: SECURED,
        params: Params,
      },
    },
    async (req, reply) => {
      await removeDbPull(db, req.principal, actorOf(req), req.params.rid);
      return reply.status(204).send();
    },
  );
}
