import { sql } from 'kysely';
import type { Db } from '../../platform/db/index.js';
import type { EditorSchema } from './ingest/editor-schema.js';
import type {
  DatastoreDbPullRow,
  DatastorePullRow,
  DatastoreLoadRow,
  DatastoreSchemaRow,
  DatastoreTableRow,
  DatastoreTables,
  LoadSourceInfo,
  LoadStatus,
  LoadTableInfo,
} from './tables.js';

const q = (db: Db) => db.withTables<DatastoreTables>();

/** Serializes writes of one resource's tables (loads, datastore_create/upsert/delete, scope) for the caller's transaction. */
export const lockResource = (trx: Db, resourceId: string) => sql`select pg_advisory_xact_lock(hashtextextended(${`datastore:${resourceId}`}, 0))`.execute(trx);

export const tableRepo = {
  find: (db: Db, resourceId: string, sheet = 1): Promise<DatastoreTableRow | undefined> =>
    q(db).selectFrom('datastore_table').selectAll().where('resource_id', '=', resourceId).where('sheet', '=', sheet).executeTakeFirst() as Promise<
      DatastoreTableRow | undefined
    >,
  /** Every table of the resource (one per sheet), in sheet order. */
  sheets: (db: Db, resourceId: string): Promise<DatastoreTableRow[]> =>
    q(db).selectFrom('datastore_table').selectAll().where('resource_id', '=', resourceId).orderBy('sheet').execute() as Promise<DatastoreTableRow[]>,
  /** Drops the rows of sheets a new version no longer has. */
  removeSheetsAbove: (db: Db, resourceId: string, count: number) =>
    q(db).deleteFrom('datastore_table').where('resource_id', '=', resourceId).where('sheet', '>', count).returning('sheet').execute(),
  upsert: (db: Db, row: Omit<DatastoreTableRow, 'updated_at'>) =>
    q(db)
      .insertInto('datastore_table')
      .values({ ...row, fields: JSON.stringify(row.fields) as never })
      .onConflict((oc) =>
        oc.columns(['resource_id', 'sheet']).doUpdateSet({
          sheet_name: row.sheet_name,
          primary_key: row.primary_key,
          scope_column: row.scope_column,
          version: row.version,
          table_name: row.table_name,
          fields: JSON.stringify(row.fields) as never,
          row_count: row.row_count,
          updated_at: new Date(),
        }),
      )
      .execute(),
  remove: (db: Db, resourceId: string) => q(db).deleteFrom('datastore_table').where('resource_id', '=', resourceId).execute(),
  /** Rows written or deleted through the API since the load. */
  addRows: (db: Db, resourceId: string, n: number) =>
    q(db)
      .updateTable('datastore_table')
      .set((eb) => ({ row_count: eb('row_count', '+', n), updated_at: new Date() }))
      .where('resource_id', '=', resourceId)
      .where('sheet', '=', 1)
      .execute(),
  nextVersion: async (db: Db, resourceId: string): Promise<number> => {
    const r = await q(db)
      .selectFrom('datastore_version')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('resource_id', '=', resourceId)
      .executeTakeFirst();
    return Number(r?.v ?? 0) + 1;
  },
  addVersion: (db: Db, v: { resource_id: string; version: number; table_name: string; tables: string[]; row_count: number; provenance: unknown }) =>
    q(db)
      .insertInto('datastore_version')
      .values({ ...v, provenance: JSON.stringify(v.provenance), dropped_at: null })
      .execute(),
  /** Versions still stored, newest first. */
  liveVersions: (db: Db, resourceId: string) =>
    q(db)
      .selectFrom('datastore_version')
      .select(['version', 'table_name', 'tables', 'row_count', 'provenance', 'created_at'])
      .where('resource_id', '=', resourceId)
      .where('dropped_at', 'is', null)
      .orderBy('version', 'desc')
      .execute(),
  markDropped: (db: Db, resourceId: string, version: number) =>
    q(db).updateTable('datastore_version').set({ dropped_at: new Date() }).where('resource_id', '=', resourceId).where('version', '=', version).execute(),
};

