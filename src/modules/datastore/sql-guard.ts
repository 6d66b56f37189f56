import { parse } from 'libpg-query';

/**
 * Functions a datastore_search_sql query may call: aggregates, window functions and the usual
 * scalar functions on numbers, text, dates and JSON. Anything else — pg_read_file, dblink,
 * query_to_xml, pg_sleep, set_config, lo_*, and every function of an extension — is refused
 * before the query reaches the database.
 */
export const SQL_FUNCTIONS = new Set(
  `count sum avg min max stddev stddev_pop stddev_samp variance var_pop var_samp percentile_cont percentile_disc mode
   string_agg array_agg json_agg jsonb_agg json_object_agg jsonb_object_agg bool_and bool_or every corr covar_pop covar_samp
   regr_slope regr_intercept regr_r2 regr_count
   row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value nth_value
   abs ceil ceiling floor round trunc sqrt cbrt power pow exp ln log log10 mod sign div width_bucket pi degrees radians
   lower upper initcap length char_length character_length octet_length btrim ltrim rtrim substr substring replace concat concat_ws
   left right lpad rpad position strpos split_part translate regexp_replace regexp_match regexp_matches regexp_like starts_with reverse
   repeat to_char to_number to_date to_timestamp format md5 unaccent
   date_trunc date_part extract age make_date make_time make_timestamp make_interval justify_days justify_hours date_bin isfinite
   json_extract_path_text jsonb_extract_path_text json_extract_path jsonb_extract_path jsonb_array_length json_array_length
   jsonb_typeof json_typeof jsonb_build_object json_build_object jsonb_build_array json_build_array to_json to_jsonb
   jsonb_array_elements jsonb_array_elements_text json_array_elements json_array_elements_text jsonb_each jsonb_each_text
   generate_series unnest array_length array_position cardinality array_to_string string_to_array`.split(/\s+/),
);

/** Why a query was refused; `key` is the parameter to name in the CKAN error. */
export class SqlRefused extends Error {
  constructor(
    readonly vi: string,
    readonly en: string,
  ) {
    super(en);
  }
}

export interface CheckedSql {
  /** The tables the query reads, as written (resource ids, or "<id>:<sheet>"). */
  tables: string[];
  /** Where each table is named (a byte offset into the query's UTF-8 text), to put a narrower subquery in its place. */
  refs: { name: string; location: number; aliased: boolean }[];
}

const WRITES = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/**
 * Checks that `sql` is one read-only SELECT over datastore tables named by resource id (quoted,
 * unqualified), calling only allowed functions; parsed by PostgreSQL's own parser (libpg-query),
 * so what is checked is what the server would run. The tables are returned for the access check.
 */
export async function checkSql(sql: string): Promise<CheckedSql> {
  let tree: { stmts?: { stmt: Record<string, unknown> }[] };
  try {
    tree = (await parse(sql)) as typeof tree;
  } catch (e) {
    throw new SqlRefused(`Câu truy vấn sai cú pháp: ${(e as Error).message}`, `Syntax error: ${(e as Error).message}`);
  }
  const stmts = tree.stmts ?? [];
  if (stmts.length !== 1) throw new SqlRefused('Chỉ một câu lệnh SELECT.', 'Query is not a single statement.');
  const [kind] = Object.keys(stmts[0]!.stmt);
  if (kind !== 'SelectStmt') throw new SqlRefused('Chỉ được dùng câu lệnh SELECT.', 'Only SELECT statements are allowed.');
  const ctes = new Set<string>();
  const tables = new Set<string>();
  const refs: { schema?: string; name: string; location: number; aliased: boolean }[] = [];
  walk(stmts[0]!.stmt, (key, node) => {
    if (WRITES.has(key)) throw new SqlRefused('Không được ghi dữ liệu.', 'Queries may not change data.');
    if (key === 'lockingClause' || key === 'intoClause')
      throw new SqlRefused('Không được khoá hoặc tạo bảng.', 'Queries may not lock rows or create tables (FOR UPDATE, SELECT INTO).');
    if (key === 'CommonTableExpr') ctes.add(String((node as { ctename?: string }).ctename));
    if (key === 'RangeVar') {
      const r = node as { schemaname?: string; relname: string; location?: number; alias?: unknown };
      refs.push({ ...(r.schemaname ? { schema: r.schemaname } : {}), name: r.relname, location: r.location ?? -1, aliased: !!r.alias });
    }
    if (key === 'FuncCall') {
      const names = ((node as { funcname?: { String?: { sval?: string } }[] }).funcname ?? []).map((n) => n.String?.sval ?? '');
      const name = names[names.length - 1]!.toLowerCase();
      const schema = names.length > 1 ? names[0]!.toLowerCase() : 'pg_catalog';
      if (schema !== 'pg_catalog' || !SQL_FUNCTIONS.has(name))
        throw new SqlRefused(`Không được dùng hàm “${names.join('.')}”.`, `Not allowed to call function "${names.join('.')}".`);
    }
  });
  const tableRefs: CheckedSql['refs'] = [];
  for (const r of refs) {
    if (!r.schema && ctes.has(r.name)) continue;
    if (r.schema && r.schema !== 'datastore')
      throw new SqlRefused(`Không được đọc “${r.schema}.${r.name}”.`, `Only datastore tables may be read (not "${r.schema}.${r.name}").`);
    tables.add(r.name);
    tableRefs.push({ name: r.name, location: r.location, aliased: r.aliased });
  }
  return { tables: [...tables], refs: tableRefs };
}

function walk(node: unknown, visit: (key: string, value: unknown) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    visit(key, value);
    walk(value, visit);
  }
}

const TABLE_REF = /^(?:datastore\s*\.\s*)?"(?:[^"]|"")+"/;

/**
 * The query with some tables read through a subquery instead (row-level sharing narrows a table
 * to the reader's rows): each reference — `"id"` or `datastore."id"`, at the offsets the parser
 * gave — becomes `(select …) as "id"` (or keeps the alias written after it).
 */
export function replaceTables(sql: string, refs: CheckedSql['refs'], subquery: (name: string) => string | null): string {
  let buf = Buffer.from(sql, 'utf8');
  for (const r of [...refs].sort((a, b) => b.location - a.location)) {
    const sub = subquery(r.name);
    if (sub === null || r.location < 0) continue;
    const rest = buf.subarray(r.location).toString('utf8');
    const m = TABLE_REF.exec(rest);
    if (!m) throw new SqlRefused('Không đọc được tên bảng.', `Could not read the table name at offset ${r.location}.`);
    const span = Buffer.byteLength(m[0]);
    const replacement = `(${sub})${r.aliased ? '' : ` as "${r.name.replaceAll('"', '""')}"`}`;
    buf = Buffer.concat([buf.subarray(0, r.location), Buffer.from(replacement), buf.subarray(r.location + span)]);
  }
  return buf.toString('utf8');
}
