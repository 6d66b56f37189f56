import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../../platform/db/index.js';
import { missing } from './errors.js';
import { ENTITIES, type EntityDef, type SetName } from './model.js';
import type { Expand, QueryOptions } from './options.js';
import { isSingle, type ResourcePath } from './path.js';
import { alias, filterSql, orderSql, pathCondition } from './sql.js';

export type Row = Record<string, unknown> & { id: string | number };
type Json = Record<string, unknown>;

/** An instant as the standard writes it: a Date, or the UTC text `columns` asks PostgreSQL for ("2026-11-10 07:00:00[.ffffff]"). */
const iso = (v: unknown) =>
  v instanceof Date
    ? v.toISOString()
    : typeof v === 'string' && v[10] === ' ' && v.length >= 19
      ? fromUtcText(v)
      : v == null
        ? null
        : new Date(String(v)).toISOString();
const fromUtcText = (s: string) => `${s.slice(0, 10)}T${s.slice(11, 19)}.${`${s.slice(20, 23)}000`.slice(0, 3)}Z`;

/**
 * The columns a collection read needs, instants as UTC text (PostgreSQL's ISO output, as node-postgres itself expects):
 * the id, the (selected) properties, and the to-one links' keys (for $expand and data arrays).
 * Parsing every instant into a Date and writing it back out was most of the time of a page of
 * 1,440 observations; so were JSON columns that `$select` leaves out.
 */
function columns(d: EntityDef, a: string, select?: string[]): RawBuilder<unknown> {
  const col = (c: string) => sql.ref(`${a}.${c}`);
  const time = (c: string) => sql`(${col(c)} at time zone 'UTC')::text as ${sql.id(c)}`;
  const list: unknown[] = [col('id')];
  for (const [name, p] of Object.entries(d.props)) {
    if (select && !select.includes(name)) continue;
    if (p.kind === 'interval') list.push(time(`${p.column}_start`), time(`${p.column}_end`));
    else if (p.kind === 'time') list.push(time(p.column));
    else list.push(col(p.column));
  }
  for (const link of Object.values(d.links)) if (link.one) list.push(col(link.fk));
  return sql.join(list);
}
const interval = (start: unknown, end: unknown) => {
  if (start == null) return null;
  const s = iso(start)!;
  const e = end == null ? null : iso(end)!;
  return e && e !== s ? `${s}/${e}` : s;
};

/** The URL an entity answers at. */
/** The SensorThings service root under the app's public base URL. */
export const serviceRoot = (baseUrl: string) => `${baseUrl.replace(/\/$/, '')}/v1.1`;

export const selfLink = (base: string, set: SetName, id: string | number) => `${base}/${set}(${id})`;

/** One row as the standard writes an entity: id, selfLink, the selected properties, navigation links. */
export function render(d: EntityDef, row: Row, base: string, select?: string[]): Json {
  return renderer(d, base, select)(row);
}

/** `render` for many rows of one set and one `$select`: what to write is worked out once, not per row. */
function renderer(d: EntityDef, base: string, select?: string[]): (row: Row) => Json {
  const want = (n: string) => !select || select.includes(n);
  const withId = want('id');
  const props = Object.entries(d.props).filter(([name]) => want(name));
  const links = Object.keys(d.links).filter(want);
  return (row) => {
    const out: Json = {};
    if (withId) out['@iot.id'] = Number(row.id);
    const self = selfLink(base, d.set, row.id);
    out['@iot.selfLink'] = self;
    for (const [name, p] of props) {
      let v: unknown;
      if (p.kind === 'interval') v = interval(row[`${p.column}_start`], row[`${p.column}_end`]);
      else if (p.kind === 'time') v = iso(row[p.column]);
      else v = row[p.column];
      if (v === null || v === undefined) {
        if (!p.required) continue;
        v = null;
      }
      out[name] = v;
    }
    for (const name of links) out[`${name}@iot.navigationLink`] = `${self}/${name}`;
    return out;
  };
}

