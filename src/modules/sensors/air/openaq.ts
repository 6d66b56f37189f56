import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.js';
import { pollutantOf } from './pollutants.js';

/**
 * The monitoring data in the shapes of the OpenAQ v3 API (locations, sensors, parameters,
 * latest values, measurements and their hourly and daily aggregates), so tools written for OpenAQ
 * read our stations: a location is a SensorThings Thing with a point Location, a sensor one of its
 * Datastreams, a parameter an ObservedProperty.
 */
const VN = 'Asia/Ho_Chi_Minh';
const OFFSET_MS = 7 * 3_600_000;

export interface Page {
  limit: number;
  page: number;
}

/** A time as OpenAQ writes one: UTC and Vietnam's local clock. */
export const when = (d: Date | string | null) => {
  if (d === null) return null;
  const t = new Date(d);
  return { utc: t.toISOString().replace('.000Z', 'Z'), local: `${new Date(t.getTime() + OFFSET_MS).toISOString().slice(0, 19)}+07:00` };
};

const parameter = (r: { op_id: string; op_name: string; op_definition: string; unit: { symbol?: string; name?: string } | null }) => ({
  id: Number(r.op_id),
  name: pollutantOf(r.op_name, r.op_definition) ?? r.op_name,
  units: r.unit?.symbol ?? r.unit?.name ?? '',
  displayName: r.op_name,
});

interface SensorRow {
  id: string;
  thing_id: string;
  name: string;
  op_id: string;
  op_name: string;
  op_definition: string;
  unit: { symbol?: string; name?: string } | null;
  first: Date | null;
  last: Date | null;
}

async function sensorsOf(db: Db, things: number[]): Promise<SensorRow[]> {
  if (!things.length) return [];
  return (
    await sql<SensorRow>`
      select d.id, d.thing_id, d.name, op.id as op_id, op.name as op_name, op.definition as op_definition, d.unit_of_measurement as unit,
             d.phenomenon_time_start as first, d.phenomenon_time_end as last
        from sta_datastream d join sta_observed_property op on op.id = d.observed_property_id
       where d.thing_id = any(${things}::bigint[]) order by d.id`.execute(db)
  ).rows;
}

/** `GET /locations`: the stations, with their sensors and the first and last times of their data. */
export async function locations(db: Db, p: Page, ids?: number[]) {
  const where = ids ? sql`t.id = any(${ids}::bigint[])` : sql`true`;
  const rows = (
    await sql<{ id: string; name: string; description: string; properties: Record<string, unknown> | null; location: { type: string; coordinates: number[] } }>`
      select t.id, t.name, t.description, t.properties, l.location
        from sta_thing t
        join lateral (select l.location from sta_thing_location tl join sta_location l on l.id = tl.location_id
                       where tl.thing_id = t.id order by l.id desc limit 1) l on true
       where ${where} and l.location->>'type' = 'Point'
       order by t.id limit ${p.limit} offset ${(p.page - 1) * p.limit}`.execute(db)
  ).rows;
  const found = Number(
    (
      await sql<{ n: string }>`select count(*) as n from sta_thing t where ${where} and exists (
        select 1 from sta_thing_location tl join sta_location l on l.id = tl.location_id where tl.thing_id = t.id and l.location->>'type' = 'Point')`.execute(
        db,
      )
    ).rows[0]!.n,
  );
  const sensors = await sensorsOf(
    db,
    rows.map((r) => Number(r.id)),
  );
  const results = rows.map((r) => {
    const mine = sensors.filter((s) => s.thing_id === r.id);
    const first = mine.map((s) => s.first).filter((d): d is Date => !!d);
    const last = mine.map((s) => s.last ?? s.first).filter((d): d is Date => !!d);
    const [longitude, latitude] = r.location.coordinates as [number, number];
    return {
      id: Number(r.id),
      name: r.name,
      locality: typeof r.properties?.locality === 'string' ? r.properties.locality : null,
      timezone: VN,
      country: { id: 'VN', code: 'VN', name: 'Viet Nam' },
      owner: typeof r.properties?.operator === 'string' ? { name: r.properties.operator } : null,
      isMobile: false,
      isMonitor: true,
      sensors: mine.map((s) => ({ id: Number(s.id), name: s.name, parameter: parameter(s) })),
      coordinates: { latitude, longitude },
      datetimeFirst: first.length ? when(new Date(Math.min(...first.map(Number)))) : null,
      datetimeLast: last.length ? when(new Date(Math.max(...last.map(Number)))) : null,
    };
  });
  return { meta: { name: 'tinhso-openaq', page: p.page, limit: p.limit, found }, results };
}

