import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.js';
import { StreamDetector, type DetectorState, type Flag } from '../../analytics/index.js';
import { rangeOf } from './ranges.js';

/** Observations read per Datastream per run; a longer backlog is taken by the next runs. */
const BATCH = 50_000;
const HOUR = 3_600_000;

interface Stored extends DetectorState {
  stepMs?: number;
}

/** The flag an observation keeps: the surest of those raised on it, with the others' kinds. */
function strongest(flags: Flag[]): { kind: string; score: number; also?: string[] } {
  const sorted = flags.slice().sort((a, b) => b.score - a.score);
  const top = sorted[0]!;
  return sorted.length > 1 ? { kind: top.kind, score: top.score, also: sorted.slice(1).map((f) => f.kind) } : { kind: top.kind, score: top.score };
}

/** The step of a stream: the median gap between its first observations, an hour when it has one. */
function stepOf(times: number[]): number {
  const d = times
    .slice(1)
    .map((t, i) => t - times[i]!)
    .filter((x) => x > 0)
    .sort((a, b) => a - b);
  return d.length ? d[d.length >> 1]! : HOUR;
}

/**
 * The streaming quality check: every Datastream's observations since it last looked go through
 * the analytics module's detector, in time order, carrying its state over from the last run; a
 * flagged observation gets `resultQuality.qc` = {kind, score} (the provider's own flag, if any,
 * kept beside it), visible in the SensorThings API, the station page and the CSV export.
 * Observations that arrive later than ones already checked are not checked (they are in the stored-series check).
 */
export async function runQc(db: Db, only?: number[]): Promise<{ datastreams: number; checked: number; flagged: number }> {
  const streams = (
    await sql<{ id: string; name: string; definition: string; unit: { symbol?: unknown } | null; watermark: Date | null; state: Stored | null }>`
      select d.id, d.name, op.definition, d.unit_of_measurement as unit, q.watermark, q.state
        from sta_datastream d
        join sta_observed_property op on op.id = d.observed_property_id
        left join sta_qc_state q on q.datastream_id = d.id
       where d.phenomenon_time_start is not null
         and (q.watermark is null or coalesce(d.phenomenon_time_end, d.phenomenon_time_start) > q.watermark)
         ${only ? sql`and d.id = any(${only}::bigint[])` : sql``}`.execute(db)
  ).rows;
  let checked = 0;
  let flagged = 0;
  for (const ds of streams) {
    const rows = (
      await sql<{ id: string; t: Date; v: number | null }>`
        select id, phenomenon_time_start as t, result_number as v from sta_observation
         where datastream_id = ${ds.id} ${ds.watermark ? sql`and phenomenon_time_start > ${ds.watermark}` : sql``}
         order by phenomenon_time_start limit ${BATCH}`.execute(db)
    ).rows;
    if (!rows.length) continue;
    const times = rows.map((r) => new Date(r.t).getTime());
    const stored = ds.state ?? undefined;
    const stepMs = stored?.stepMs ?? stepOf(times.slice(0, 50));
    const detector = new StreamDetector({ stepMs, range: rangeOf(ds.name, ds.definition, ds.unit?.symbol) }, stored);
    const ids: string[] = [];
    const at: Date[] = [];
    const qc: string[] = [];
    let last: { at: string; kind: string; score: number; observation: number } | undefined;
    rows.forEach((r, i) => {
      const { flags } = detector.push(times[i]!, r.v === null ? null : Number(r.v));
      if (!flags.length) return;
      const f = strongest(flags);
      ids.push(r.id);
      at.push(r.t);
      qc.push(JSON.stringify(f));
      last = { at: new Date(times[i]!).toISOString(), kind: f.kind, score: f.score, observation: Number(r.id) };
    });
    const state: Stored = { ...detector.state, stepMs };
    const done = await db.transaction().execute(async (trx) => {
      // Another run (another instance's worker) may have checked these already: then this one stores nothing.
      const now = (await sql<{ w: Date }>`select watermark as w from sta_qc_state where datastream_id = ${ds.id} for update`.execute(trx)).rows[0];
      if ((now ? new Date(now.w).getTime() : null) !== (ds.watermark ? new Date(ds.watermark).getTime() : null)) return false;
      if (ids.length)
        await sql`
          update sta_observation o set result_quality = case
              when o.result_quality is null then jsonb_build_object('qc', q.qc)
              when jsonb_typeof(o.result_quality) = 'object' then o.result_quality || jsonb_build_object('qc', q.qc)
              else jsonb_build_object('provider', o.result_quality, 'qc', q.qc) end
            from unnest(${ids}::bigint[], ${at}::timestamptz[], ${qc}::jsonb[]) as q(id, t, qc)
           where o.datastream_id = ${ds.id} and o.id = q.id and o.phenomenon_time_start = q.t`.execute(trx);
      await sql`
        insert into sta_qc_state (datastream_id, watermark, state, checked, flagged, last_flag, updated_at)
        values (${ds.id}, ${rows[rows.length - 1]!.t}, ${JSON.stringify(state)}::jsonb, ${rows.length}, ${ids.length}, ${last ? JSON.stringify(last) : null}::jsonb, now())
        on conflict (datastream_id) do update set watermark = excluded.watermark, state = excluded.state,
          checked = sta_qc_state.checked + excluded.checked, flagged = sta_qc_state.flagged + excluded.flagged,
          last_flag = coalesce(excluded.last_flag, sta_qc_state.last_flag), updated_at = now()`.execute(trx);
      return true;
    });
    if (!done) continue;
    checked += rows.length;
    flagged += ids.length;
  }
  return { datastreams: streams.length, checked, flagged };
}
