import {
  ckanBool,
  ckanInt,
  ckanJson,
  ckanList,
  ckanRequired,
  ckanStr,
  ckanValidation,
  type ActionContext,
  type CkanActions,
  type CkanParams,
} from '../catalog/index.js';
import { actorOf } from '../../platform/auth/index.js';
import { createResource } from '../catalog/index.js';
import type { LoadedField } from './ingest/write-table.js';
import { CKAN_TYPE, ESTIMATE_ABOVE, MAX_LIMIT, parseSort, type Filter, type TableQuery } from './query.js';
import { searchSql, SQL_LIMITS } from './search-sql.js';
import { createTable, deleteRecords, upsertRecords, type FieldSpec } from './write.js';
import { createColumnIndex, type IndexAdvisor } from './indexes.js';
import { readableTable } from './service.js';
import { csvCell } from '../../platform/text/index.js';

const RECORDS_FORMATS = new Set(['objects', 'lists', 'csv', 'tsv']);

function filtersOf(p: CkanParams): Filter[] {
  const raw = ckanJson(p.filters);
  if (raw === undefined || raw === null || raw === '') return [];
  if (typeof raw !== 'object' || Array.isArray(raw)) throw ckanValidation('filters', 'Not a json object');
  return Object.entries(raw as Record<string, unknown>).map(([field, v]) => ({
    field,
    op: 'in' as const,
    values: (Array.isArray(v) ? v : [v]).map((x) => (x === null ? '' : typeof x === 'object' ? JSON.stringify(x) : String(x))),
  }));
}

