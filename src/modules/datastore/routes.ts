import { finished } from 'node:stream/promises';
import { actorOf } from '../../platform/auth/index.js';
import { withClient } from '../../platform/db/index.js';
import { badRequest, SECURED, Type, type App } from '../../platform/http/index.js';
import type { ModuleContext } from '../../platform/module.js';
import { CKAN_TYPE, MAX_LIMIT, type Aggregate, type Filter } from './query.js';
import type { IndexAdvisor } from './indexes.js';
import { EXPORT_TYPES, exportStream, type ExportFormat } from './export.js';
import { pullStateOf, requestPull } from './pull.js';
import { loadsOf, readableTable, reload } from './service.js';
import { SECTOR_TEMPLATES } from './templates.js';
import { MAX_RECORDS, setScope, upsertRecords } from './write.js';
import type { DatastoreLoadRow, DatastorePullRow } from './tables.js';
import type { FileEncoding } from './ingest/decode.js';
import { notModified, validatorsOf } from './validators.js';

const FILTER = /^(.+?):(eq|in|gt|gte|lt|lte):(.*)$/s;
const AGG = /^(count|sum|avg|min|max)(?::(.+))?$/;

function parseFilters(raw: string | string[] | undefined): Filter[] {
  return (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]).map((f) => {
    const m = FILTER.exec(f);
    if (!m)
      throw badRequest(
        'datastore_filter',
        { vi: 'Bộ lọc phải có dạng trường:phép:giá trị (eq, in, gt, gte, lt, lte).', en: 'A filter is field:op:value (op: eq, in, gt, gte, lt, lte).' },
        'filter',
      );
    const op = m[2] === 'eq' ? 'in' : (m[2] as Filter['op']);
    return { field: m[1]!, op, values: m[2] === 'in' ? m[3]!.split('|') : [m[3]!] };
  });
}

const encodeCursor = (c: { afterId?: number; offset?: number }) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(s: string | undefined): { afterId?: number; offset?: number } {
  if (!s) return {};
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as { afterId?: unknown; offset?: unknown };
    if (c.afterId !== undefined && !Number.isSafeInteger(c.afterId)) throw new Error('bad');
    if (c.offset !== undefined && !(Number.isSafeInteger(c.offset) && (c.offset as number) >= 0)) throw new Error('bad');
    return c as { afterId?: number; offset?: number };
  } catch {
    throw badRequest('datastore_cursor', { vi: 'Con trỏ trang không hợp lệ.', en: 'Invalid cursor.' }, 'cursor');
  }
}

const presentLoad = (l: DatastoreLoadRow) => ({
  id: l.id,
  resourceId: l.resource_id,
  jobId: l.job_id,
  status: l.status,
  source: { filename: l.source.filename, sha256: l.source.sha256, size: l.source.size },
  version: l.version,
  rows: l.row_count,
  report: l.report,
  error: l.error,
  dryRun: !!l.source.dryRun,
  tables: l.tables,
  createdAt: l.created_at.toISOString(),
  startedAt: l.started_at?.toISOString() ?? null,
  finishedAt: l.finished_at?.toISOString() ?? null,
});

const Query = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 500 })),
  fields: Type.Optional(Type.String({ maxLength: 4000 })),
  sort: Type.Optional(Type.String({ maxLength: 1000 })),
  filter: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Array(Type.String({ maxLength: 2000 }), { maxItems: 50 })])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  total: Type.Optional(Type.Boolean()),
  group_by: Type.Optional(Type.String({ maxLength: 1000 })),
  agg: Type.Optional(Type.String({ maxLength: 1000 })),
});

const splitList = (s: string | undefined) =>
  s
    ? s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    : undefined;

/** The native datastore API: queries with cursor paging, group-by aggregates, loads and the CSV export. */
/** A table: a resource id, or "<resource id>:<sheet>" for a workbook's later sheets. */
export const TABLE_ID = Type.String({ pattern: '^[0-9a-fA-F-]{36}(:[0-9]{1,3})?$' });
/** A text file's encoding and delimiter, as the editor may set them. */
export const ENCODING = Type.Union(['utf-8', 'utf-16le', 'utf-16be', 'windows-1258', 'tcvn3', 'vni'].map((e) => Type.Literal(e as FileEncoding)));
export const DELIMITER = Type.Union([',', ';', '\t', '|'].map((d) => Type.Literal(d)));
/** First and last sheet row (1-based, inclusive). */
const RowRange = Type.Tuple([Type.Integer({ minimum: 1 }), Type.Integer({ minimum: 1 })]);

