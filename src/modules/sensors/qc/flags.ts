import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.js';

/** An observation the quality check flagged. */
export interface FlaggedObservation {
  datastreamId: number;
  datastream: string;
  at: Date;
  result: unknown;
  kind: string;
  score: number;
}

/** A station's flagged observations over a period, newest first (at most `limit`). */
export async function stationFlags(db: Db, thingId: number, since: Date, until: Date, limit = 100): Promise<FlaggedObservation[]> {
  const rows = (
    await sql<{ ds: string; name: string; t: Date; result: unknown; kind: string; score: number }>`
      select o.datastream_id as ds, d.name, o.phenomenon_time_start as t, o.result, o.result_quality->'qc'->>'kind' as kind,
             (o.result_quality->'qc'->>'score')::float8 as score
        from sta_observation o join sta_datastream d on d.id = o.datastream_id
       where d.thing_id = ${thingId} and o.phenomenon_time_start >= ${since} and o.phenomenon_time_start < ${until}
         and jsonb_typeof(o.result_quality) = 'object' and o.result_quality ? 'qc'
       order by o.phenomenon_time_start desc limit ${limit}`.execute(db)
  ).rows;
  return rows.map((r) => ({ datastreamId: Number(r.ds), datastream: r.name, at: r.t, result: r.result, kind: r.kind, score: Number(r.score) }));
}
