import { sql } from 'kysely';
import type { Principal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { orgForNewThing, ownerOf, requireAnyEditor, requireWriterOf } from './access.js';
import { bad } from './errors.js';
import { ENTITIES, type SetName } from './model.js';
import { columnsOf } from './values.js';

/** What one write request carries through its nested creations. */
export interface WriteCtx {
  trx: Db;
  p: Principal;
  /** The time extents of the observations written, by Datastream: added to the Datastreams' own at the end. */
  touched: Map<number, Extent>;
  /** Writers already checked, by Datastream id. */
  mayWrite: Map<number, true>;
}

export interface Extent {
  ps: Date;
  pe: Date;
  rs: Date | null;
  re: Date | null;
}

/** Widens a Datastream's extent by one observation's times. */
export function widen(touched: Map<number, Extent>, ds: number, start: Date, end: Date | null, result: Date | null): void {
  const e = touched.get(ds);
  const last = end ?? start;
  if (!e) {
    touched.set(ds, { ps: start, pe: last, rs: result, re: result });
    return;
  }
  if (start < e.ps) e.ps = start;
  if (last > e.pe) e.pe = last;
  if (result && (!e.rs || result < e.rs)) e.rs = result;
  if (result && (!e.re || result > e.re)) e.re = result;
}

const REQUIRED_LINKS: Partial<Record<SetName, string[]>> = {
  Datastreams: ['Thing', 'Sensor', 'ObservedProperty'],
  Observations: ['Datastream'],
  HistoricalLocations: ['Thing'],
};

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

async function insertRow(trx: Db, table: string, cols: Record<string, unknown>): Promise<number> {
  const names = Object.keys(cols);
  const r = await sql<{ id: string }>`insert into ${sql.table(table)} (${sql.join(names.map((n) => sql.id(n)))}) values (${sql.join(
    names.map((n) => cols[n] as never),
  )}) returning id`.execute(trx);
  return Number(r.rows[0]!.id);
}

async function exists(trx: Db, set: SetName, id: number): Promise<boolean> {
  return (await sql`select 1 from ${sql.table(ENTITIES[set].table)} where id = ${id}`.execute(trx)).rows.length > 0;
}

/**
 * The columns of an entity's own properties, each checked by its kind; unknown keys and the ones
 * the server keeps are refused. An Observation without phenomenonTime is observed now.
 */
export function ownColumns(set: SetName, body: Record<string, unknown>, where: string): Record<string, unknown> {
  const d = ENTITIES[set];
  for (const k of Object.keys(body)) {
    if (k === '@iot.selfLink') continue;
    const p = d.props[k];
    if (p?.serverSet) throw bad(`${where}.${k}`, 'is kept by the server', 'do máy chủ tự cập nhật');
    if (!p && !d.links[k]) throw bad(`${where}.${k}`, `${d.singular} has no such property or link`, `${d.singular} không có thuộc tính hay liên kết này`);
  }
  const cols: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(d.props)) {
    if (p.serverSet) continue;
    let v = body[name];
    if (v === undefined && set === 'Observations' && name === 'phenomenonTime') v = new Date().toISOString();
    if (v === undefined) {
      if (p.required) throw bad(`${where}.${name}`, 'is missing', 'còn thiếu');
      continue;
    }
    Object.assign(cols, columnsOf(name, p, v, where));
  }
  return cols;
}

/**
 * Creates an entity and everything nested in it (deep insert), in the caller's transaction: any
 * error undoes the whole request. A nested `{"@iot.id": N}` links an existing entity instead. A
 * Thing's Locations make a HistoricalLocation; an Observation without a FeatureOfInterest gets the
 * one made from its Thing's Location (made once, then reused). `preset` holds the link columns a
 * parent sets (a Datastream created under a Thing).
 */
