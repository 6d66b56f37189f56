import { sql } from 'kysely';
import type { Db } from '../../platform/db/index.js';
import { ident } from './ingest/names.js';

/** Rows that share a value of the unique key. */
export class DuplicateKey extends Error {
  constructor(readonly key: string[]) {
    super(`Khoá chính (${key.join(', ')}) bị trùng giá trị / Duplicate values for the primary key (${key.join(', ')})`);
  }
}

const indexName = (table: string) => ident(`${table.replace(/^datastore\."|"$/g, '').replaceAll('""', '"')}_pk`);

/** Makes `key` the table's unique key (a unique index, replacing one set before); DuplicateKey when rows already clash. */
export async function addPrimaryKey(db: Db, table: string, key: string[]): Promise<void> {
  await sql.raw(`drop index if exists datastore.${indexName(table)}`).execute(db);
  if (!key.length) return;
  try {
    await sql.raw(`create unique index ${indexName(table)} on ${table} (${key.map(ident).join(', ')})`).execute(db);
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw new DuplicateKey(key);
    throw e;
  }
}