const orderBy = (set: SetName, a: string, o: QueryOptions): RawBuilder<unknown> =>
  sql.join(
    [...o.orderby.map((ob) => sql`${orderSql(set, a, ob.path)} ${sql.raw(ob.desc ? 'desc nulls last' : 'asc nulls first')}`), sql`${sql.ref(`${a}.id`)} asc`],
    sql`, `,
  );

const where = (set: SetName, a: string, cond: RawBuilder<unknown>, o: QueryOptions) => (o.filter ? sql`${cond} and ${filterSql(o.filter, set, a)}` : cond);

export interface Collection {
  '@iot.count'?: number;
  '@iot.nextLink'?: string;
  value: Json[];
}

/**
 * Reads what a path names, with its options applied in the standard's order: filter, count,
 * orderby, skip, top; then select and expand (each expanded level with its own options).
 */
export async function readPath(db: Db, path: ResourcePath, o: QueryOptions, base: string, url: URL): Promise<Json | Collection | string> {
  const last = path.steps.at(-1)!;
  const d = ENTITIES[last.set];
  const a = alias();
  const cond = pathCondition(path.steps, a);
  if (isSingle(path)) {
    const rows = (await sql<Row>`select * from ${sql.table(d.table)} as ${sql.id(a)} where ${cond} limit 1`.execute(db)).rows;
    const row = rows[0];
    if (!row) throw missing(`${last.set}${last.id !== undefined ? `(${last.id})` : ''}`);
    if (path.ref) return { '@iot.selfLink': selfLink(base, d.set, row.id) };
    const entity = render(d, row, base, o.select);
    if (path.property) {
      const v = path.property in entity ? entity[path.property] : null;
      if (path.value) return typeof v === 'string' ? v : JSON.stringify(v);
      return { [path.property]: v };
    }
    await expandInto(db, d, [row], [entity], o.expand, base);
    return entity;
  }
  const w = where(last.set, a, cond, o);
  const rows = (
    await sql<Row>`select ${columns(d, a, o.select)} from ${sql.table(d.table)} as ${sql.id(a)} where ${w} order by ${orderBy(last.set, a, o)} limit ${o.top + 1} offset ${o.skip}`.execute(
      db,
    )
  ).rows;
  const more = rows.length > o.top;
  const page = rows.slice(0, o.top);
  const out: Collection = { value: [] };
  if (o.count)
    out['@iot.count'] = Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(d.table)} as ${sql.id(a)} where ${w}`.execute(db)).rows[0]!.n);
  if (path.ref) out.value = page.map((r) => ({ '@iot.selfLink': selfLink(base, d.set, r.id) }));
  else if (o.resultFormat === 'dataArray') return dataArray(page, base, o, out);
  else {
    out.value = page.map(renderer(d, base, o.select));
    await expandInto(db, d, page, out.value, o.expand, base);
  }
  if (more) {
    const next = new URL(url);
    next.searchParams.set('$skip', String(o.skip + o.top));
    next.searchParams.set('$top', String(o.top));
    out['@iot.nextLink'] = next.toString().replace(/%24/g, '$');
  }
  return out;
}

/** Adds each $expand item to the rendered entities, one query per item and level (not per entity). */
async function expandInto(db: Db, d: EntityDef, rows: Row[], out: Json[], expands: Expand[], base: string): Promise<void> {
  if (!rows.length) return;
  for (const ex of expands) {
    const link = d.links[ex.link]!;
    const td = ENTITIES[link.target];
    const o = ex.options;
    const c = alias();
    if (link.one) {
      const ids = [...new Set(rows.map((r) => r[link.fk]).filter((v) => v != null))] as (string | number)[];
      const kids = ids.length
        ? (
            await sql<Row>`select ${columns(td, c, o.select)} from ${sql.table(td.table)} as ${sql.id(c)} where ${sql.ref(`${c}.id`)} = any(${ids.map(Number)}::bigint[])`.execute(
              db,
            )
          ).rows
        : [];
      const byId = new Map(kids.map((k) => [String(k.id), k]));
      const draw = renderer(td, base, o.select);
      const rendered = new Map(kids.map((k) => [String(k.id), draw(k)]));
      await expandInto(db, td, kids, [...rendered.values()], o.expand, base);
      rows.forEach((r, i) => {
        const k = byId.get(String(r[link.fk]));
        if (k) out[i]![ex.link] = rendered.get(String(k.id));
      });
      continue;
    }
    const parentIds = rows.map((r) => Number(r.id));
    const [from, parentCol] =
      'back' in link
        ? [sql`${sql.table(td.table)} as ${sql.id(c)}`, sql.ref(`${c}.${link.back}`)]
        : (() => {
            const v = alias();
            return [
              sql`${sql.table(td.table)} as ${sql.id(c)} join ${sql.table(link.via.table)} as ${sql.id(v)} on ${sql.ref(`${v}.${link.via.other}`)} = ${sql.ref(`${c}.id`)}`,
              sql.ref(`${v}.${link.via.self}`),
            ] as const;
          })();
    const cond = sql`${parentCol} = any(${parentIds}::bigint[])`;
    const w = o.filter ? sql`${cond} and ${filterSql(o.filter, td.set, c)}` : cond;
    const kids = (
      await sql<Row & { __parent: string; __rn: string; __n: string }>`
        select * from (
          select ${columns(td, c, o.select)}, ${parentCol} as __parent,
                 row_number() over (partition by ${parentCol} order by ${orderBy(td.set, c, o)}) as __rn,
                 count(*) over (partition by ${parentCol}) as __n
            from ${from} where ${w}) x
         where __rn > ${o.skip} and __rn <= ${o.skip + o.top + 1}
         order by __parent, __rn`.execute(db)
    ).rows;
    const draw = renderer(td, base, o.select);
    const byParent = new Map<string, (Row & { __n: string })[]>();
    for (const k of kids) {
      const list = byParent.get(String(k.__parent));
      if (list) list.push(k);
      else byParent.set(String(k.__parent), [k]);
    }
    for (const [i, r] of rows.entries()) {
      const mine = byParent.get(String(r.id)) ?? [];
      const page = mine.slice(0, o.top);
      const rendered = page.map(draw);
      await expandInto(db, td, page, rendered, o.expand, base);
      const target = out[i]!;
      if (o.count) target[`${ex.link}@iot.count`] = mine.length ? Number(mine[0]!.__n) : 0;
      target[ex.link] = rendered;
      if (mine.length > o.top) target[`${ex.link}@iot.nextLink`] = `${selfLink(base, d.set, r.id)}/${ex.link}?$top=${o.top}&$skip=${o.skip + o.top}`;
    }
  }
}

const DATA_ARRAY_COMPONENTS = ['id', 'phenomenonTime', 'result', 'resultTime', 'resultQuality', 'validTime', 'parameters'];

/** `$resultFormat=dataArray`: the observations grouped by datastream, each as a row of its components. */
function dataArray(rows: Row[], base: string, o: QueryOptions, out: Collection): Collection {
  const d = ENTITIES.Observations;
  const components = (o.select ?? DATA_ARRAY_COMPONENTS).filter((c) => c === 'id' || d.props[c]);
  const groups = new Map<string, unknown[][]>();
  const draw = renderer(d, base);
  for (const r of rows) {
    const e = draw(r);
    const line = components.map((c) => (c === 'id' ? Number(r.id) : (e[c] ?? null)));
    const key = String(r.datastream_id);
    const list = groups.get(key);
    if (list) list.push(line);
    else groups.set(key, [line]);
  }
  out.value = [...groups].map(([ds, data]) => ({
    'Datastream@iot.navigationLink': selfLink(base, 'Datastreams', ds),
    components,
    'dataArray@iot.count': data.length,
    dataArray: data,
  }));
  return out;
}

/** Rows of one set by id, as `render` takes them (for announcing what was written). */
export async function rowsById(db: Db, set: SetName, ids: number[]): Promise<Row[]> {
  if (!ids.length) return [];
  return (await sql<Row>`select * from ${sql.table(ENTITIES[set].table)} where id = any(${ids}::bigint[])`.execute(db)).rows;
}
