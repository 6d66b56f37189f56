import { sql } from 'kysely';
import { recordAudit, type AuditActor } from '../../../platform/audit/index.js';
import { actorOf } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { SECURED, type App } from '../../../platform/http/index.js';
import type { ModuleContext } from '../../../platform/module.js';
import { deleteEntity, patchEntity } from './change.js';
import { createEntity, refreshExtents, type WriteCtx } from './create.js';
import { createObservations } from './data-array.js';
import { bad } from './errors.js';
import { ENTITIES, SET_NAMES, type SetName } from './model.js';
import { parseOptions } from './options.js';
import type { Partitions } from './partitions.js';
import { isSingle, parsePath } from './path.js';
import { readPath, selfLink, serviceRoot } from './read.js';
import { geoRefusal } from './geo.js';
import type { Live } from '../live.js';
import { observationTime } from './values.js';

const tags = ['sensorthings'];
/** Monitoring writes keep an audit chain of their own, so ingest never waits on other modules' writers. */
export const SENSORS_AUDIT_STREAM = 'sensors';
const audit = (trx: Db, actor: AuditActor, action: string, entityType: string, entityId: string, details: Record<string, unknown> = {}) =>
  recordAudit(trx, actor, { action: `sensors.${action}`, entityType, entityId, details }, SENSORS_AUDIT_STREAM);
const CONFORMANCE = [
  'http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel',
  'http://www.opengis.net/spec/iot_sensing/1.1/req/resource-path/resource-path-to-entities',
  'http://www.opengis.net/spec/iot_sensing/1.1/req/request-data',
  'http://www.opengis.net/spec/iot_sensing/1.1/req/create-update-delete',
  'http://www.opengis.net/spec/iot_sensing/1.1/req/data-array/data-array',
];

const rest = (url: string) => decodeURI(new URL(url, 'http://x').pathname).replace(/^\/v1\.1\/?/, '');
const queryOf = (q: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((q ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(v)) throw bad(k, 'is given more than once', 'xuất hiện nhiều lần');
    if (typeof v === 'string') out[k] = v;
  }
  return out;
};

/** Every phenomenonTime in a body (an Observation, or Observations nested in a Datastream or Thing), to make their partitions first. */
function timesIn(v: unknown, out: Date[] = [], depth = 0): Date[] {
  if (depth > 8 || !v || typeof v !== 'object') return out;
  if (Array.isArray(v)) {
    for (const x of v) timesIn(x, out, depth + 1);
    return out;
  }
  for (const [k, x] of Object.entries(v)) {
    if (k === 'phenomenonTime') {
      try {
        out.push(observationTime(x, k).start);
      } catch {
        /* the write reports it */
      }
    } else if (k === 'Observations' || k === 'Datastreams' || k === 'Datastream') timesIn(x, out, depth + 1);
  }
  return out;
}

/**
 * OGC SensorThings API v1.1 at /v1.1: the service root, reads of every path (entities,
 * navigation, properties, $value, $ref) with the query options, create (deep insert, all or
 * nothing), PATCH, DELETE and CreateObservations. Reads are public; writes as access.ts says.
 */
