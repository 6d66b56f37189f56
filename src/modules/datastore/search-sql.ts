import type { Principal } from '../../platform/auth/index.js';
import { withClient, type Db } from '../../platform/db/index.js';
import { conflict, notFound } from '../../platform/http/index.js';
import { readableTable } from './service.js';
import { checkSql, replaceTables, SqlRefused, type CheckedSql } from './sql-guard.js';
import { parseTableKey } from './table-key.js';

/** Bounds on one datastore_search_sql query. */
export const SQL_LIMITS = { rows: 32_000, timeoutMs: 10_000, maxLength: 20_000 };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** PostgreSQL type OIDs → CKAN's field type names. */
const TYPES: Record<number, string> = {
  16: 'bool',
  20: 'int8',
  21: 'int2',
  23: 'int4',
  25: 'text',
  114: 'json',
  700: 'float4',
  701: 'float8',
  1043: 'text',
  1082: 'date',
  1083: 'time',
  1114: 'timestamp',
  1184: 'timestamptz',
  1700: 'numeric',
  3802: 'jsonb',
  1009: '_text',
  1016: '_int8',
};

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** A timestamp (read by pg as local time) as CKAN writes it: ISO without a zone. */
const localIso = (d: Date) =>
  `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;

const refused = (e: SqlRefused) => conflict('datastore_sql_refused', { vi: e.vi, en: e.en }, 'sql');

/**
 * datastore_search_sql: one read-only SELECT over datastore tables (named by resource id, quoted)
 * that the caller may read, calling only allowed functions (see sql-guard.ts); run in a READ
 * ONLY transaction with a statement timeout and a row cap (`records_truncated` past it).
 */
export async function searchSql(
  db: Db,
  p: Principal,
  text: string,
): Promise<{ fields: { id: string; type: string }[]; records: unknown[]; truncated: boolean }> {
  const query = text.trim().replace(/;\s*$/, '');
  if (!query) throw conflict('datastore_sql_refused', { vi: 'Thiếu câu truy vấn.', en: 'Missing value' }, 'sql');
  if (query.length > SQL_LIMITS.maxLength)
    throw conflict('datastore_sql_refused', { vi: 'Câu truy vấn quá dài.', en: `The query is longer than ${SQL_LIMITS.maxLength} characters.` }, 'sql');
  let checked: CheckedSql;
  try {
    checked = await checkSql(query);
  } catch (e) {
    throw e instanceof SqlRefused ? refused(e) : e;
  }
  const scoped = new Map<string, string>();
  for (const name of checked.tables) {
    const { resourceId } = parseTableKey(name);
    if (!UUID.test(resourceId))
      throw conflict(
        'datastore_sql_refused',
        { vi: `Không có bảng “${name}”.`, en: `"${name}" is not a datastore table (tables are named by resource id).` },
        'sql',
      );
    const { queries } = await readableTable(db, p, name).catch((e: unknown) => {
      throw (e as { status?: number }).status === 404
        ? notFound('datastore_not_found', { vi: `Không có bảng “${name}”.`, en: `Resource "${name}" was not found.` }, 'sql')
        : e;
    });
    // A table shared by unit is read through the reader's rows only, as on every other read path.
    if (queries.scope) scoped.set(name, queries.scopedSelect());
  }
  const narrowed = scoped.size ? replaceTables(query, checked.refs, (name) => scoped.get(name) ?? null) : query;
  // The wrapped query is checked again: what runs is one SELECT whatever the text held.
  const wrapped = `select * from (${narrowed}\n) as q limit ${SQL_LIMITS.rows + 1}`;
  try {
    await checkSql(wrapped);
  } catch (e) {
    throw e instanceof SqlRefused ? refused(e) : e;
  }
  return withClient(db, async (_k, client) => {
    await client.query('begin read only');
    try {
      await client.query(`set local statement_timeout = ${SQL_LIMITS.timeoutMs}`);
      await client.query(`set local search_path = datastore`);
      const r = await client.query(wrapped);
      await client.query('commit');
      const fields = r.fields.map((f) => ({ id: f.name, type: TYPES[f.dataTypeID] ?? 'text', oid: f.dataTypeID }));
      const records = r.rows.slice(0, SQL_LIMITS.rows).map((row: Record<string, unknown>) => {
        for (const f of fields) {
          const v = row[f.id];
          if (v instanceof Date) row[f.id] = f.oid === 1114 ? localIso(v) : v.toISOString();
          else if (f.oid === 1700 && typeof v === 'string') row[f.id] = Number(v);
        }
        return row;
      });
      return { fields: fields.map(({ id, type }) => ({ id, type })), records, truncated: r.rows.length > SQL_LIMITS.rows };
    } catch (e) {
      await client.query('rollback').catch(() => undefined);
      const code = (e as { code?: string }).code;
      if (code === '57014') throw conflict('datastore_sql_timeout', { vi: 'Truy vấn chạy quá lâu.', en: 'Query took too long' }, 'sql');
      if (code && /^(42|22|2B|0A|25)/.test(code))
        throw conflict('datastore_sql_error', { vi: `Lỗi truy vấn: {m}`, en: `Query error: {m}` }, 'sql', { m: (e as Error).message });
      throw e;
    }
  });
}