/** `GET /locations/{id}/latest`: each sensor's latest value. */
export async function latest(db: Db, location: number) {
  const rows = (
    await sql<{ ds: string; t: Date; v: number | null }>`
      select d.id as ds, o.phenomenon_time_start as t, o.result_number as v
        from sta_datastream d
        join lateral (select phenomenon_time_start, result_number from sta_observation where datastream_id = d.id order by phenomenon_time_start desc limit 1) o on true
       where d.thing_id = ${location} order by d.id`.execute(db)
  ).rows;
  return {
    meta: { name: 'tinhso-openaq', page: 1, limit: rows.length, found: rows.length },
    results: rows.map((r) => ({ datetime: when(r.t), value: r.v, sensorsId: Number(r.ds), locationsId: location })),
  };
}

/** `GET /parameters`: the observed properties. */
export async function parameters(db: Db) {
  const rows = (
    await sql<{ op_id: string; op_name: string; op_definition: string; description: string; unit: { symbol?: string } | null }>`
      select op.id as op_id, op.name as op_name, op.definition as op_definition, op.description,
             (select d.unit_of_measurement from sta_datastream d where d.observed_property_id = op.id order by d.id limit 1) as unit
        from sta_observed_property op order by op.id`.execute(db)
  ).rows;
  return {
    meta: { name: 'tinhso-openaq', page: 1, limit: rows.length, found: rows.length },
    results: rows.map((r) => ({ ...parameter(r), description: r.description })),
  };
}

export type Aggregation = 'raw' | 'hours' | 'days';

/**
 * `GET /sensors/{id}/measurements|hours|days`: the values of one Datastream between two times,
 * raw or as hourly or daily means (days by Vietnam's calendar, as the daily AQI's 01:00–24:00 is
 * the AQI's own and not a mean's), with min, max and count as OpenAQ's summary and coverage.
 */
export async function measurements(db: Db, sensor: number, agg: Aggregation, from: Date, to: Date, p: Page) {
  const s = (
    await sql<SensorRow>`
      select d.id, d.thing_id, d.name, op.id as op_id, op.name as op_name, op.definition as op_definition, d.unit_of_measurement as unit, null as first, null as last
        from sta_datastream d join sta_observed_property op on op.id = d.observed_property_id where d.id = ${sensor}`.execute(db)
  ).rows[0];
  if (!s) return undefined;
  const param = parameter(s);
  const offset = (p.page - 1) * p.limit;
  if (agg === 'raw') {
    const rows = (
      await sql<{ t: Date; e: Date | null; v: number | null }>`
        select phenomenon_time_start as t, phenomenon_time_end as e, result_number as v from sta_observation
         where datastream_id = ${sensor} and phenomenon_time_start >= ${from} and phenomenon_time_start < ${to}
         order by phenomenon_time_start limit ${p.limit} offset ${offset}`.execute(db)
    ).rows;
    return {
      meta: { name: 'tinhso-openaq', page: p.page, limit: p.limit, found: rows.length < p.limit ? offset + rows.length : '>' + String(offset + rows.length) },
      results: rows.map((r) => ({
        value: r.v,
        parameter: param,
        period: { label: 'raw', interval: null, datetimeFrom: when(r.t), datetimeTo: when(r.e ?? r.t) },
      })),
    };
  }
  const bucket =
    agg === 'hours' ? sql`date_trunc('hour', phenomenon_time_start)` : sql`(date_trunc('day', phenomenon_time_start at time zone ${VN}) at time zone ${VN})`;
  const step = agg === 'hours' ? 3_600_000 : 86_400_000;
  const rows = (
    await sql<{ b: Date; avg: number; min: number; max: number; n: string }>`
      select ${bucket} as b, avg(result_number) as avg, min(result_number) as min, max(result_number) as max, count(result_number) as n
        from sta_observation
       where datastream_id = ${sensor} and phenomenon_time_start >= ${from} and phenomenon_time_start < ${to} and result_number is not null
       group by 1 order by 1 limit ${p.limit} offset ${offset}`.execute(db)
  ).rows;
  return {
    meta: { name: 'tinhso-openaq', page: p.page, limit: p.limit, found: rows.length < p.limit ? offset + rows.length : '>' + String(offset + rows.length) },
    results: rows.map((r) => {
      const start = new Date(r.b);
      return {
        value: Number(r.avg),
        parameter: param,
        period: {
          label: agg === 'hours' ? '1hour' : '1day',
          interval: agg === 'hours' ? '01:00:00' : '24:00:00',
          datetimeFrom: when(start),
          datetimeTo: when(new Date(start.getTime() + step)),
        },
        summary: { min: Number(r.min), max: Number(r.max), avg: Number(r.avg) },
        coverage: { observedCount: Number(r.n) },
      };
    }),
  };
}
