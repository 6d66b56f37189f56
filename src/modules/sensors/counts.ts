import { sql } from 'kysely';
import type { Db } from '../../platform/db/index.js';

/** Stations (Things) with an observation in the `hours` before `now`, by their Datastreams' phenomenon-time extents. */
export async function stationsReporting(db: Db, hours = 24, now = new Date()): Promise<number> {
  const r = await sql<{ n: number }>`
    select count(distinct thing_id)::int as n from sta_datastream
    where phenomenon_time_end >= ${now}::timestamptz - make_interval(hours => ${hours}::int)`.execute(db);
  return r.rows[0]?.n ?? 0;
}