export async function createEntity(c: WriteCtx, set: SetName, body: unknown, where: string, preset: Record<string, unknown> = {}): Promise<number> {
  const d = ENTITIES[set];
  if (!isObject(body)) throw bad(where, `a ${d.singular} is a JSON object`, `${d.singular} phải là đối tượng JSON`);
  if ('@iot.id' in body) {
    const id = body['@iot.id'];
    if (Object.keys(body).some((k) => k !== '@iot.id' && k !== '@iot.selfLink'))
      throw bad(where, 'a reference to an existing entity carries only its @iot.id', 'tham chiếu chỉ gồm @iot.id');
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || !(await exists(c.trx, set, id)))
      throw bad(`${where}.@iot.id`, `no ${d.singular} ${JSON.stringify(id)}`, `không có ${d.singular} ${JSON.stringify(id)}`);
    return id;
  }
  const cols: Record<string, unknown> = { ...preset, ...ownColumns(set, body, where) };
  // To-one links first: their ids are columns of this row.
  for (const [name, link] of Object.entries(d.links)) {
    if (!link.one) continue;
    if (body[name] !== undefined) cols[link.fk] = await createEntity(c, link.target, body[name], `${where}.${name}`);
  }
  for (const name of REQUIRED_LINKS[set] ?? []) {
    const link = d.links[name]!;
    if (link.one && cols[link.fk] === undefined) throw bad(`${where}.${name}`, 'is missing', 'còn thiếu');
  }
  await authorize(c, set, cols, body, where);
  if (set === 'Observations') {
    const ds = Number(cols.datastream_id);
    if (cols.feature_id === undefined) cols.feature_id = await featureFromLocation(c.trx, ds, where);
    const r = body.result;
    cols.result_number = typeof r === 'number' && Number.isFinite(r) ? r : null;
    widen(c.touched, ds, cols.phenomenon_time_start as Date, (cols.phenomenon_time_end as Date | null) ?? null, (cols.result_time as Date | undefined) ?? null);
  }
  const id = await insertRow(c.trx, d.table, cols);
  // Then to-many links: nested entities made (or linked) under this one.
  const linked: Partial<Record<string, number[]>> = {};
  for (const [name, link] of Object.entries(d.links)) {
    if (link.one || body[name] === undefined) continue;
    const list = body[name];
    if (!Array.isArray(list)) throw bad(`${where}.${name}`, 'must be a JSON array', 'phải là mảng JSON');
    for (const [i, item] of list.entries()) {
      const at = `${where}.${name}[${i}]`;
      if ('back' in link) await createEntity(c, link.target, item, at, { [link.back]: id });
      else {
        const other = await createEntity(c, link.target, item, at);
        await sql`insert into ${sql.table(link.via.table)} (${sql.id(link.via.self)}, ${sql.id(link.via.other)}) values (${id}, ${other}) on conflict do nothing`.execute(
          c.trx,
        );
        (linked[name] ??= []).push(other);
      }
    }
  }
  if (set === 'Things' && linked.Locations?.length) await historicalLocation(c.trx, id, linked.Locations);
  if (set === 'Locations') for (const thing of linked.Things ?? []) await historicalLocation(c.trx, thing, [id]);
  return id;
}

/** A Thing is somewhere new from now: a HistoricalLocation names its Locations. */
export async function historicalLocation(trx: Db, thing: number, locations: number[]): Promise<void> {
  const hl = await insertRow(trx, 'sta_historical_location', { thing_id: thing, time: new Date() });
  for (const l of locations) await sql`insert into sta_historical_location_location (historical_location_id, location_id) values (${hl}, ${l})`.execute(trx);
}

/** The FeatureOfInterest of the Datastream's Thing's (latest) Location: made from it once, then reused. */
export async function featureFromLocation(trx: Db, datastream: number, where: string): Promise<number> {
  const loc = (
    await sql<{ id: string; name: string; description: string; encoding_type: string; location: unknown }>`
      select l.id, l.name, l.description, l.encoding_type, l.location
        from sta_datastream d join sta_thing_location tl on tl.thing_id = d.thing_id join sta_location l on l.id = tl.location_id
       where d.id = ${datastream} order by l.id desc limit 1`.execute(trx)
  ).rows[0];
  if (!loc)
    throw bad(`${where}.FeatureOfInterest`, 'is missing, and the Thing has no Location to make one from', 'còn thiếu, và Thing không có Location để tạo');
  const found = (await sql<{ id: string }>`select id from sta_feature where location_id = ${loc.id}`.execute(trx)).rows[0];
  if (found) return Number(found.id);
  const made = await sql<{ id: string }>`
    insert into sta_feature (name, description, encoding_type, feature, location_id)
    values (${loc.name}, ${loc.description}, ${loc.encoding_type}, ${JSON.stringify(loc.location)}::jsonb, ${loc.id})
    on conflict (location_id) do update set location_id = excluded.location_id returning id`.execute(trx);
  return Number(made.rows[0]!.id);
}

async function authorize(c: WriteCtx, set: SetName, cols: Record<string, unknown>, body: Record<string, unknown>, where: string): Promise<void> {
  switch (set) {
    case 'Things':
      cols.org_id = await orgForNewThing(c.trx, c.p, body.properties, where);
      return;
    case 'Datastreams':
      return requireWriterOf(c.p, await ownerOf(c.trx, 'Things', Number(cols.thing_id)));
    case 'HistoricalLocations':
      return requireWriterOf(c.p, await ownerOf(c.trx, 'Things', Number(cols.thing_id)));
    case 'Observations': {
      const ds = Number(cols.datastream_id);
      if (c.mayWrite.has(ds)) return;
      requireWriterOf(c.p, await ownerOf(c.trx, 'Datastreams', ds));
      c.mayWrite.set(ds, true);
      return;
    }
    default:
      requireAnyEditor(c.p);
  }
}

/**
 * Widens the Datastreams' phenomenonTime and resultTime by the extents of the observations just
 * written (in the same transaction; a deleted observation does not narrow them).
 */
export async function refreshExtents(trx: Db, touched: Map<number, Extent>): Promise<void> {
  for (const [id, e] of [...touched].sort(([a], [b]) => a - b))
    await sql`
      update sta_datastream set
        phenomenon_time_start = least(phenomenon_time_start, ${e.ps}::timestamptz),
        phenomenon_time_end = greatest(phenomenon_time_end, ${e.pe}::timestamptz),
        result_time_start = least(result_time_start, ${e.rs}::timestamptz),
        result_time_end = greatest(result_time_end, ${e.re}::timestamptz)
       where id = ${id}`.execute(trx);
}
