import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.js';
import { forecast, type Forecast } from '../../analytics/index.js';
import { airStreams, hourlySeries, stationHours } from '../air/station-aqi.js';

const HOUR = 3_600_000;
/** Hours forecast ahead, and hours of history they are made from (eight weeks: the weekly cycle three times over). */
export const FORECAST_HOURS = 48;
const HISTORY_HOURS = 8 * 7 * 24;

export type ForecastTarget = 'pm25' | 'aqi';

/** One forecast hour: its end, the mean, and the 80 % and 95 % intervals. */
export interface ForecastPoint {
  at: string;
  mean: number;
  lo80: number;
  hi80: number;
  lo95: number;
  hi95: number;
}

export interface StationForecast {
  target: ForecastTarget;
  basedOn: Date;
  madeAt: Date;
  model: string;
  evaluation: Forecast['evaluation'];
  points: ForecastPoint[];
}

/** Concentrations and indices are never negative: neither are their forecasts. */
const floor0 = (v: number) => Math.max(0, Math.round(v * 10) / 10);

function points(f: Forecast, lastAt: number): ForecastPoint[] {
  const [i80, i95] = f.intervals;
  return f.mean.map((mean, j) => ({
    at: new Date(lastAt + (j + 1) * HOUR).toISOString(),
    mean: floor0(mean),
    lo80: floor0(i80!.lower[j]!),
    hi80: floor0(i80!.upper[j]!),
    lo95: floor0(i95!.lower[j]!),
    hi95: floor0(i95!.upper[j]!),
  }));
}

/** Hourly values from the first hour to `end`, null where an hour has none. */
function hourly(first: number, end: number, value: (at: number) => number | undefined | null): (number | null)[] {
  const out: (number | null)[] = [];
  for (let at = first; at <= end; at += HOUR) out.push(value(at) ?? null);
  return out;
}

/**
 * Makes each station's 48-hour forecasts of PM2.5 (hourly means, µg/m³) and of the hourly VN_AQI
 * from its last eight weeks, when its data has moved on since the last forecast (`only`: these
 * stations, whether or not). The model is chosen per series by the analytics module.
 */
export async function refreshForecasts(db: Db, only?: number[], force = false): Promise<{ stations: number; made: number }> {
  const streams = await airStreams(db, only);
  const things = [...new Set(streams.map((s) => s.thingId))];
  let made = 0;
  for (const thing of things) {
    const last = (
      await sql<{ t: Date | null; based: Date | null }>`
        select (select max(o.phenomenon_time_start) from sta_observation o
                 where o.datastream_id = any(${streams.filter((s) => s.thingId === thing).map((s) => s.id)}::bigint[])) as t,
               (select min(based_on) from sensor_forecast where thing_id = ${thing}) as based`.execute(db)
    ).rows[0];
    if (!last?.t) continue;
    const end = Math.floor(new Date(last.t).getTime() / HOUR) * HOUR + HOUR;
    if (!force && last.based && new Date(last.based).getTime() >= end) continue;
    const rows = await stationHours(db, thing, new Date(end - HISTORY_HOURS * HOUR), new Date(end));
    if (!rows.length) continue;
    const first = rows[0]!.at;
    const byHour = new Map(rows.map((r) => [r.at, r]));
    const aqi = new Map(hourlySeries(rows).map((h) => [h.at, h.result.aqi]));
    const series: [ForecastTarget, (number | null)[]][] = [
      ['pm25', hourly(first, end, (at) => byHour.get(at)?.pm25)],
      ['aqi', hourly(first, end, (at) => aqi.get(at))],
    ];
    for (const [target, values] of series) {
      if (!values.some((v) => v !== null)) continue;
      const f = forecast(values, { horizon: FORECAST_HOURS, periods: [24, 168], levels: [80, 95] }, `${thing}/${target}`);
      await sql`
        insert into sensor_forecast (thing_id, target, based_on, made_at, model, evaluation, points)
        values (${thing}, ${target}, ${new Date(end)}, now(), ${f.model}, ${JSON.stringify(f.evaluation)}::jsonb, ${JSON.stringify(points(f, end))}::jsonb)
        on conflict (thing_id, target) do update set based_on = excluded.based_on, made_at = excluded.made_at,
          model = excluded.model, evaluation = excluded.evaluation, points = excluded.points`.execute(db);
      made++;
    }
  }
  return { stations: things.length, made };
}

/** A station's stored forecasts. */
export async function stationForecasts(db: Db, thingId: number): Promise<StationForecast[]> {
  const rows = (
    await sql<{ target: ForecastTarget; based_on: Date; made_at: Date; model: string; evaluation: Forecast['evaluation']; points: ForecastPoint[] }>`
      select target, based_on, made_at, model, evaluation, points from sensor_forecast where thing_id = ${thingId} order by target`.execute(db)
  ).rows;
  return rows.map((r) => ({ target: r.target, basedOn: r.based_on, madeAt: r.made_at, model: r.model, evaluation: r.evaluation, points: r.points }));
}

/** Each station's (these stations') highest forecast value of a target within the next hours (for forecast-exceedance warnings). */
export async function forecastPeaks(
  db: Db,
  target: ForecastTarget,
  withinHours: number,
  thingIds?: number[],
): Promise<{ thingId: number; peak: number; at: string; basedOn: Date }[]> {
  const rows = (
    await sql<{ thing_id: string; peak: number; at: string; based_on: Date }>`
      select f.thing_id, p.mean as peak, p.at, f.based_on
        from sensor_forecast f
        cross join lateral (
          select (e->>'mean')::float8 as mean, e->>'at' as at from jsonb_array_elements(f.points) e
           where (e->>'at')::timestamptz <= f.based_on + make_interval(hours => ${withinHours})
           order by (e->>'mean')::float8 desc limit 1) p
       where f.target = ${target} ${thingIds ? sql`and f.thing_id = any(${thingIds}::bigint[])` : sql``}`.execute(db)
  ).rows;
  return rows.map((r) => ({ thingId: Number(r.thing_id), peak: Number(r.peak), at: r.at, basedOn: r.based_on }));
}
