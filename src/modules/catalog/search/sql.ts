import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { foldVi } from '../../../platform/text/index.js';
import type { FqNode } from './fq.js';
import { FqError, parseSolrDate } from './fq.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TRUE = sql<SqlBool>`true`;
const FALSE = sql<SqlBool>`false`;

const like = (v: string) => `${v.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
const key = (prefix: string, v: string) => sql<SqlBool>`d.facet_keys @> array[${`${prefix}${v}`}]::text[]`;
const hasKey = (prefix: string) => sql<SqlBool>`exists (select 1 from unnest(d.facet_keys) k where left(k, 2) = ${prefix})`;

/** Text match on search_doc: all folded syllables, in order (phrase) when quoted; `weight` limits to title (A). */
function textMatch(value: string, opts: { phrase: boolean; prefix?: boolean; weightA?: boolean }): RawBuilder<SqlBool> {
  const tokens = foldVi(value)
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (tokens.length === 0) return TRUE;
  const w = opts.weightA ? ':A' : '';
  const parts = tokens.map((t, i) => `'${t}'${opts.prefix && i === tokens.length - 1 ? `:*${opts.weightA ? 'A' : ''}` : w}`);
  return sql<SqlBool>`d.search_doc @@ to_tsquery('simple', ${parts.join(opts.phrase ? ' <-> ' : ' & ')})`;
}

function dateCol(field: string) {
  return field === 'metadata_created' ? sql`d.metadata_created` : sql`d.metadata_modified`;
}

/**
 * SQL for a parsed fq/q tree over the dataset table aliased `d`. Fields in `SIG_FIELDS` only use
 * the access-signature columns, so such trees also run on dataset_search_sig (aliased `d`).
 */
export function compileFq(n: FqNode): RawBuilder<SqlBool> {
  switch (n.op) {
    case 'all':
      return TRUE;
    case 'and':
      return sql<SqlBool>`(${sql.join(n.args.map(compileFq), sql` and `)})`;
    case 'or':
      return sql<SqlBool>`(${sql.join(n.args.map(compileFq), sql` or `)})`;
    case 'not':
      return sql<SqlBool>`not coalesce(${compileFq(n.arg)}, false)`;
    case 'range': {
      const col = dateCol(n.field);
      const lo = n.lo ? (n.loInclusive ? sql<SqlBool>`${col} >= ${n.lo}` : sql<SqlBool>`${col} > ${n.lo}`) : TRUE;
      const hi = n.hi ? (n.hiInclusive ? sql<SqlBool>`${col} <= ${n.hi}` : sql<SqlBool>`${col} < ${n.hi}`) : TRUE;
      return sql<SqlBool>`(${lo} and ${hi})`;
    }
    case 'term':
      return compileTerm(n);
  }
}

function compileTerm(n: Extract<FqNode, { op: 'term' }>): RawBuilder<SqlBool> {
  const v = n.value;
  const any = n.any === true;
  switch (n.field) {
    case 'organization':
      if (any) return TRUE;
      return n.prefix
        ? sql<SqlBool>`d.owner_org in (select id from organization where slug like ${like(v)})`
        : sql<SqlBool>`d.owner_org = any(array(select id from organization where slug = ${v}))`;
    case 'owner_org':
      if (any) return TRUE;
      return UUID_RE.test(v) ? sql<SqlBool>`d.owner_org = ${v}::uuid` : sql<SqlBool>`d.owner_org = any(array(select id from organization where slug = ${v}))`;
    case 'groups':
      if (any) return hasKey('g:');
      return sql<SqlBool>`d.facet_keys && array(select 'g:' || g.id::text from catalog_group g where ${
        n.prefix ? sql`g.name like ${like(v)}` : UUID_RE.test(v) ? sql`(g.name = ${v} or g.id = ${v}::uuid)` : sql`g.name = ${v}`
      })`;
    case 'tags':
      if (any) return hasKey('t:');
      return n.prefix ? sql<SqlBool>`d.facet_keys && array(select 't:' || t.name from tag t where t.name like ${like(v)})` : key('t:', v);
    case 'res_format':
      if (any) return hasKey('f:');
      return n.prefix ? sql<SqlBool>`exists (select 1 from unnest(d.facet_keys) k where k like ${`f:${like(v.toUpperCase())}`})` : key('f:', v.toUpperCase());
    case 'license_id':
      if (any) return sql<SqlBool>`coalesce(d.license_id, '') <> ''`;
      return n.prefix ? sql<SqlBool>`d.license_id like ${like(v)}` : sql<SqlBool>`d.license_id = ${v}`;
    case 'name':
      if (any) return TRUE;
      return n.prefix ? sql<SqlBool>`d.name like ${like(v)}` : sql<SqlBool>`d.name = ${v}`;
    case 'id':
      if (any) return TRUE;
      return UUID_RE.test(v) ? sql<SqlBool>`d.id = ${v}::uuid` : FALSE;
    case 'harvest_source_id':
      if (any) return sql<SqlBool>`d.harvest_source_id is not null`;
      return UUID_RE.test(v) ? sql<SqlBool>`d.harvest_source_id = ${v}::uuid` : FALSE;
    case 'title':
      if (any) return TRUE;
      return textMatch(v, { phrase: n.quoted, prefix: n.prefix, weightA: true });
    case 'text':
      if (any) return TRUE;
      return textMatch(v, { phrase: n.quoted, prefix: n.prefix });
    case 'access_level':
      if (any) return TRUE;
      return sql<SqlBool>`d.access_level = ${v}`;
    case 'capacity':
      if (any) return TRUE;
      if (v === 'public') return sql<SqlBool>`d.access_level = 'public'`;
      if (v === 'private') return sql<SqlBool>`d.access_level <> 'public'`;
      throw new FqError(`capacity must be public or private, not '${v}'`, `capacity phải là public hoặc private, không phải '${v}'`);
    case 'spatial_codes':
      if (any) return sql<SqlBool>`cardinality(d.spatial_codes) > 0`;
      return n.prefix
        ? sql<SqlBool>`exists (select 1 from unnest(d.spatial_codes) c where c like ${like(v)})`
        : sql<SqlBool>`d.spatial_codes @> array[${v}]::text[]`;
    case 'shared_db': {
      if (any) return TRUE;
      const b = v.toLowerCase();
      if (b !== 'true' && b !== 'false')
        throw new FqError(`shared_db must be true or false, not '${v}'`, `shared_db phải là true hoặc false, không phải '${v}'`);
      return key('d:', b);
    }
    case 'state':
      if (any) return TRUE;
      return sql<SqlBool>`d.state = ${v}`;
    case 'dataset_type':
      if (any) return TRUE;
      return sql<SqlBool>`d.type = ${v}`;
    case 'metadata_modified':
    case 'metadata_created': {
      if (any) return TRUE;
      const at = parseSolrDate(v.trim());
      return sql<SqlBool>`${dateCol(n.field)} = ${at}`;
    }
  }
}

/** Fields answerable from the access signature alone (dataset_search_sig has these columns). */
export const SIG_FIELDS = new Set(['organization', 'owner_org', 'access_level', 'capacity', 'state']);