export async function staRoutes(app: App, ctx: ModuleContext, partitions: Partitions, live: Live): Promise<void> {
  const { db } = ctx;
  const announce = (set: SetName, id: number) => live.announceIds(db, set, [id]);
  const base = () => serviceRoot(ctx.config.baseUrl);

  app.get('/v1.1', { schema: { tags, summary: 'SensorThings service root / Gốc dịch vụ SensorThings' } }, async () => ({
    value: SET_NAMES.map((name) => ({ name, url: `${base()}/${name}` })),
    serverSettings: { conformance: CONFORMANCE },
  }));

  app.get(
    '/v1.1/*',
    {
      schema: {
        tags,
        summary: 'Đọc thực thể / Read entities',
        description: 'Any SensorThings resource path with $filter, $expand, $select, $orderby, $top, $skip, $count, $resultFormat.',
      },
    },
    async (req, reply) => {
      const path = parsePath(rest(req.url));
      const last = path.steps.at(-1)!;
      const options = parseOptions(last.set, queryOf(req.query));
      const url = new URL(req.url, `${base()}/`);
      const absolute = new URL(`${base()}${url.pathname.replace(/^\/v1\.1/, '')}${url.search}`);
      const out = await readPath(db, path, options, base(), absolute).catch((e: unknown) => {
        throw geoRefusal(e) ?? e;
      });
      if (typeof out === 'string') return reply.type('text/plain; charset=utf-8').send(out);
      return out;
    },
  );

  app.post(
    '/v1.1/CreateObservations',
    { bodyLimit: 64 * 1024 * 1024, schema: { tags, summary: 'Tạo quan trắc dạng mảng / Create observations (data array)', security: SECURED } },
    async (req, reply) => {
      const { answers, rows } = await createObservations(db, partitions, req.principal, actorOf(req), req.body, base());
      live.announce(rows.map((row) => ({ set: 'Observations', row })));
      return reply.status(201).send(answers);
    },
  );

  app.post(
    '/v1.1/*',
    { bodyLimit: 16 * 1024 * 1024, schema: { tags, summary: 'Tạo thực thể / Create an entity (deep insert)', security: SECURED } },
    async (req, reply) => {
      const path = parsePath(rest(req.url));
      if (path.property || path.ref) throw bad('path', 'entities are created by POST to a collection', 'tạo thực thể bằng POST tới một tập');
      if (isSingle(path)) throw bad('path', 'POST to a collection, not to one entity', 'POST tới một tập, không tới một thực thể');
      const last = path.steps.at(-1)!;
      // Created under a parent (POST /Things(1)/Datastreams): the link to it is set.
      const preset: Record<string, unknown> = {};
      let viaParent: { table: string; self: string; other: string; parent: number } | undefined;
      if (path.steps.length > 1) {
        const parent = path.steps.at(-2)!;
        if (parent.id === undefined) throw bad('path', 'the parent needs an id', 'thực thể cha cần id');
        const link = ENTITIES[parent.set].links[last.link!]!;
        if (link.one) throw bad('path', `${last.link} is a single entity of ${parent.set}: create it by PATCH or inline`, 'không tạo được qua liên kết đơn');
        if ('back' in link) preset[link.back] = parent.id;
        else viaParent = { ...link.via, parent: parent.id };
      }
      await partitions.ensure(db, timesIn(req.body));
      const id = await db.transaction().execute(async (trx) => {
        const c: WriteCtx = { trx, p: req.principal, touched: new Map(), mayWrite: new Map() };
        const created = await createEntity(c, last.set, req.body, ENTITIES[last.set].singular, preset);
        if (viaParent) {
          await sql`insert into ${sql.table(viaParent.table)} (${sql.id(viaParent.self)}, ${sql.id(viaParent.other)}) values (${viaParent.parent}, ${created}) on conflict do nothing`.execute(
            trx,
          );
        }
        await refreshExtents(trx, c.touched);
        await audit(trx, actorOf(req), 'create', last.set, String(created));
        return created;
      });
      await announce(last.set, id);
      const link = selfLink(base(), last.set, id);
      const entity = await readPath(db, { steps: [{ set: last.set, id }] }, parseOptions(last.set, {}), base(), new URL(link));
      return reply.status(201).header('location', link).send(entity);
    },
  );

  app.patch('/v1.1/*', { schema: { tags, summary: 'Sửa thực thể / Update an entity (PATCH)', security: SECURED } }, async (req) => {
    const path = parsePath(rest(req.url));
    const last = path.steps.at(-1)!;
    if (path.steps.length !== 1 || last.id === undefined || path.property || path.ref)
      throw bad('path', 'PATCH an entity by its own path: /Set(id)', 'PATCH tới /Tập(id)');
    await db.transaction().execute(async (trx) => {
      const changed = await patchEntity(trx, req.principal, last.set, last.id!, req.body);
      if (changed.length) await audit(trx, actorOf(req), 'update', last.set, String(last.id), { changed });
    });
    await announce(last.set, last.id);
    return readPath(db, path, parseOptions(last.set, {}), base(), new URL(selfLink(base(), last.set, last.id)));
  });

  app.delete('/v1.1/*', { schema: { tags, summary: 'Xoá thực thể / Delete an entity', security: SECURED } }, async (req, reply) => {
    const path = parsePath(rest(req.url));
    const last = path.steps.at(-1)!;
    if (path.steps.length !== 1 || last.id === undefined || path.property || path.ref)
      throw bad('path', 'DELETE an entity by its own path: /Set(id)', 'DELETE tới /Tập(id)');
    await db.transaction().execute(async (trx) => {
      await deleteEntity(trx, req.principal, last.set, last.id!);
      await audit(trx, actorOf(req), 'delete', last.set, String(last.id));
    });
    return reply.status(200).send({});
  });
}
