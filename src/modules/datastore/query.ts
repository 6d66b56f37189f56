import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../platform/db/index.js';
import { conflict } from '../../platform/http/index.js';
import { foldVi } from '../../platform/text/index.js';
import type { LoadedField } from './ingest/write-table.js';
import { ident } from './ingest/names.js';
import { scopeCondition, type RowScope } from './scope.js';

/** A condition on one field: equal to one of `values`, or a range bound. */
export interface Filter {
  field: string;
  op: 'in' | 'gt' | 'gte' | 'lt' | 'lte';
  values: string[];
}

export interface TableQuery {
  filters: Filter[];
  /** Full text over every text column, or per field. */
  q?: string | Record<string, string>;
  fields?: string[];
  sort?: { field: string; desc: boolean }[];
  distinct?: boolean;
  limit: number;
  offset: number;
  /** Keyset paging on _id (the native API's cursor), instead of an offset. */
  afterId?: number;
  includeTotal: boolean;
  /** Above this many rows (by the planner's estimate), the total is the estimate (CKAN's total_estimation_threshold); null: always exact. */
  estimateAbove?: number | null;
}

/** The default of `estimateAbove`: counting more rows than this costs more than the page itself. */
export const ESTIMATE_ABOVE = 100_000;

export interface Aggregate {
  fn: 'count' | 'sum' | 'avg' | 'min' | 'max';
  field?: string;
}

export const MAX_LIMIT = 32_000;

/** CKAN's names for the column types (datastore_search `fields`). */
export const CKAN_TYPE: Record<string, string> = {
  bigint: 'int',
  numeric: 'numeric',
  boolean: 'bool',
  date: 'date',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
  text: 'text',
  jsonb: 'json',
};

const ID_FIELD: LoadedField = { id: '_id', title: '_id', type: 'integer', pgType: 'bigint' };

const notInTable = (key: string, field: string) =>
  conflict('datastore_field', { vi: `Trường “{field}” không có trong bảng.`, en: `field "{field}" not in table` }, key, { field });

/** A field's value as JSON gives it: numbers as numbers, times as ISO text. */
function selectExpr(f: LoadedField): RawBuilder<unknown> {
  const c = ident(f.id);
  switch (f.pgType) {
    case 'numeric':
      return sql.raw(`${c}::float8 as ${c}`);
    case 'timestamp':
      return sql.raw(`to_char(${c}, 'YYYY-MM-DD"T"HH24:MI:SS') as ${c}`);
    case 'timestamptz':
      return sql.raw(`to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as ${c}`);
    default:
      return sql.raw(c);
  }
}

/** The folded (accent-free, lowercase) text of the row's text columns, for q. */
export const FOLD_FROM = 'àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ';
export const FOLD_TO = 'aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd';
const folded = (expr: string) => `translate(lower(${expr}), '${FOLD_FROM}', '${FOLD_TO}')`;

export class TableQueries {
  private readonly byId: Map<string, LoadedField>;

  constructor(
    private readonly view: string,
    readonly fields: LoadedField[],
    /** The reader's rows of a table shared by unit (see scope.ts); null: every row. */
    readonly scope: RowScope | null = null,
  ) {
    this.byId = new Map([[ID_FIELD.id, ID_FIELD], ...fields.map((f) => [f.id, f] as const)]);
  }

  field(key: string, id: string): LoadedField {
    const f = this.byId.get(id);
    if (!f) throw notInTable(key, id);
    return f;
  }

  private where(query: Pick<TableQuery, 'filters' | 'q' | 'afterId'>): RawBuilder<unknown> {
    const parts: RawBuilder<unknown>[] = [];
    for (const flt of query.filters) {
      const f = this.field('filters', flt.field);
      const col = sql.raw(ident(f.id));
      const type = sql.raw(f.pgType);
      if (flt.op === 'in') parts.push(sql`${col} = any(${sql.val(flt.values)}::${type}[])`);
      else parts.push(sql`${col} ${sql.raw({ gt: '>', gte: '>=', lt: '<', lte: '<=' }[flt.op])} ${sql.val(flt.values[0])}::${type}`);
    }
    const text = this.fields.filter((f) => f.pgType === 'text');
    const words = (s: string) => foldVi(s).toLowerCase().split(/\s+/).filter(Boolean);
    if (typeof query.q === 'string' && query.q.trim()) {
      const doc = folded(`concat_ws(' ', ${text.map((f) => ident(f.id)).join(', ') || "''"})`);
      for (const w of words(query.q)) parts.push(sql`${sql.raw(doc)} like ${`%${w.replace(/[\\%_]/g, '\\$&')}%`}`);
    } else if (query.q && typeof query.q === 'object') {
      for (const [id, value] of Object.entries(query.q)) {
        const f = this.field('q', id);
        for (const w of words(value)) parts.push(sql`${sql.raw(folded(`${ident(f.id)}::text`))} like ${`%${w.replace(/[\\%_]/g, '\\$&')}%`}`);
      }
    }
    if (query.afterId !== undefined) parts.push(sql`_id > ${query.afterId}`);
    if (this.scope) parts.push(sql.raw(scopeCondition(this.scope, ident)));
    return parts.length ? sql`where ${sql.join(parts, sql` and `)}` : sql``;
  }

