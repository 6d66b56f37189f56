import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.js';
import { computeWqi, WqiDataError, type WqiResult } from '../indices/wqi.js';
import { toCanonical, unitOf, waterKeyOf, type WaterKey } from './parameters.js';

/** One water sample as stored: a station's results at one time, with its VN_WQI when the results allow one. */
export interface WaterSample {
  thingId: number;
  at: Date;
  values: Partial<Record<WaterKey, number>>;
  result: WqiResult | null;
  /** Why there is no VN_WQI (too few groups…). */
  note: string | null;
}

/**
 * The samples of water stations, newest first: the results of the Datastreams whose
 * ObservedProperty is a VN_WQI parameter, grouped by their time, in the decision's units (a
 * Datastream in µg/L of a parameter counted in mg/L is converted), each with its VN_WQI.
 * `latest`: only each station's newest sample.
 */
export async function waterSamples(db: Db, thingIds: number[], opts: { latest?: boolean; limit?: number } = {}): Promise<WaterSample[]> {
  if (!thingIds.length) return [];
  const limit = opts.limit ?? 200;
  // Only the Datastreams of VN_WQI parameters count: a station's other sensors (a water level
  // logger, say) must not push its samples out of the newest ones, nor be scanned for nothing.
  const streams = (
    await sql<{ id: string; name: string }>`
      select d.id, op.name from sta_datastream d join sta_observed_property op on op.id = d.observed_property_id
       where d.thing_id = any(${thingIds}::bigint[])`.execute(db)
  ).rows
    .filter((r) => waterKeyOf(r.name))
    .map((r) => Number(r.id));
  if (!streams.length) return [];
  const rows = (
    await sql<{ thing_id: string; name: string; unit: { symbol?: string } | null; t: Date; value: number }>`
      with times as (
        select d.thing_id, o.phenomenon_time_start as t,
               dense_rank() over (partition by d.thing_id order by o.phenomenon_time_start desc) as n
          from sta_datastream d join sta_observation o on o.datastream_id = d.id
         where d.id = any(${streams}::bigint[]) and o.result_number is not null
         group by d.thing_id, o.phenomenon_time_start
      )
      select d.thing_id, op.name, d.unit_of_measurement as unit, o.phenomenon_time_start as t, o.result_number as value
        from times s
        join sta_datastream d on d.thing_id = s.thing_id and d.id = any(${streams}::bigint[])
        join sta_observed_property op on op.id = d.observed_property_id
        join sta_observation o on o.datastream_id = d.id and o.phenomenon_time_start = s.t
       where s.n <= ${opts.latest ? 1 : limit} and o.result_number is not null
       order by d.thing_id, o.phenomenon_time_start desc`.execute(db)
  ).rows;
  const samples = new Map<string, WaterSample>();
  for (const r of rows) {
    const key = waterKeyOf(r.name);
    if (!key) continue;
    const unit = unitOf(r.unit?.symbol ?? '');
    const value = unit === null ? null : toCanonical(key, r.value, unit);
    if (value === null) continue;
    const at = new Date(r.t);
    const k = `${r.thing_id}|${at.getTime()}`;
    let s = samples.get(k);
    if (!s) samples.set(k, (s = { thingId: Number(r.thing_id), at, values: {}, result: null, note: null }));
    s.values[key] = value;
  }
  const out = [...samples.values()].filter((s) => Object.keys(s.values).length > 0);
  for (const s of out) {
    try {
      s.result = computeWqi(s.values);
    } catch (e) {
      if (!(e instanceof WqiDataError)) throw e;
      s.note = e.message;
    }
  }
  return out.sort((a, b) => a.thingId - b.thingId || b.at.getTime() - a.at.getTime());
}
