import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.js';
import { hourlyAqi, type AqiResult, type Concentrations, type Pollutant } from '../indices/aqi.js';
import { dailyAqi, type DailyAqi, type HourRow } from '../indices/daily.js';
import { nowcast } from '../indices/nowcast.js';
import { pollutantOf, toMicrogramFactor } from './pollutants.js';

const HOUR = 3_600_000;
/** Vietnam's clock (UTC+7): the day of a daily AQI runs 01:00–24:00 local time. */
const VN_OFFSET = 420;
/** An index older than this is shown as out of date. */
export const STALE_AFTER_MS = 3 * HOUR;

export interface AirStream {
  id: number;
  thingId: number;
  pollutant: Pollutant;
  factor: number;
}

export interface StationAqi extends AqiResult {
  /** The end of the hour the index is for (ms). */
  at: number;
  stale: boolean;
}

/** The Datastreams of these Things (all Things when none given) that measure a VN_AQI pollutant in a unit it converts. */
export async function airStreams(db: Db, thingIds?: number[]): Promise<AirStream[]> {
  const rows = (
    await sql<{ id: string; thing_id: string; name: string; definition: string; unit: { symbol?: unknown } | null }>`
      select d.id, d.thing_id, op.name, op.definition, d.unit_of_measurement as unit
        from sta_datastream d join sta_observed_property op on op.id = d.observed_property_id
       where ${thingIds ? sql`d.thing_id = any(${thingIds}::bigint[])` : sql`true`}`.execute(db)
  ).rows;
  return rows.flatMap((r) => {
    const pollutant = pollutantOf(r.name, r.definition);
    const factor = toMicrogramFactor(r.unit?.symbol);
    return pollutant && factor ? [{ id: Number(r.id), thingId: Number(r.thing_id), pollutant, factor }] : [];
  });
}

/**
 * Hourly means (µg/m³) of these streams over the hours from the one holding `since` to the one
 * before `until`, by stream and hour's end: from the hourly rollups (sta/hourly-sql.ts), values
 * below zero left out.
 */
async function hourlyMeans(db: Db, streams: AirStream[], since: Date, until?: Date): Promise<Map<number, Map<number, number>>> {
  const out = new Map<number, Map<number, number>>();
  if (!streams.length) return out;
  const rows = (
    await sql<{ ds: string; h: Date; v: number }>`
      select datastream_id as ds, hour + interval '1 hour' as h, (total - neg_total) / (n - neg_n) as v
        from sta_hourly
       where datastream_id = any(${streams.map((s) => s.id)}::bigint[]) and hour >= date_trunc('hour', ${since}::timestamptz, 'UTC')
         ${until ? sql`and hour < ${until}` : sql``} and n > neg_n`.execute(db)
  ).rows;
  const factor = new Map(streams.map((s) => [s.id, s.factor]));
  for (const r of rows) {
    const ds = Number(r.ds);
    let m = out.get(ds);
    if (!m) out.set(ds, (m = new Map()));
    m.set(new Date(r.h).getTime(), Number(r.v) * factor.get(ds)!);
  }
  return out;
}

/**
 * Each station's current VN_AQI: for the latest hour with data (over its air streams), PM2.5 and
 * PM10 as NowCasts of the last 12 hourly means, the other pollutants as that hour's mean
 * (QĐ 1459's hourly index). Stations without air streams or recent data are left out.
 */
export async function currentAqi(db: Db, thingIds?: number[]): Promise<Map<number, StationAqi>> {
  const streams = await airStreams(db, thingIds);
  const out = new Map<number, StationAqi>();
  if (!streams.length) return out;
  const latest = (
    await sql<{ ds: string; t: Date }>`
      select d.id as ds, (select max(o.phenomenon_time_start) from sta_observation o where o.datastream_id = d.id) as t
        from sta_datastream d where d.id = any(${streams.map((s) => s.id)}::bigint[])`.execute(db)
  ).rows;
  const lastOf = new Map(latest.filter((r) => r.t).map((r) => [Number(r.ds), new Date(r.t).getTime()]));
  const byThing = new Map<number, AirStream[]>();
  for (const s of streams) byThing.set(s.thingId, [...(byThing.get(s.thingId) ?? []), s]);
  const newest = Math.max(0, ...lastOf.values());
  if (!newest) return out;
  const means = await hourlyMeans(db, streams, new Date(newest - 14 * HOUR));
  for (const [thing, list] of byThing) {
    const last = Math.max(0, ...list.map((s) => lastOf.get(s.id) ?? 0));
    if (!last) continue;
    const hourEnd = Math.floor(last / HOUR) * HOUR + HOUR;
    const c: Concentrations = {};
    for (const s of list) {
      const m = means.get(s.id);
      if (!m) continue;
      if (s.pollutant === 'pm25' || s.pollutant === 'pm10') c[s.pollutant] = nowcast(Array.from({ length: 12 }, (_, k) => m.get(hourEnd - k * HOUR)));
      else c[s.pollutant] = m.get(hourEnd) ?? null;
    }
    const r = hourlyAqi(c);
    if (r) out.set(thing, { ...r, at: hourEnd, stale: Date.now() - hourEnd > STALE_AFTER_MS });
  }
  return out;
}

/** A station's hourly rows (µg/m³ by pollutant, one per hour's end) over a period. */
export async function stationHours(db: Db, thingId: number, since: Date, until: Date): Promise<HourRow[]> {
  const streams = await airStreams(db, [thingId]);
  const means = await hourlyMeans(db, streams, since, until);
  const rows = new Map<number, HourRow>();
  for (const s of streams)
    for (const [at, v] of means.get(s.id) ?? []) {
      const row = rows.get(at) ?? { at, offsetMinutes: VN_OFFSET };
      row[s.pollutant] = v;
      rows.set(at, row);
    }
  return [...rows.values()].sort((a, b) => a.at - b.at);
}

/** A station's daily VN_AQI over the days from `since` to `until`. */
export async function stationDaily(db: Db, thingId: number, since: Date, until: Date): Promise<DailyAqi[]> {
  return dailyAqi(await stationHours(db, thingId, since, until));
}

/** The hourly VN_AQI at each hour of these rows (PM as NowCasts over the rows' previous 12 hours). */
export function hourlySeries(rows: readonly HourRow[]): { at: number; result: AqiResult }[] {
  const byHour = new Map(rows.map((r) => [r.at, r]));
  const out: { at: number; result: AqiResult }[] = [];
  for (const r of rows) {
    const c: Concentrations = { o3: r.o3, no2: r.no2, so2: r.so2, co: r.co };
    for (const pm of ['pm25', 'pm10'] as const) c[pm] = nowcast(Array.from({ length: 12 }, (_, k) => byHour.get(r.at - k * HOUR)?.[pm]));
    const result = hourlyAqi(c);
    if (result) out.push({ at: r.at, result });
  }
  return out;
}