  /** Rows and (when asked) the total; bad values for a field's type are a 409 naming `filters`. */
  async search(db: Db, query: TableQuery): Promise<{ fields: LoadedField[]; records: Record<string, unknown>[]; total?: number; totalEstimated?: boolean }> {
    const fields = query.fields?.length ? query.fields.map((id) => this.field('fields', id)) : [ID_FIELD, ...this.fields];
    const sort = (query.sort ?? []).map((s) => ({ f: this.field('sort', s.field), desc: s.desc }));
    const order = sort.length
      ? sql.raw(`order by ${sort.map((s) => `${ident(s.f.id)} ${s.desc ? 'desc' : 'asc'}`).join(', ')}${query.distinct ? '' : ', _id'}`)
      : query.distinct
        ? sql``
        : sql`order by _id`;
    const where = this.where(query);
    const cols = sql.join(fields.map(selectExpr));
    try {
      const plain = this.where({ ...query, afterId: undefined });
      const estimate = query.includeTotal && !query.distinct && query.estimateAbove !== null;
      // The page and the planner's estimate of the total are asked at the same time (two connections), not one after the other.
      const [rows, plan] = await Promise.all([
        sql<
          Record<string, unknown>
        >`select ${query.distinct ? sql`distinct` : sql``} ${cols} from ${sql.raw(this.view)} ${where} ${order} limit ${query.limit} offset ${query.offset}`.execute(
          db,
        ),
        estimate
          ? sql<{ 'QUERY PLAN': { Plan: { 'Plan Rows': number } }[] }>`explain (format json) select 1 from ${sql.raw(this.view)} ${plain}`.execute(db)
          : undefined,
      ]);
      let total: number | undefined;
      let estimated = false;
      if (query.includeTotal) {
        if (plan) {
          const rowsEstimate = plan.rows[0]!['QUERY PLAN'][0]!.Plan['Plan Rows'];
          if (rowsEstimate > (query.estimateAbove ?? ESTIMATE_ABOVE)) {
            total = Math.round(rowsEstimate);
            estimated = true;
          }
        }
        if (!estimated) {
          const t = query.distinct
            ? await sql<{ n: number }>`select count(*)::int8 as n from (select distinct ${cols} from ${sql.raw(this.view)} ${where}) d`.execute(db)
            : await sql<{ n: number }>`select count(*)::int8 as n from ${sql.raw(this.view)} ${plain}`.execute(db);
          total = t.rows[0]!.n;
        }
      }
      return { fields, records: rows.rows, ...(total !== undefined ? { total, totalEstimated: estimated } : {}) };
    } catch (e) {
      throw badValue(e);
    }
  }

  /**
   * One numeric column against a time column, in time order, over the reader's rows: each row with
   * its `_id`, or one row per time (`agg`: their sum or mean). At most `limit` + 1 rows are read, so
   * the caller can tell that there were more.
   */
  async series(
    db: Db,
    timeId: string,
    valueId: string,
    agg: 'sum' | 'avg' | null,
    limit: number,
  ): Promise<{ id: number | null; t: unknown; v: number | null }[]> {
    const t = sql.raw(ident(this.field('time', timeId).id));
    const v = sql.raw(ident(this.field('value', valueId).id));
    const where = this.scope ? sql`where ${t} is not null and ${sql.raw(scopeCondition(this.scope, ident))}` : sql`where ${t} is not null`;
    const rows = agg
      ? await sql<{ id: null; t: unknown; v: number | null }>`
          select null as id, ${t} as t, ${sql.raw(agg)}(${v})::float8 as v from ${sql.raw(this.view)} ${where} group by 2 order by 2 limit ${limit + 1}`.execute(
          db,
        )
      : await sql<{ id: number; t: unknown; v: number | null }>`
          select _id as id, ${t} as t, ${v}::float8 as v from ${sql.raw(this.view)} ${where} order by 2, 1 limit ${limit + 1}`.execute(db);
    return rows.rows;
  }

