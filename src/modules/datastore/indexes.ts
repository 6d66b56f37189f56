import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/index.js';
import { defineJob, type JobQueue } from '../../platform/jobs/index.js';
import { ident } from './ingest/names.js';
import type { DatastoreTableRow } from './tables.js';

/** Builds one column index of a table version, without blocking its readers. */
export const INDEX_JOB = defineJob<{ table: string; column: string }>('datastore.index');

/** Tables smaller than this are scanned; larger ones get an index on each column people filter or sort by. */
export const AUTO_INDEX_ROWS = 50_000;

const indexName = (table: string, column: string) => `ds_${crypto.createHash('md5').update(`${table}|${column}`).digest('hex').slice(0, 24)}`;

export async function createColumnIndex(db: Db, table: string, column: string, opts: { concurrently: boolean }): Promise<void> {
  const exists = await sql`select 1 from pg_class where relname = ${indexName(table, column)}`.execute(db);
  if (exists.rows.length) return;
  await sql
    .raw(`create index ${opts.concurrently ? 'concurrently ' : ''}if not exists ${ident(indexName(table, column))} on ${table} (${ident(column)})`)
    .execute(db);
}

/**
 * The single-column indexes of a table (besides its primary key), to carry over to its next version.
 * One still being built concurrently (not yet valid) counts: it says the column is queried, and a
 * reload that starts while it builds must not drop it.
 */
export async function indexedColumns(db: Db, table: string): Promise<string[]> {
  const r = await sql<{ column: string }>`
    select a.attname as column from pg_index i
      join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
     where i.indrelid = ${table}::regclass and not i.indisprimary and i.indnatts = 1`.execute(db);
  return r.rows.map((x) => x.column);
}

/**
 * Indexes by use: the first filter or sort on a column of a large table queues an index build
 * (CREATE INDEX CONCURRENTLY in a job), and each new version of the table inherits the indexes of
 * the one it replaces, so loads stay fast and the columns people query become fast. One per app.
 */
export class IndexAdvisor {
  private readonly asked = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly jobs: JobQueue,
  ) {}

  async hint(table: DatastoreTableRow, columns: string[]): Promise<void> {
    if (table.row_count < AUTO_INDEX_ROWS) return;
    for (const column of new Set(columns)) {
      if (column === '_id') continue;
      const key = `${table.table_name}|${column}`;
      if (this.asked.has(key)) continue;
      this.asked.add(key);
      await this.jobs.enqueue(this.db, INDEX_JOB, { table: table.table_name, column }, null);
    }
  }
}