export async function datastoreRoutes(app: App, ctx: ModuleContext, advisor: IndexAdvisor): Promise<void> {
  const { db, jobs } = ctx;
  app.get(
    '/api/v1/datastore/templates',
    {
      schema: {
        tags: ['datastore'],
        summary: 'Mẫu cơ sở dữ liệu ngành / Sector database templates',
        description:
          'Ready schemas for the sector databases the plan names; create an empty shared table from one with datastore_create {resource_id, template}.',
        response: {
          200: Type.Object({
            templates: Type.Array(
              Type.Object({
                id: Type.String(),
                title: Type.Object({ vi: Type.String(), en: Type.String() }),
                sector: Type.String(),
                fields: Type.Array(Type.Object({ id: Type.String(), type: Type.String(), info: Type.Object({ label: Type.String() }) })),
                primary_key: Type.Array(Type.String()),
                scope_column: Type.String(),
              }),
            ),
          }),
        },
      },
    },
    async () => ({
      templates: SECTOR_TEMPLATES.map((t) => ({
        id: t.id,
        title: t.title,
        sector: t.sector,
        fields: t.fields,
        primary_key: t.primaryKey,
        scope_column: t.scopeColumn,
      })),
    }),
  );
  app.get(
    '/api/v1/datastore/:rid',
    {
      schema: {
        tags: ['datastore'],
        summary: 'Truy vấn bảng dữ liệu của tài nguyên / Query a resource’s table',
        description:
          'filter=field:op:value (eq, in with values separated by |, gt, gte, lt, lte), q (accent-insensitive text), fields=a,b, sort=a,-b, limit, cursor (from `next`); group_by=a,b with agg=count,sum:x,avg:x,min:x,max:x returns groups instead of rows.',
        params: Type.Object({ rid: TABLE_ID }),
        querystring: Query,
        response: {
          200: Type.Object({
            fields: Type.Array(Type.Object({ id: Type.String(), type: Type.String(), title: Type.String() })),
            records: Type.Array(Type.Unknown()),
            total: Type.Optional(Type.Integer()),
            /** Above 100,000 matching rows the total is the planner's estimate. */
            total_estimated: Type.Optional(Type.Boolean()),
            next: Type.Optional(Type.String()),
          }),
        },
      },
    },
    async (req) => {
      const { table, queries } = await readableTable(db, req.principal, req.params.rid);
      const filters = parseFilters(req.query.filter);
      const q = req.query.q;
      const limit = req.query.limit ?? 100;
      if (req.query.group_by !== undefined || req.query.agg !== undefined) {
        const aggs: Aggregate[] = (splitList(req.query.agg) ?? ['count']).map((a) => {
          const m = AGG.exec(a);
          if (!m)
            throw badRequest(
              'datastore_agg',
              { vi: 'Phép gộp: count, sum:trường, avg:trường, min:trường, max:trường.', en: 'agg is count, sum:field, avg:field, min:field or max:field.' },
              'agg',
            );
          return { fn: m[1] as Aggregate['fn'], ...(m[2] ? { field: m[2] } : {}) };
        });
        const groups = splitList(req.query.group_by) ?? [];
        const rows = await queries.aggregate(db, { filters, ...(q ? { q } : {}) }, groups, aggs, limit);
        const fields = [
          ...groups.map((g) => queries.field('group_by', g)).map((f) => ({ id: f.id, type: CKAN_TYPE[f.pgType] ?? 'text', title: f.title })),
          ...aggs.map((a) => ({
            id: a.field ? `${a.fn}_${a.field}` : 'count',
            type: a.fn === 'count' ? 'int' : 'numeric',
            title: a.field ? `${a.fn}(${a.field})` : 'count',
          })),
        ];
        return { fields, records: rows };
      }
      const sort = (splitList(req.query.sort) ?? []).map((s) => (s.startsWith('-') ? { field: s.slice(1), desc: true } : { field: s, desc: false }));
      const cursor = decodeCursor(req.query.cursor);
      const keyset = sort.length === 0;
      const fields = splitList(req.query.fields);
      const withId = fields && keyset && !fields.includes('_id') ? ['_id', ...fields] : fields;
      const r = await queries.search(db, {
        filters,
        ...(q ? { q } : {}),
        ...(withId ? { fields: withId } : {}),
        sort,
        limit,
        offset: keyset ? 0 : (cursor.offset ?? 0),
        ...(keyset && cursor.afterId !== undefined ? { afterId: cursor.afterId } : {}),
        includeTotal: req.query.total ?? !req.query.cursor,
      });
      await advisor.hint(table, [...filters.map((f) => f.field), ...sort.map((s) => s.field)]);
      let next: string | undefined;
      if (r.records.length === limit) {
        const c = keyset ? { afterId: Number(r.records.at(-1)!._id) } : { offset: (cursor.offset ?? 0) + limit };
        const u = new URL(req.url, ctx.config.baseUrl);
        u.searchParams.set('cursor', encodeCursor(c));
        next = `${u.pathname}${u.search}`;
      }
      return {
        fields: r.fields.map((f) => ({ id: f.id, type: CKAN_TYPE[f.pgType] ?? 'text', title: f.title })),
        records: r.records,
        ...(r.total !== undefined ? { total: r.total, ...(r.totalEstimated ? { total_estimated: true } : {}) } : {}),
        ...(next ? { next } : {}),
      };
    },
  );

  for (const format of Object.keys(EXPORT_TYPES) as ExportFormat[])
    app.get(
      `/api/v1/datastore/:rid/export.${format}`,
      {
        schema: {
          tags: ['datastore'],
          summary: `Tải bảng dữ liệu dạng ${format.toUpperCase()} / Download the table as ${format.toUpperCase()}`,
          description:
            format === 'geojson'
              ? 'Features with the geometry column (GeoJSON kept from the file) or a point from latitude/longitude columns (vi_do/kinh_do, lat/lon); the other fields as properties.'
              : 'Streamed; the rows the caller may read (sharing by administrative unit applies). ETag and Last-Modified name the table’s version and last write: a conditional GET (If-None-Match / If-Modified-Since) of an unchanged table is answered 304.',
          params: Type.Object({ rid: TABLE_ID }),
        },
      },
      async (req, reply) => {
        const { queries, table, scope } = await readableTable(db, req.principal, req.params.rid);
        // Validators, so a portal mirroring the table (a pull of its dump) is answered 304 while it is unchanged.
        const v = validatorsOf(table, scope);
        void reply.header('etag', v.etag).header('last-modified', v.lastModified).header('cache-control', 'private, no-cache');
        if (notModified(req.headers, v)) return reply.status(304).send();
        return withClient(db, async (_k, client) => {
          const { stream, done } = await exportStream(db, client, queries, format, table.sheet_name ?? 'Dữ liệu');
          void reply
            .type(EXPORT_TYPES[format])
            .header('content-disposition', `attachment; filename="${req.params.rid.replace(':', '-')}.${format}"`)
            .send(stream);
          await Promise.all([done, finished(stream).catch(() => undefined)]);
          return reply;
        });
      },
    );

  // CKAN's dump URL of a table (what a datastore-only resource's url points to, see catalog's
  // datastoreDumpUrl): the streamed export, so portals harvesting ours can mirror such tables.
  app.get(
    '/datastore/dump/:rid',
    { schema: { hide: true, params: Type.Object({ rid: TABLE_ID }), querystring: Type.Object({ format: Type.Optional(Type.String({ maxLength: 20 })) }) } },
    async (req, reply) => {
      const format = (req.query.format ?? 'csv').toLowerCase();
      if (!Object.hasOwn(EXPORT_TYPES, format))
        throw badRequest('datastore_dump', { vi: 'Định dạng: csv, json, jsonl, geojson, xlsx.', en: 'format is csv, json, jsonl, geojson or xlsx.' }, 'format');
      return reply.redirect(`/api/v1/datastore/${req.params.rid}/export.${format}`, 302);
    },
  );

  app.get(
    '/api/v1/datastore/:rid/loads',
    { schema: { tags: ['datastore'], summary: 'Các lần nạp dữ liệu / Loads of a resource', params: Type.Object({ rid: Type.String({ format: 'uuid' }) }) } },
    async (req) => ({ loads: (await loadsOf(db, req.principal, req.params.rid)).map(presentLoad) }),
  );

  app.post(
    '/api/v1/datastore/:rid/loads',
    {
      schema: {
        tags: ['datastore'],
        summary: 'Nạp lại tệp của tài nguyên / Load the resource’s file again',
        description:
          'Optionally with the editor’s corrections of the detected structure, per sheet (name or number): {"layout": {"1": {"header_rows": [5, 6], "data_rows": [8, 120]}}} (sheet row numbers, inclusive); of a text file’s encoding and delimiter; and dry_run: true to read, check against the schema (PUT …/schema) and report without writing anything (status checked or invalid, with the fields found per table).',
        security: SECURED,
        params: Type.Object({ rid: Type.String({ format: 'uuid' }) }),
        body: Type.Optional(
          Type.Object(
            {
              layout: Type.Optional(Type.Record(Type.String(), Type.Object({ header_rows: Type.Optional(RowRange), data_rows: Type.Optional(RowRange) }))),
              encoding: Type.Optional(ENCODING),
              delimiter: Type.Optional(DELIMITER),
              dry_run: Type.Optional(Type.Boolean()),
            },
            { additionalProperties: false },
          ),
        ),
      },
    },
    async (req, reply) => {
      const layout = req.body?.layout
        ? Object.fromEntries(
            Object.entries(req.body.layout).map(([sheet, o]) => [
              sheet,
              { ...(o.header_rows ? { headerRows: o.header_rows } : {}), ...(o.data_rows ? { dataRows: o.data_rows } : {}) },
            ]),
          )
        : undefined;
      const { encoding, delimiter, dry_run: dryRun } = req.body ?? {};
      const opts = { ...(layout ? { layout } : {}), ...(encoding ? { encoding } : {}), ...(delimiter ? { delimiter } : {}), ...(dryRun ? { dryRun } : {}) };
      return reply.status(202).send({ load: presentLoad(await reload(db, jobs, req.principal, actorOf(req), req.params.rid, opts)) });
    },
  );

  app.post(
    '/api/v1/datastore/:rid/records',
    {
      schema: {
        tags: ['datastore'],
        summary: 'Gửi dòng dữ liệu từ phần mềm chuyên ngành / Push rows from sector software',
        description:
          'JSON batches into the resource’s table (made with datastore_create or a file load): method insert, upsert (default; by the primary key or _id) or update. Send an Idempotency-Key header (1–200 characters) to make retries safe: the first call’s answer is stored with its rows, and a retry with the same key and body gets it back (Idempotent-Replayed: true) without writing again; the same key with another body is a 409. All or nothing per call; a bad value is a 409 naming the row and field.',
        security: SECURED,
        params: Type.Object({ rid: Type.String({ format: 'uuid' }) }),
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }),
        body: Type.Object(
          {
            records: Type.Array(Type.Record(Type.String(), Type.Unknown()), { maxItems: MAX_RECORDS }),
            method: Type.Optional(Type.Union([Type.Literal('insert'), Type.Literal('upsert'), Type.Literal('update')])),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            resource_id: Type.String(),
            method: Type.String(),
            inserted: Type.Integer(),
            updated: Type.Integer(),
            replayed: Type.Optional(Type.Boolean()),
          }),
        },
      },
    },
    async (req, reply) => {
      const key = req.headers['idempotency-key'];
      const r = await upsertRecords(db, req.principal, actorOf(req), {
        resourceId: req.params.rid,
        records: req.body.records,
        ...(req.body.method ? { method: req.body.method } : {}),
        ...(key !== undefined ? { idempotencyKey: key } : {}),
      });
      if (r.replayed) void reply.header('idempotent-replayed', 'true');
      return r;
    },
  );

  app.put(
    '/api/v1/datastore/:rid/scope',
    {
      schema: {
        tags: ['datastore'],
        summary: 'Chia sẻ theo đơn vị hành chính / Share by administrative unit',
        description:
          'column: the field holding administrative-unit codes (commune 5 digits, district 3, province 2), or null to stop. Readers outside the owning organization then see only the rows of their organization’s unit: a commune its commune (and the communes merged into it), a district its district and communes, a province-level organization everything, anyone else nothing — on every read path (search, SQL, aggregates, previews, exports).',
        security: SECURED,
        params: Type.Object({ rid: Type.String({ format: 'uuid' }) }),
        body: Type.Object({ column: Type.Union([Type.String({ minLength: 1 }), Type.Null()]) }, { additionalProperties: false }),
        response: { 200: Type.Object({ resource_id: Type.String(), scope_column: Type.Union([Type.String(), Type.Null()]) }) },
      },
    },
    async (req) => {
      const t = await setScope(db, req.principal, actorOf(req), req.params.rid, req.body.column);
      return { resource_id: t.resource_id, scope_column: t.scope_column };
    },
  );

  const Mapping = Type.Object({ records: Type.Optional(Type.String()), fields: Type.Record(Type.String(), Type.String()) });
  const PullDto = Type.Object({
    every_minutes: Type.Union([Type.Integer(), Type.Null()]),
    next_at: Type.Union([Type.String(), Type.Null()]),
    last_status: Type.Union([Type.String(), Type.Null()]),
    last_error: Type.Union([Type.String(), Type.Null()]),
    etag: Type.Union([Type.String(), Type.Null()]),
    last_modified: Type.Union([Type.String(), Type.Null()]),
    sha256: Type.Union([Type.String(), Type.Null()]),
    checked_at: Type.Union([Type.String(), Type.Null()]),
    changed_at: Type.Union([Type.String(), Type.Null()]),
    mapping: Type.Union([Mapping, Type.Null()]),
    incremental_column: Type.Union([Type.String(), Type.Null()]),
  });
  const presentPull = (s: DatastorePullRow) => ({
    every_minutes: s.every_minutes,
    next_at: s.next_at?.toISOString() ?? null,
    last_status: s.last_status,
    last_error: s.last_error,
    etag: s.etag,
    last_modified: s.last_modified,
    sha256: s.sha256,
    checked_at: s.checked_at?.toISOString() ?? null,
    changed_at: s.changed_at?.toISOString() ?? null,
    mapping: s.mapping,
    incremental_column: s.incremental_column,
  });
  app.get(
    '/api/v1/datastore/:rid/pull',
    {
      schema: {
        tags: ['datastore'],
        summary: 'Trạng thái lấy dữ liệu từ URL / URL pull state',
        params: Type.Object({ rid: Type.String({ format: 'uuid' }) }),
        response: { 200: PullDto },
      },
    },
    async (req) => presentPull(await pullStateOf(db, req.principal, req.params.rid)),
  );
  app.post(
    '/api/v1/datastore/:rid/pull',
    {
      schema: {
        tags: ['datastore'],
        summary: 'Lấy dữ liệu từ URL ngay, đặt lịch / Pull from the URL now, set the schedule',
        description:
          'For a linked resource (an http(s) URL to a CSV, XLSX, JSON… file): queues a pull now — a conditional GET (ETag / Last-Modified of the last pull); when the file changed (and its SHA-256 differs) it is stored and loaded as a new version. every_minutes (5–525600, or null to stop) sets how often it is pulled. mapping ({records: "data.items", fields: {ma_tram: "station.code", pm25: "values.pm25"}}, or null) reads a sector system’s JSON API: the records at that path, each column from its path; the answer is kept as fetched and loaded through the mapping. incremental_column (or null), for a table of another portal’s datastore (a …/datastore/dump/… URL, as a harvested CKAN or Tỉnh Số dataset gives it): a key or time column; once the table holds rows, each pull reads only the rows past its largest value through the source’s datastore_search_sql and adds them (upserted by the table’s primary key when it has one); where the source does not offer that, or its exact row count differs from the mirror’s after the increment (rows deleted there), the pull is a full one and last_error says why. Such a table’s full pulls keep the column types its datastore declares.',
        security: SECURED,
        params: Type.Object({ rid: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          {
            every_minutes: Type.Optional(Type.Union([Type.Integer({ minimum: 5, maximum: 525_600 }), Type.Null()])),
            mapping: Type.Optional(Type.Union([Mapping, Type.Null()])),
            incremental_column: Type.Optional(Type.Union([Type.String({ maxLength: 63 }), Type.Null()])),
          },
          { additionalProperties: false },
        ),
        response: { 202: Type.Object({ job_id: Type.String(), pull: PullDto }) },
      },
    },
    async (req, reply) => {
      const r = await requestPull(db, jobs, req.principal, actorOf(req), req.params.rid, {
        ...(req.body.every_minutes !== undefined ? { everyMinutes: req.body.every_minutes } : {}),
        ...(req.body.mapping !== undefined ? { mapping: req.body.mapping } : {}),
        ...(req.body.incremental_column !== undefined ? { incrementalColumn: req.body.incremental_column } : {}),
      });
      return reply.status(202).send({ job_id: r.jobId, pull: presentPull(r.state) });
    },
  );
}