  /** The reader's rows, all columns (what datastore_search_sql reads in place of a table shared by unit). */
  scopedSelect(): string {
    return `select * from ${this.view}${this.scope ? ` where ${scopeCondition(this.scope, ident)}` : ''}`;
  }

  /** The SELECT of every row the reader may see, in _id order, as text (for COPY … TO, which takes no parameters). */
  exportSelect(): string {
    const cols = this.fields.map((f) => ident(f.id)).join(', ');
    return `select ${cols} from ${this.view}${this.scope ? ` where ${scopeCondition(this.scope, ident)}` : ''} order by _id`;
  }

  /** Deletes the rows matching the filters (through the view, which PostgreSQL updates through); the count deleted. */
  async delete(db: Db, query: Pick<TableQuery, 'filters'>): Promise<number> {
    try {
      const r = await sql`delete from ${sql.raw(this.view)} ${this.where(query)}`.execute(db);
      return Number(r.numAffectedRows ?? 0);
    } catch (e) {
      throw badValue(e);
    }
  }

  /** Group-by aggregates for charts: one row per group (at most `limit`). */
  async aggregate(db: Db, query: Pick<TableQuery, 'filters' | 'q'>, groupBy: string[], aggs: Aggregate[], limit: number): Promise<Record<string, unknown>[]> {
    const groups = groupBy.map((id) => this.field('group_by', id));
    const exprs = aggs.map((a) => {
      if (a.fn === 'count' && !a.field) return sql.raw(`count(*)::int8 as "count"`);
      const f = this.field('aggregate', a.field ?? '');
      if (a.fn !== 'count' && a.fn !== 'min' && a.fn !== 'max' && f.pgType !== 'numeric' && f.pgType !== 'bigint')
        throw conflict('datastore_aggregate', { vi: 'Chỉ tính tổng, trung bình trên trường số.', en: 'sum and avg need a numeric field' }, 'aggregate');
      // JSON numbers: numeric and bigint sums come back from PostgreSQL as numeric (text) unless cast.
      const cast = a.fn === 'count' ? '::int8' : f.pgType === 'numeric' || a.fn === 'avg' || a.fn === 'sum' ? '::float8' : '';
      return sql.raw(`${a.fn}(${ident(f.id)})${cast} as ${ident(`${a.fn}_${f.id}`)}`);
    });
    const keys = groups.map((g) => sql.raw(ident(g.id)));
    try {
      const r = await sql<Record<string, unknown>>`select ${sql.join([...groups.map(selectExpr), ...exprs])} from ${sql.raw(this.view)} ${this.where(query)} ${
        keys.length ? sql`group by ${sql.join(keys)} order by ${sql.join(keys)}` : sql``
      } limit ${limit}`.execute(db);
      return r.rows;
    } catch (e) {
      throw badValue(e);
    }
  }
}

/** PostgreSQL's "invalid input syntax" for a filter value → a validation error on `filters`. */
function badValue(e: unknown): unknown {
  const code = (e as { code?: string }).code;
  if (code === '22P02' || code === '22007' || code === '22008' || code === '22003')
    return conflict(
      'datastore_filter_value',
      { vi: 'Giá trị lọc không đúng kiểu của trường.', en: 'A filter value does not fit the type of its field.' },
      'filters',
    );
  return e;
}

/** "a, b desc", '"Date (LT)" desc' → sort keys. */
export function parseSort(s: string): { field: string; desc: boolean }[] {
  const out: { field: string; desc: boolean }[] = [];
  for (const part of s.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)) {
    const p = part.trim();
    if (!p) continue;
    const m = /^(?:"((?:[^"]|"")+)"|(.+?))(?:\s+(asc|desc))?$/i.exec(p);
    if (!m) continue;
    out.push({ field: (m[1]?.replaceAll('""', '"') ?? m[2]!).trim(), desc: m[3]?.toLowerCase() === 'desc' });
  }
  return out;
}