function qOf(p: CkanParams): TableQuery['q'] {
  const raw = ckanJson(p.q);
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'object' && !Array.isArray(raw)) return Object.fromEntries(Object.entries(raw as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  throw ckanValidation('q', 'Must be a string or a json object');
}

async function datastoreSearch(c: ActionContext, advisor: IndexAdvisor) {
  const p = c.params;
  const resourceId = ckanRequired(p, 'resource_id', 'id');
  const limit = ckanInt(p, 'limit', 100, { min: 0, max: MAX_LIMIT });
  const offset = ckanInt(p, 'offset', 0, { min: 0 });
  const format = ckanStr(p, 'records_format') ?? 'objects';
  if (!RECORDS_FORMATS.has(format)) throw ckanValidation('records_format', 'Must be one of objects, lists, csv, tsv');
  const fields = ckanList(p, 'fields', { split: /\s*,\s*/ });
  const sortRaw = ckanJson(p.sort);
  const sort = Array.isArray(sortRaw) ? sortRaw.flatMap((s) => parseSort(String(s))) : typeof sortRaw === 'string' ? parseSort(sortRaw) : [];
  const includeTotal = ckanBool(p, 'include_total', true);
  const threshold = p.total_estimation_threshold === undefined ? undefined : ckanInt(p, 'total_estimation_threshold', ESTIMATE_ABOVE, { min: 0 });
  const filters = filtersOf(p);
  const { table, queries } = await readableTable(c.db, c.principal, resourceId);
  const q = qOf(p);
  const result = await queries.search(c.db, {
    filters,
    ...(q !== undefined ? { q } : {}),
    ...(fields ? { fields } : {}),
    sort,
    distinct: ckanBool(p, 'distinct', false),
    limit,
    offset,
    includeTotal,
    ...(threshold !== undefined ? { estimateAbove: threshold } : {}),
  });
  await advisor.hint(table, [...filters.map((f) => f.field), ...sort.map((s) => s.field)]);
  const ids = result.fields.map((f) => f.id);
  const records =
    format === 'objects'
      ? result.records
      : format === 'lists'
        ? result.records.map((r) => ids.map((id) => r[id]))
        : result.records.map((r) => ids.map((id) => csvCell(r[id], format === 'csv' ? ',' : '\t')).join(format === 'csv' ? ',' : '\t')).join('\n') +
          (result.records.length ? '\n' : '');
  const base = `/api/3/action/datastore_search`;
  const qs = (o: number) => `${base}?resource_id=${encodeURIComponent(resourceId)}${limit !== 100 ? `&limit=${limit}` : ''}${o ? `&offset=${o}` : ''}`;
  return {
    include_total: includeTotal,
    resource_id: resourceId,
    fields: result.fields.map((f) => ({
      id: f.id,
      type: CKAN_TYPE[f.pgType] ?? 'text',
      ...(f.id !== '_id' ? { info: { label: f.title, type_override: '' } } : {}),
    })),
    records_format: format,
    records,
    limit,
    ...(offset ? { offset } : {}),
    ...(filters.length ? { filters: ckanJson(p.filters) } : {}),
    _links: { start: qs(0), next: qs(offset + limit) },
    ...(result.total !== undefined ? { total: result.total, total_was_estimated: !!result.totalEstimated } : {}),
  };
}

async function datastoreInfo(c: ActionContext) {
  const resourceId = ckanRequired(c.params, 'id', 'resource_id');
  const { table } = await readableTable(c.db, c.principal, resourceId);
  return {
    meta: {
      id: resourceId,
      count: table.row_count,
      table_type: 'BASE TABLE',
      version: table.version,
      updated: table.updated_at.toISOString(),
      ...(table.sheet_name ? { sheet: table.sheet_name } : {}),
      ...(table.primary_key.length ? { primary_key: table.primary_key } : {}),
      ...(table.scope_column ? { scope_column: table.scope_column } : {}),
    },
    fields: table.fields.map((f) => ({
      id: f.id,
      type: CKAN_TYPE[f.pgType] ?? 'text',
      schema: { native_type: f.pgType, is_index: table.primary_key.includes(f.id), notnull: false },
      info: { label: f.title, frictionless_type: f.type, ...(f.style ? { number_style: f.style } : {}) },
    })),
  };
}

const fieldDicts = (fields: LoadedField[]) =>
  fields.map((f) => ({ id: f.id, type: CKAN_TYPE[f.pgType] ?? 'text', ...(f.title !== f.id ? { info: { label: f.title } } : {}) }));

/** datastore_create: `resource_id`, or `resource` (a resource dict for resource_create) to make a datastore-only resource. */
async function datastoreCreate(c: ActionContext) {
  const p = c.params;
  const resource = ckanJson(p.resource);
  let resourceId = ckanStr(p, 'resource_id');
  if (resource !== undefined && resourceId) throw ckanValidation('resource', 'resource cannot be used with resource_id');
  if (resource !== undefined) {
    if (!resource || typeof resource !== 'object' || Array.isArray(resource)) throw ckanValidation('resource', 'Not a json object');
    const r = resource as CkanParams;
    const created = await createResource(
      c.db,
      c.principal,
      actorOf(c.req),
      ckanRequired(r, 'package_id'),
      {
        name: ckanStr(r, 'name') ?? null,
        description: ckanStr(r, 'description') ?? null,
        format: ckanStr(r, 'format') ?? null,
        url: '',
        url_type: 'datastore',
      },
      undefined,
      { events: c.events },
    );
    resourceId = created.id;
  }
  if (!resourceId) throw ckanValidation('resource_id', 'resource_id or resource required');
  const fields = ckanJson(p.fields);
  const records = ckanJson(p.records);
  const primaryKey = ckanList(p, 'primary_key', { split: /\s*,\s*/ });
  const template = ckanStr(p, 'template');
  const { table } = await createTable(c.db, c.principal, actorOf(c.req), {
    resourceId,
    ...(template !== undefined ? { template } : {}),
    ...(fields !== undefined ? { fields: fields as FieldSpec[] } : {}),
    ...(records !== undefined ? { records } : {}),
    ...(primaryKey ? { primaryKey } : {}),
  });
  for (const column of ckanList(p, 'indexes', { split: /\s*,\s*/ }) ?? []) {
    if (!table.fields.some((f) => f.id === column)) throw ckanValidation('indexes', `field "${column}" not in table`);
    await createColumnIndex(c.db, table.table_name, column, { concurrently: false });
  }
  return {
    resource_id: resourceId,
    fields: fieldDicts(table.fields),
    ...(table.primary_key.length ? { primary_key: table.primary_key } : {}),
    ...(table.scope_column ? { scope_column: table.scope_column } : {}),
    method: 'insert',
    ...(records !== undefined ? { records } : {}),
  };
}

async function datastoreUpsert(c: ActionContext) {
  const p = c.params;
  const records = ckanJson(p.records);
  const key = ckanStr(p, 'idempotency_key') ?? (c.req.headers['idempotency-key'] as string | undefined);
  const r = await upsertRecords(c.db, c.principal, actorOf(c.req), {
    resourceId: ckanRequired(p, 'resource_id', 'id'),
    records: records ?? [],
    ...(ckanStr(p, 'method') ? { method: ckanStr(p, 'method')! } : {}),
    ...(key !== undefined ? { idempotencyKey: key } : {}),
  });
  return { ...r, records };
}

async function datastoreDelete(c: ActionContext) {
  const p = c.params;
  const filters = filtersOf(p);
  const resourceId = ckanRequired(p, 'resource_id', 'id');
  const r = await deleteRecords(c.db, c.principal, actorOf(c.req), { resourceId, filters });
  return { resource_id: resourceId, ...(filters.length ? { filters: ckanJson(p.filters) } : {}), ...(r.deleted !== null ? { deleted: r.deleted } : {}) };
}

async function datastoreSearchSql(c: ActionContext) {
  const text = ckanRequired(c.params, 'sql');
  const r = await searchSql(c.db, c.principal, text);
  return { sql: text, fields: r.fields, records: r.records, ...(r.truncated ? { records_truncated: true } : {}) };
}

/** The DataStore actions, added to the app's CKAN action table. */
export function addDatastoreActions(actions: CkanActions, advisor: IndexAdvisor): void {
  actions.add('datastore_create', {
    get: false,
    doc: "Creates a resource's datastore table or adds fields to it, sets its unique key and appends records. Parameters: resource_id (or resource, a resource dict with package_id), fields ([{id, type}]; types text, int, float, numeric, bool, date, time, timestamp, timestamptz, json, _text…; a type left out is inferred from the records), records, primary_key, indexes, template (a sector template of GET /api/v1/datastore/templates: its fields, key and sharing by commune). Editors of the dataset.",
    run: datastoreCreate,
  });
  actions.add('datastore_upsert', {
    get: false,
    doc: "Writes records into a resource's datastore table. Parameters: resource_id, records, method (upsert — the default — by the primary key or _id, insert, update), idempotency_key (or the Idempotency-Key header: a retried call with the same key and body is applied once). Editors of the dataset.",
    run: datastoreUpsert,
  });
  actions.add('datastore_delete', {
    get: false,
    doc: 'Deletes the rows matching filters ({field: value or [values]}), or without filters the whole table. Parameters: resource_id, filters. Editors of the dataset.',
    run: datastoreDelete,
  });
  actions.add('datastore_search_sql', {
    get: true,
    doc: `One read-only SELECT over datastore tables, named by resource id in double quotes ("<id>", "<id>:2" for a later sheet), that the caller may read; only common functions; at most ${SQL_LIMITS.rows} rows (records_truncated past it), ${SQL_LIMITS.timeoutMs / 1000} s. Parameters: sql.`,
    run: datastoreSearchSql,
  });
  actions.add('datastore_search', {
    get: true,
    doc: 'Rows of a resource\'s datastore table. Parameters: resource_id (or id), filters (dict; a list value means any of), q (text or dict per field), fields, sort ("a, b desc"), distinct, limit (default 100, max 32000), offset, include_total, total_estimation_threshold (default 100000: above it the planner estimate, total_was_estimated true), records_format (objects, lists, csv, tsv).',
    run: (c) => datastoreSearch(c, advisor),
  });
  actions.add('datastore_info', { get: true, doc: "The fields and row count of a resource's datastore table. Parameters: id.", run: datastoreInfo });
}