export const loadRepo = {
  insert: (db: Db, row: { resource_id: string; source: LoadSourceInfo; created_by: string | null }) =>
    q(db)
      .insertInto('datastore_load')
      .values({
        resource_id: row.resource_id,
        source: JSON.stringify(row.source) as never,
        created_by: row.created_by,
        job_id: null,
        version: null,
        row_count: null,
        report: null,
        error: null,
        tables: null,
        started_at: null,
        finished_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  setJob: (db: Db, id: string, jobId: string) => q(db).updateTable('datastore_load').set({ job_id: jobId }).where('id', '=', id).execute(),
  find: (db: Db, id: string): Promise<DatastoreLoadRow | undefined> =>
    q(db).selectFrom('datastore_load').selectAll().where('id', '=', id).executeTakeFirst() as Promise<DatastoreLoadRow | undefined>,
  forResource: (db: Db, resourceId: string, limit = 20): Promise<DatastoreLoadRow[]> =>
    q(db).selectFrom('datastore_load').selectAll().where('resource_id', '=', resourceId).orderBy('created_at', 'desc').limit(limit).execute() as Promise<
      DatastoreLoadRow[]
    >,
  finish: (
    db: Db,
    id: string,
    patch: { status: LoadStatus; version?: number | null; row_count?: number | null; report?: unknown; error?: string | null; tables?: LoadTableInfo[] },
  ) =>
    q(db)
      .updateTable('datastore_load')
      .set({
        status: patch.status,
        ...(patch.version !== undefined ? { version: patch.version } : {}),
        ...(patch.row_count !== undefined ? { row_count: patch.row_count } : {}),
        ...(patch.report !== undefined ? { report: JSON.stringify(patch.report) as never } : {}),
        ...(patch.error !== undefined ? { error: patch.error } : {}),
        ...(patch.tables !== undefined ? { tables: JSON.stringify(patch.tables) as never } : {}),
        finished_at: new Date(),
      })
      .where('id', '=', id)
      .execute(),
  markInterrupted: (db: Db, resourceId: string, except: string) =>
    q(db)
      .updateTable('datastore_load')
      .set({ status: 'failed', error: 'interrupted (the server stopped during the load)', finished_at: new Date() })
      .where('resource_id', '=', resourceId)
      .where('status', '=', 'running')
      .where('id', '<>', except)
      .execute(),
  start: (db: Db, id: string) => q(db).updateTable('datastore_load').set({ status: 'running', started_at: new Date() }).where('id', '=', id).execute(),
};

/** The editor's schema per table. */
export const schemaRepo = {
  forResource: (db: Db, resourceId: string): Promise<DatastoreSchemaRow[]> =>
    q(db).selectFrom('datastore_schema').selectAll().where('resource_id', '=', resourceId).orderBy('sheet').execute(),
  save: (db: Db, row: { resource_id: string; sheet: number; schema: EditorSchema; updated_by: string | null }) =>
    q(db)
      .insertInto('datastore_schema')
      .values({ ...row, schema: JSON.stringify(row.schema) as never })
      .onConflict((oc) =>
        oc.columns(['resource_id', 'sheet']).doUpdateSet({ schema: JSON.stringify(row.schema) as never, updated_by: row.updated_by, updated_at: new Date() }),
      )
      .execute(),
  remove: (db: Db, resourceId: string, sheet: number) =>
    q(db).deleteFrom('datastore_schema').where('resource_id', '=', resourceId).where('sheet', '=', sheet).execute(),
};

/** Answers to pushes, by idempotency key. */
export const pushRepo = {
  find: (db: Db, resourceId: string, key: string) =>
    q(db).selectFrom('datastore_push').select(['request_sha256', 'response']).where('resource_id', '=', resourceId).where('key', '=', key).executeTakeFirst(),
  insert: (db: Db, row: { resource_id: string; key: string; request_sha256: string; response: unknown }) =>
    q(db)
      .insertInto('datastore_push')
      .values({ ...row, response: JSON.stringify(row.response) })
      .execute(),
};

/** The scheduled pulls (URL or database) due now, their next time moved on by their interval; one instance takes each (FOR UPDATE SKIP LOCKED). */
async function takeDue(db: Db, table: 'datastore_pull' | 'datastore_db_pull', limit: number): Promise<string[]> {
  const t = sql.table(table);
  const r = await sql<{ resource_id: string }>`
    update ${t} set next_at = now() + make_interval(mins => every_minutes)
    where resource_id in (
      select resource_id from ${t} where every_minutes is not null and next_at <= now() order by next_at limit ${limit} for update skip locked
    ) returning resource_id`.execute(db);
  return r.rows.map((x) => x.resource_id);
}

/** Pull state of linked resources. */
export const pullRepo = {
  find: (db: Db, resourceId: string): Promise<DatastorePullRow | undefined> =>
    q(db).selectFrom('datastore_pull').selectAll().where('resource_id', '=', resourceId).executeTakeFirst(),
  save: (db: Db, row: Partial<DatastorePullRow> & { resource_id: string }) =>
    q(db)
      .insertInto('datastore_pull')
      .values(row as DatastorePullRow)
      .onConflict((oc) => oc.column('resource_id').doUpdateSet(row as DatastorePullRow))
      .execute(),
  /** Pulls due now; their next time moves on by their interval (one instance takes each). */
  takeDue: (db: Db, limit = 100) => takeDue(db, 'datastore_pull', limit),
};

/** What an editor sets of a database pull (the rest is the pulls' own record). */
export type DbPullConfig = Pick<
  DatastoreDbPullRow,
  | 'resource_id'
  | 'engine'
  | 'host'
  | 'port'
  | 'database'
  | 'username'
  | 'password_sealed'
  | 'query'
  | 'incremental_column'
  | 'every_minutes'
  | 'next_at'
  | 'updated_by'
>;

/** Pulls from sector databases. */
export const dbPullRepo = {
  find: (db: Db, resourceId: string): Promise<DatastoreDbPullRow | undefined> =>
    q(db).selectFrom('datastore_db_pull').selectAll().where('resource_id', '=', resourceId).executeTakeFirst(),
  /** Sets where a resource is pulled from; the last pull's outcome stays, its hash is cleared (the new source's rows load). */
  save: (db: Db, row: DbPullConfig) =>
    q(db)
      .insertInto('datastore_db_pull')
      .values(row)
      .onConflict((oc) => oc.column('resource_id').doUpdateSet({ ...row, sha256: null, updated_at: new Date() }))
      .execute(),
  patch: (db: Db, resourceId: string, patch: Partial<Omit<DatastoreDbPullRow, 'resource_id' | 'updated_at'>>) =>
    q(db).updateTable('datastore_db_pull').set(patch).where('resource_id', '=', resourceId).execute(),
  remove: (db: Db, resourceId: string) => q(db).deleteFrom('datastore_db_pull').where('resource_id', '=', resourceId).executeTakeFirst(),
  /** Pulls due now; their next time moves on by their interval (one instance takes each). */
  takeDue: (db: Db, limit = 100) => takeDue(db, 'datastore_db_pull', limit),
};
