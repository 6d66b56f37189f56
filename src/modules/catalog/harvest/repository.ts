import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.js';
import type { HarvestRunRow, HarvestSourceRow, HarvestTables } from './tables.js';

const q = (db: Db) => db.withTables<HarvestTables>();
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const sourceRepo = {
  list: (db: Db) => q(db).selectFrom('harvest_source').selectAll().orderBy('name').execute() as Promise<HarvestSourceRow[]>,
  find: (db: Db, idOrName: string) =>
    q(db)
      .selectFrom('harvest_source')
      .selectAll()
      .where(UUID_RE.test(idOrName) ? 'id' : 'name', '=', idOrName)
      .executeTakeFirst() as Promise<HarvestSourceRow | undefined>,
  insert: (db: Db, s: Omit<HarvestSourceRow, 'id' | 'active' | 'created_at' | 'updated_at' | 'last_modified_seen'>) =>
    q(db).insertInto('harvest_source').values(s).returningAll().executeTakeFirstOrThrow() as Promise<HarvestSourceRow>,
  update: (db: Db, id: string, patch: Partial<Omit<HarvestSourceRow, 'id' | 'created_at'>>) =>
    q(db)
      .updateTable('harvest_source')
      .set({ ...patch, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow() as Promise<HarvestSourceRow>,
  remove: (db: Db, id: string) => q(db).deleteFrom('harvest_source').where('id', '=', id).execute(),
  /** Active scheduled sources whose last run started before their interval. */
  due: async (db: Db): Promise<HarvestSourceRow[]> => {
    const { rows } = await sql<HarvestSourceRow>`
      select s.* from harvest_source s
      where s.active and s.schedule <> 'manual'
        and not exists (
          select 1 from harvest_run r where r.source_id = s.id
            and (r.status in ('queued', 'running')
              or r.created_at > now() - case s.schedule when 'hourly' then interval '1 hour' when 'daily' then interval '1 day' else interval '7 days' end))`.execute(
      db,
    );
    return rows;
  },
};

export const runRepo = {
  insert: (db: Db, r: { source_id: string; mode: 'full' | 'incremental' }) =>
    q(db).insertInto('harvest_run').values(r).returningAll().executeTakeFirstOrThrow() as Promise<HarvestRunRow>,
  find: (db: Db, id: string) =>
    UUID_RE.test(id)
      ? (q(db).selectFrom('harvest_run').selectAll().where('id', '=', id).executeTakeFirst() as Promise<HarvestRunRow | undefined>)
      : Promise.resolve(undefined),
  forSource: (db: Db, sourceId: string, limit: number) =>
    q(db).selectFrom('harvest_run').selectAll().where('source_id', '=', sourceId).orderBy('created_at', 'desc').limit(limit).execute() as Promise<
      HarvestRunRow[]
    >,
  update: (db: Db, id: string, patch: Partial<Omit<HarvestRunRow, 'id' | 'source_id' | 'created_at'>>) =>
    q(db)
      .updateTable('harvest_run')
      .set({ ...patch, ...(patch.errors !== undefined ? { errors: JSON.stringify(patch.errors) as never } : {}) })
      .where('id', '=', id)
      .execute(),
};

/** Harvested datasets of a source: original id → local id, name and modified time. */
export async function harvestedIndex(db: Db, sourceId: string) {
  const { rows } = await sql<{ id: string; name: string; original: string; modified: Date; state: string }>`
    select id, name, harvest_original_id as original, metadata_modified as modified, state
    from dataset where harvest_source_id = ${sourceId}`.execute(db);
  return new Map(rows.map((r) => [r.original, r]));
}
