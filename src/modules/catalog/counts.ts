import { sql } from 'kysely';
import type { Db } from '../../platform/db/index.js';

/** What the catalog holds, for other modules' figures (the AI plan's indicators): active public datasets, and shared databases. */
export async function catalogCounts(db: Db): Promise<{ openDatasets: number; sharedDatabases: number }> {
  const r = await sql<{ open: number; shared: number }>`
    select count(*) filter (where access_level = 'public')::int as open, count(*) filter (where shared_db is not null)::int as shared
    from dataset where state = 'active' and type = 'dataset'`.execute(db);
  return { openDatasets: r.rows[0]?.open ?? 0, sharedDatabases: r.rows[0]?.shared ?? 0 };
}
