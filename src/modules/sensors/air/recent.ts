import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.js';
import type { Pollutant } from '../indices/aqi.js';
import { hourlySeries, stationHours, STALE_AFTER_MS } from './station-aqi.js';

const HOUR = 3_600_000;

/** One hour of a station: its end, the hourly VN_AQI (PM as NowCast) and each pollutant's hourly mean (µg/m³). */
export interface RecentHour {
  at: number;
  aqi: number | null;
  values: Partial<Record<Pollutant, number>>;
}

/**
 * A station's last `hours` hours up to its latest hour with data, and whether that hour is out of
 * date (older than three hours), as warnings judge a station: by its newest data, never by a guess.
 */
export async function stationRecent(db: Db, thingId: number, hours: number, now = Date.now()): Promise<{ hours: RecentHour[]; stale: boolean }> {
  const last = (
    await sql<{ t: Date | null }>`
      select max(o.phenomenon_time_start) as t from sta_observation o join sta_datastream d on d.id = o.datastream_id
       where d.thing_id = ${thingId} and o.phenomenon_time_start <= ${new Date(now)}`.execute(db)
  ).rows[0]?.t;
  if (!last) return { hours: [], stale: true };
  const end = Math.floor(new Date(last).getTime() / HOUR) * HOUR + HOUR;
  const rows = await stationHours(db, thingId, new Date(end - (hours + 12) * HOUR), new Date(end));
  const aqi = new Map(hourlySeries(rows).map((h) => [h.at, h.result.aqi]));
  const out = rows
    .filter((r) => r.at > end - (hours + 1) * HOUR)
    .map((r) => {
      const values: RecentHour['values'] = {};
      for (const p of ['pm25', 'pm10', 'o3', 'no2', 'so2', 'co'] as const) if (typeof r[p] === 'number') values[p] = r[p];
      return { at: r.at, aqi: aqi.get(r.at) ?? null, values };
    });
  return { hours: out, stale: now - end > STALE_AFTER_MS };
}

/** A Datastream's fault as the quality check last saw it: its newest observation flagged stuck or out of range, or no data for too long. */
export interface StreamFault {
  thingId: number;
  datastreamId: number;
  name: string;
  kind: 'stuck' | 'range' | 'silent';
  since: string;
}

/** The stations' current sensor faults; a stream silent for more than `silentHours` is one. */
export async function streamFaults(db: Db, silentHours: number, thingIds?: number[], now = Date.now()): Promise<StreamFault[]> {
  const rows = (
    await sql<{ thing_id: string; id: string; name: string; last: Date | null; watermark: Date | null; flag: { at: string; kind: string } | null }>`
      select d.thing_id, d.id, d.name, coalesce(d.phenomenon_time_end, d.phenomenon_time_start) as last, q.watermark, q.last_flag as flag
        from sta_datastream d left join sta_qc_state q on q.datastream_id = d.id
       where d.phenomenon_time_start is not null ${thingIds ? sql`and d.thing_id = any(${thingIds}::bigint[])` : sql``}`.execute(db)
  ).rows;
  const out: StreamFault[] = [];
  for (const r of rows) {
    const base = { thingId: Number(r.thing_id), datastreamId: Number(r.id), name: r.name };
    if (r.last && now - new Date(r.last).getTime() > silentHours * HOUR) out.push({ ...base, kind: 'silent', since: new Date(r.last).toISOString() });
    else if (r.flag && r.watermark && (r.flag.kind === 'stuck' || r.flag.kind === 'range') && new Date(r.flag.at).getTime() >= new Date(r.watermark).getTime())
      out.push({ ...base, kind: r.flag.kind, since: r.flag.at });
  }
  return out;
}
