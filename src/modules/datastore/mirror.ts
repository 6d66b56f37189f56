import type { Outbound } from '../../platform/net/index.js';
import type { FieldType } from './ingest/infer.js';
import { ident } from './ingest/names.js';

/**
 * Mirroring a table of another portal's datastore (CKAN's, or another Tỉnh Số's), reached at its
 * dump URL (`{portal}/datastore/dump/{resource id}`), through that portal's datastore API: the
 * columns' types from `datastore_search`, and — when an incremental column is set — only the rows
 * past the local table's largest value from `datastore_search_sql`. CKAN's datastore API has no
 * change feed, so deleted rows reach the mirror only with a full pull.
 */
export interface RemoteTable {
  /** The portal's root (where /api/3/action lives). */
  base: string;
  id: string;
}

/** The path of a CKAN (or Tỉnh Số) datastore dump: the CSV of a table written through the datastore API. */
export const DUMP_PATH = /\/datastore\/dump\/([0-9a-f-]{36})$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function remoteTableOf(url: string): RemoteTable | null {
  const m = DUMP_PATH.exec(url);
  const base = m ? url.slice(0, m.index) : '';
  return m && UUID.test(m[1]!) && /^https?:\/\/./i.test(base) ? { base, id: m[1]!.toLowerCase() } : null;
}

/** CKAN's datastore column types, as Table Schema types (the loader pins them). */
const CKAN_TYPES: Record<string, FieldType> = {
  text: 'string',
  int: 'integer',
  int4: 'integer',
  int8: 'integer',
  integer: 'integer',
  bigint: 'integer',
  numeric: 'number',
  float4: 'number',
  float8: 'number',
  bool: 'boolean',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'datetime',
  timestamptz: 'datetime',
};

const TIMEOUT_MS = 60_000;
const MAX_PAGE_BYTES = 64 * 1024 * 1024;
/** Rows per datastore_search_sql page: below CKAN's default row cap (32,000) and ours. */
export const MIRROR_PAGE = 10_000;

interface Envelope<T> {
  success: boolean;
  result?: T;
}

async function action<T>(net: Outbound, t: RemoteTable, name: string, params: Record<string, string>): Promise<T> {
  const res = await net.get(`${t.base}/api/3/action/${name}?${new URLSearchParams(params)}`, {
    accept: 'application/json',
    maxBytes: MAX_PAGE_BYTES,
    timeoutMs: TIMEOUT_MS,
  });
  const env = JSON.parse(res.body.toString('utf8')) as Envelope<T>;
  if (!env.success || env.result === undefined) throw new Error(`${name} did not succeed`);
  return env.result;
}

/** The remote table's declared column types (the datastore's own columns left out). */
export async function remoteTypes(net: Outbound, t: RemoteTable): Promise<Record<string, FieldType>> {
  const r = await action<{ fields?: { id: string; type: string }[] }>(net, t, 'datastore_search', { resource_id: t.id, limit: '0' });
  const out: Record<string, FieldType> = {};
  for (const f of r.fields ?? []) {
    const type = CKAN_TYPES[f.type.toLowerCase()];
    if (type && !f.id.startsWith('_')) out[f.id] = type;
  }
  return out;
}

/** The remote table's exact row count, or null when the source gives only an estimate. */
export async function remoteTotal(net: Outbound, t: RemoteTable): Promise<number | null> {
  const r = await action<{ total?: number; total_was_estimated?: boolean }>(net, t, 'datastore_search', {
    resource_id: t.id,
    limit: '0',
    include_total: 'true',
    // An exact count whatever the table's size (CKAN and Tỉnh Số estimate above this threshold).
    total_estimation_threshold: String(Number.MAX_SAFE_INTEGER),
  });
  return typeof r.total === 'number' && !r.total_was_estimated ? r.total : null;
}

/** A value (the local maximum as PostgreSQL wrote it, or a value the source sent) as a SQL literal; the source reads it as the column's type. */
const literal = (v: unknown): string => `'${String(v).replaceAll("'", "''")}'`;

/** The remote's own columns (`_id`, CKAN's `_full_text`) are not the mirror's. */
function ownColumns(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) if (!k.startsWith('_')) out[k] = v;
  return out;
}

export class TooManyTiesError extends Error {}

/**
 * The remote rows whose column is past `after`, in pages ordered by the column (keyset paging).
 * A full page's rows sharing its last value are held back and read again with the next page
 * (`>=` that value), so no row is skipped or doubled at a page's edge; a page of one value only
 * cannot be paged so, and is refused (TooManyTiesError: a full pull then).
 */
export async function* remoteRowsAfter(
  net: Outbound,
  t: RemoteTable,
  col: string,
  after: unknown,
  page = MIRROR_PAGE,
): AsyncGenerator<Record<string, unknown>[]> {
  let bound: { op: string; value: unknown } = { op: '>', value: after };
  for (;;) {
    const sql = `SELECT * FROM ${ident(t.id)} WHERE ${ident(col)} ${bound.op} ${literal(bound.value)} ORDER BY ${ident(col)} LIMIT ${page}`;
    const { records, records_truncated: truncated } = await action<{ records: Record<string, unknown>[]; records_truncated?: boolean }>(
      net,
      t,
      'datastore_search_sql',
      { sql },
    );
    // A source whose row cap is below the page cuts it short, and says so: such a page is not the last.
    if (records.length < page && !truncated) {
      if (records.length) yield records.map(ownColumns);
      return;
    }
    const last = JSON.stringify(records.at(-1)![col]);
    let end = records.length;
    while (end > 0 && JSON.stringify(records[end - 1]![col]) === last) end--;
    if (end === 0) throw new TooManyTiesError(`more than ${records.length} rows share the value ${last} of ${col}`);
    yield records.slice(0, end).map(ownColumns);
    bound = { op: '>=', value: records[end]![col] };
  }
}
