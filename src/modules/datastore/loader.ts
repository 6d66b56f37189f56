import { sql } from 'kysely';
import { systemPrincipal } from '../../platform/auth/index.js';
import { withClient, type Db } from '../../platform/db/index.js';
import type { FileStore } from '../../platform/storage/index.js';
import { getResource, setDatastoreActive } from '../catalog/index.js';
import { loadDelimited, type LoadOutcome, type LoadProgress } from './ingest/load.js';
import { ident } from './ingest/names.js';
import { createColumnIndex, indexedColumns } from './indexes.js';
import { loadRepo, tableRepo } from './repository.js';

/** Versions kept per resource (the current one and the ones before it), unless configured otherwise. */
export const KEEP_VERSIONS = 3;

/** The view on a resource's current version (the name datastore_search_sql uses). */
export const currentView = (resourceId: string) => `datastore.${ident(resourceId)}`;
const versionTable = (resourceId: string, version: number) => `datastore.${ident(`${resourceId}_v${version}`)}`;

/** Formats the loader reads as delimited text. */
export const DELIMITED = new Set(['CSV', 'TSV', 'TXT', 'TAB']);

export function loadableFormat(format: string | null | undefined, filename: string | null | undefined): boolean {
  const ext = (filename ?? '').split('.').pop()?.toUpperCase() ?? '';
  return DELIMITED.has((format ?? '').toUpperCase()) || DELIMITED.has(ext);
}

class Invalid extends Error {
  constructor(readonly outcome: LoadOutcome) {
    super('invalid');
  }
}

export interface LoadResult {
  status: 'loaded' | 'invalid';
  version?: number;
  rows: number;
  errors: number;
}

/**
 * Runs one queued load: the file is parsed, typed and written into a new table version inside one
 * transaction, which also swaps the resource's view to it, records the version with its
 * provenance, marks `datastore_active` and drops versions beyond `keep`. A file that does not
 * validate, a crash or a `kill -9` leave the previous version as it was (the transaction never
 * commits); the report of an invalid file is kept on the load.
 */
export async function runLoad(
  deps: { db: Db; files: FileStore },
  loadId: string,
  opts: { onProgress?: (p: LoadProgress) => void; keep?: number; signal?: AbortSignal } = {},
): Promise<LoadResult> {
  const { db, files } = deps;
  const load = await loadRepo.find(db, loadId);
  if (!load) throw new Error(`datastore load ${loadId} not found`);
  const rid = load.resource_id;
  await loadRepo.start(db, loadId);
  try {
    await getResource(db, systemPrincipal(), rid);
    const src = load.source;
    const result = await withClient(db, (k, client) =>
      k.transaction().execute(async (trx) => {
        // One load per resource at a time; a second waits for the first to commit or fail.
        await sql`select pg_advisory_xact_lock(hashtextextended(${`datastore:${rid}`}, 0))`.execute(trx);
        // Holding the lock, no other load of this resource runs: one still marked running was interrupted (a killed process).
        await loadRepo.markInterrupted(trx, rid, loadId);
        const version = await tableRepo.nextVersion(trx, rid);
        const table = versionTable(rid, version);
        const size = (await files.stat(src.storageKey))?.size ?? src.size ?? 0;
        const outcome = await loadDelimited(
          client,
          table,
          { open: () => files.open(src.storageKey), name: src.filename, size, ...(src.sha256 ? { sha256: src.sha256 } : {}) },
          { ...(src.format?.toUpperCase() === 'TSV' ? { delimiter: '\t' } : {}), onProgress: opts.onProgress, signal: opts.signal },
        );
        if (!outcome.valid) throw new Invalid(outcome);
        // The columns indexed on the version this one replaces are indexed here too, before it is visible.
        const previous = await tableRepo.find(trx, rid);
        if (previous)
          for (const column of await indexedColumns(trx, previous.table_name).catch(() => []))
            if (outcome.fields.some((f) => f.id === column)) await createColumnIndex(trx, table, column, { concurrently: false });
        await sql.raw(`analyze ${table}`).execute(trx);
        await sql.raw(`drop view if exists ${currentView(rid)}; create view ${currentView(rid)} as select * from ${table}`).execute(trx);
        await tableRepo.upsert(trx, { resource_id: rid, version, table_name: table, fields: outcome.fields, row_count: outcome.rows });
        await tableRepo.addVersion(trx, {
          resource_id: rid,
          version,
          table_name: table,
          row_count: outcome.rows,
          provenance: {
            loadId,
            source: src,
            encoding: outcome.encoding,
            delimiter: outcome.delimiter,
            passes: outcome.passes,
            steps: provenanceSteps(outcome),
            at: new Date().toISOString(),
          },
        });
        for (const old of (await tableRepo.liveVersions(trx, rid)).slice(opts.keep ?? KEEP_VERSIONS)) {
          await sql.raw(`drop table if exists ${old.table_name}`).execute(trx);
          await tableRepo.markDropped(trx, rid, old.version);
        }
        await setDatastoreActive(trx, rid, true);
        await loadRepo.finish(trx, loadId, { status: 'loaded', version, row_count: outcome.rows, report: outcome.report, error: null });
        return { status: 'loaded' as const, version, rows: outcome.rows, errors: 0 };
      }),
    );
    return result;
  } catch (e) {
    if (e instanceof Invalid) {
      const { report, rows } = e.outcome;
      await loadRepo.finish(db, loadId, { status: 'invalid', row_count: rows, report, error: null });
      return { status: 'invalid', rows, errors: report.stats.errors };
    }
    await loadRepo.finish(db, loadId, { status: 'failed', error: e instanceof Error ? e.message : String(e) });
    throw e;
  }
}

function provenanceSteps(o: LoadOutcome): string[] {
  const steps = [`decoded ${o.encoding} to Unicode NFC`, `parsed with delimiter ${JSON.stringify(o.delimiter)}`, 'types inferred over all values'];
  for (const f of o.fields) {
    if (f.converted) steps.push(`column ${f.id}: ${f.converted.toUpperCase()} text converted to Unicode`);
    if ((f.type === 'number' || f.type === 'integer') && f.style === 'vn') steps.push(`column ${f.id}: numbers read as 1.234,5`);
    if (f.type === 'date') steps.push(`column ${f.id}: dates read day first`);
  }
  return steps;
}

/** Removes a resource's tables and view (the resource was deleted), inside the caller's transaction. */
export async function dropResourceData(trx: Db, resourceId: string): Promise<void> {
  await sql.raw(`drop view if exists ${currentView(resourceId)}`).execute(trx);
  for (const v of await tableRepo.liveVersions(trx, resourceId)) {
    await sql.raw(`drop table if exists ${v.table_name}`).execute(trx);
    await tableRepo.markDropped(trx, resourceId, v.version);
  }
  await tableRepo.remove(trx, resourceId);
}
