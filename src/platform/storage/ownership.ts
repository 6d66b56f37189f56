import { sql } from 'kysely';
import type { Db } from '../db/index.js';

/** Marks a stored file as used by `owner` (e.g. `resource:<id>`), in the caller's transaction. */
export async function claimFile(trx: Db, key: string, owner: string): Promise<void> {
  await sql`update stored_file set owner = ${owner}, released_at = null where key = ${key}`.execute(trx);
}

/** Marks files as no longer used, in the caller's transaction; the sweep job removes them once that commits. */
export async function releaseFiles(trx: Db, keys: (string | null | undefined)[]): Promise<void> {
  const list = keys.filter((k): k is string => !!k);
  if (list.length === 0) return;
  await sql`update stored_file set released_at = now() where key = any(${list}::text[]) and released_at is null`.execute(trx);
}
