import { sql } from 'kysely';
import { SYSTEM_ACTOR } from '../../platform/audit/index.js';
import { systemPrincipal } from '../../platform/auth/index.js';
import type { Db } from '../../platform/db/index.js';
import { ident } from './ingest/names.js';
import { tableRepo } from './repository.js';
import { currentView } from './table-key.js';
import { MAX_RECORDS, upsertRecords } from './write.js';

/**
 * The rule for an incremental column (a sector database's or a mirrored table's): a column name
 * of the table, not one of the datastore's own (`_id`), at most 63 characters, no quotes.
 */
export const isIncrementalColumn = (col: string): boolean => col.length > 0 && col.length <= 63 && !col.startsWith('_') && !col.includes('"');

/**
 * Where an incremental pull starts: the table's own largest value of the column (what it holds is
 * what the next pull continues from), or undefined when there is no table yet, the column is not
 * one of its fields, or it holds no value (a full pull then).
 */
export async function incrementFrom(db: Db, resourceId: string, col: string): Promise<{ after: unknown; text: string; primaryKey: string[] } | undefined> {
  const table = await tableRepo.find(db, resourceId);
  if (!table?.fields.some((f) => f.id === col)) return undefined;
  // Also as PostgreSQL writes it (a remote source is asked with that text: no time zone, precision or size lost in JavaScript).
  const max = await sql<{
    m: unknown;
    t: string | null;
  }>`select max(${sql.raw(ident(col))}) as m, max(${sql.raw(ident(col))})::text as t from ${sql.raw(currentView(resourceId))}`.execute(db);
  const after = max.rows[0]?.m;
  return after === null || after === undefined ? undefined : { after, text: max.rows[0]!.t!, primaryKey: table.primary_key };
}

/**
 * Adds an increment's rows to the table in the caller's transaction, in batches of the push API's
 * size: upserted by the table's primary key when it has one (a changed row replaces its old
 * version), otherwise appended. Returns how many rows came.
 */
export async function addIncrement(
  trx: Db,
  resourceId: string,
  primaryKey: string[],
  batches: AsyncIterable<Record<string, unknown>[]> | Iterable<Record<string, unknown>[]>,
): Promise<number> {
  const size = Math.min(MAX_RECORDS, 1000);
  const method = primaryKey.length ? 'upsert' : 'insert';
  let n = 0;
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    if (!batch.length) return;
    await upsertRecords(trx, systemPrincipal(), SYSTEM_ACTOR, { resourceId, records: batch, method });
    n += batch.length;
    batch = [];
  };
  for await (const rows of batches)
    for (const r of rows) {
      batch.push(r);
      if (batch.length >= size) await flush();
    }
  await flush();
  return n;
}
