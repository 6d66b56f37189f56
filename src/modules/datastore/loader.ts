import { sql } from 'kysely';
import { systemPrincipal } from '../../platform/auth/index.js';
import { withClient, type Db } from '../../platform/db/index.js';
import type { FileStore } from '../../platform/storage/index.js';
import { unitResolver } from '../admin-units/index.js';
import { getResource, setDatastoreActive } from '../catalog/index.js';
import { findOrganization } from '../organizations/index.js';
import { EncodingError } from './ingest/decode.js';
import { JsonSourceError } from './ingest/json-rows.js';
import { fileKind, formatOf, readTables, type FileKind, type FileTables } from './ingest/read-file.js';
import { ReportBuilder, type ValidationReport } from './ingest/report.js';
import { SpreadsheetError } from './ingest/workbook.js';
import { writeTable, type LoadProgress, type TableOutcome } from './ingest/write-table.js';
import { createColumnIndex, indexedColumns } from './indexes.js';
import { addPrimaryKey, DuplicateKey } from './keys.js';
import { loadRepo, lockResource, schemaRepo, tableRepo } from './repository.js';
import type { LoadTableInfo } from './tables.js';
import type { EditorSchema } from './ingest/editor-schema.js';
import type { FieldType } from './ingest/infer.js';
import { fieldIds } from './ingest/names.js';
import { currentView, versionTable } from './table-key.js';
import { homeProvinces, UnitCoder, unitNotes } from './unit-codes.js';

export { currentView } from './table-key.js';

/** Versions kept per resource (the current one and the ones before it), unless configured otherwise. */
export const KEEP_VERSIONS = 3;

export function loadableFormat(format: string | null | undefined, filename: string | null | undefined): boolean {
  return fileKind(format, filename) !== null;
}

class Invalid extends Error {
  constructor(
    readonly report: ValidationReport,
    readonly rows: number,
    readonly tables?: LoadTableInfo[],
    /** A dry run's end (valid or not): the transaction is rolled back, nothing was written. */
    readonly checked = false,
  ) {
    super('invalid');
  }
}

export interface LoadResult {
  status: 'loaded' | 'invalid' | 'checked';
  version?: number;
  rows: number;
  errors: number;
  tables?: number;
}

/** A file no reader can open (a damaged workbook, JSON that is not a table) as a report with one source error. */
function sourceReport(name: string, message: string): ValidationReport {
  const b = new ReportBuilder();
  b.add({ type: 'source-error', message });
  return b.build({ name, place: name, rows: 0, fields: 0, bytes: 0 });
}

/** Reports of several tables (a workbook's sheets) as one: a task per table. */
function mergeReports(reports: ValidationReport[]): ValidationReport {
  if (reports.length === 1) return reports[0]!;
  const tasks = reports.flatMap((r) => r.tasks);
  const errors = tasks.reduce((n, t) => n + t.stats.errors, 0);
  return {
    valid: errors === 0,
    stats: { errors, tasks: tasks.length, warnings: tasks.reduce((n, t) => n + t.warnings.length, 0) },
    warnings: [],
    errors: [],
    tasks,
  };
}

/** Files from which reading and checking moves to a worker thread. */
const IN_WORKER_BYTES = 16 << 20;

/** Rows above which a new version's statistics come from a smaller sample. */
const LARGE_TABLE = 100_000;

/**
 * Runs one queued load: the file's tables (one, or one per sheet of a workbook) are parsed, typed
 * and written into a new table version inside one transaction, which also swaps the resource's
 * views to it, records the version with its provenance, marks `datastore_active` and drops
 * versions beyond `keep`. A file that does not validate, a crash or a `kill -9` leave the previous
 * version as it was (the transaction never commits); the report of an invalid file is kept on the
 * load.
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
    const { full } = await getResource(db, systemPrincipal(), rid);
    const owner = await findOrganization(db, full.dataset.owner_org);
    const homes = await homeProvinces(db, owner?.admin_unit_code ?? null);
    const resolve = await unitResolver(db);
    const src = load.source;
    const result = await withClient(db, (k, client) =>
      k.transaction().execute(async (trx) => {
        // One load per resource at a time; a second waits for the first to commit or fail.
        await lockResource(trx, rid);
        // Holding the lock, no other load of this resource runs: one still marked running was interrupted (a killed process).
        await loadRepo.markInterrupted(trx, rid, loadId);
        const version = await tableRepo.nextVersion(trx, rid);
        const size = (await files.stat(src.storageKey))?.size ?? src.size ?? 0;
        // A large UTF-8 file on this machine's disk is read and checked in a worker thread (decode-worker.ts; a small one
        // would wait longer for the thread to start than for its reading); other reads in 4 MB chunks.
        const source = {
          open: () => files.open(src.storageKey, undefined, 4 << 20),
          path: size >= IN_WORKER_BYTES ? files.localPath(src.storageKey) : null,
          name: src.filename,
          size,
          ...(src.sha256 ? { sha256: src.sha256 } : {}),
        };
        const kind = fileKind(src.format, src.filename);
        if (!kind) throw new Invalid(sourceReport(src.filename, `Định dạng không đọc được / Not a table format: ${src.format ?? src.filename}`), 0);
        let file: FileTables;
        try {
          file = await readTables(source, kind, formatOf(src.format, src.filename), {
            ...(src.layout ? { layout: src.layout } : {}),
            delimiter: src.delimiter,
            encoding: src.encoding,
          });
        } catch (e) {
          if (e instanceof SpreadsheetError || e instanceof JsonSourceError) throw new Invalid(sourceReport(src.filename, e.message), 0);
          throw e;
        }
        if (!file.tables.length) throw new Invalid(sourceReport(src.filename, 'Không tìm thấy bảng dữ liệu trong tệp / No table found in the file'), 0);
        const written: { sheet: number; sheetName: string | null; table: string; outcome: TableOutcome }[] = [];
        let done = 0;
        const unitSteps: string[] = [];
        const schemas = new Map((await schemaRepo.forResource(trx, rid)).map((r) => [r.sheet, r.schema]));
        if (src.types) schemas.set(1, withDeclaredTypes(schemas.get(1), src.types));
        for (const t of file.tables) {
          const table = versionTable(rid, version, t.sheet);
          let outcome: TableOutcome;
          const coder = new UnitCoder(homes, resolve);
          try {
            outcome = await writeTable(client, table, t.rows, {
              derive: coder.derive,
              schema: schemas.get(t.sheet),
              onProgress: opts.onProgress && ((p) => opts.onProgress!({ ...p, rows: done + p.rows })),
              signal: opts.signal,
            });
          } catch (e) {
            if (e instanceof JsonSourceError) throw new Invalid(sourceReport(src.filename, e.message), 0);
            if (e instanceof EncodingError)
              throw new Invalid(
                sourceReport(
                  src.filename,
                  `Tệp không phải ${src.encoding} (byte ${e.byteOffset}) / The file is not ${src.encoding} text (byte ${e.byteOffset})`,
                ),
                0,
              );
            throw e;
          }
          done += outcome.rows;
          if (outcome.valid) {
            const coded = await coder.finish(trx, table, outcome.fields, outcome.derived);
            outcome.fields = coded.fields;
            const task = outcome.report.tasks[0]!;
            task.warnings.push(...unitNotes(coded.reports));
            for (const r of coded.reports) unitSteps.push(`column ${r.field}: administrative-unit names coded into ${r.codeField} (${r.resolved} resolved)`);
            outcome.report.stats.warnings = task.warnings.length;
          }
          written.push({ sheet: t.sheet, sheetName: t.sheetName ?? null, table, outcome });
        }
        const report = mergeReports(written.map((w) => w.outcome.report));
        const rows = written.reduce((n, w) => n + w.outcome.rows, 0);
        const found: LoadTableInfo[] = written.map((w) => ({
          sheet: w.sheet,
          sheet_name: w.sheetName,
          rows: w.outcome.rows,
          fields: w.outcome.fields,
          derived: w.outcome.derived,
        }));
        if (!report.valid || src.dryRun) throw new Invalid(report, rows, found, !!src.dryRun);
        for (const w of written) {
          // The columns indexed on the version this one replaces are indexed here too, before it is visible.
          const previous = await tableRepo.find(trx, rid, w.sheet);
          if (previous)
            for (const column of await indexedColumns(trx, previous.table_name).catch(() => []))
              if (w.outcome.fields.some((f) => f.id === column)) await createColumnIndex(trx, w.table, column, { concurrently: false });
          // A unique key set through datastore_create holds for the new version too (when it still has those columns).
          const key = previous?.primary_key.length && previous.primary_key.every((k) => w.outcome.fields.some((f) => f.id === k)) ? previous.primary_key : [];
          // A table shared by unit stays so: a file without the unit column is refused rather than shown to everyone.
          const scope = previous?.scope_column ?? null;
          if (scope && !w.outcome.fields.some((f) => f.id === scope))
            throw new Invalid(
              sourceReport(
                src.filename,
                `Bảng được chia sẻ theo đơn vị hành chính ở cột “${scope}”, tệp mới không có cột này / The table is shared by administrative unit on column "${scope}", which the new file lacks`,
              ),
              rows,
            );
          if (key.length)
            await addPrimaryKey(trx, w.table, key).catch((e: unknown) => {
              throw e instanceof DuplicateKey ? new Invalid(sourceReport(src.filename, e.message), rows) : e;
            });
          // Statistics before the version is visible (an estimated total or a plan right after the swap is otherwise a guess):
          // from a smaller sample for a large table, a third of the time of the default one; autovacuum analyzes it again later.
          const large = w.outcome.rows > LARGE_TABLE;
          if (large) await sql.raw(`set local default_statistics_target = 30`).execute(trx);
          await sql.raw(`analyze ${w.table}`).execute(trx);
          // The smaller sample is this table's only (a workbook's next sheet may be small).
          if (large) await sql.raw(`reset default_statistics_target`).execute(trx);
          const view = currentView(rid, w.sheet);
          await sql.raw(`drop view if exists ${view}; create view ${view} as select * from ${w.table}`).execute(trx);
          await tableRepo.upsert(trx, {
            resource_id: rid,
            sheet: w.sheet,
            sheet_name: w.sheetName,
            version,
            table_name: w.table,
            fields: w.outcome.fields,
            row_count: w.outcome.rows,
            primary_key: key,
            scope_column: scope,
          });
        }
        for (const gone of await tableRepo.removeSheetsAbove(trx, rid, written.length))
          await sql.raw(`drop view if exists ${currentView(rid, gone.sheet)}`).execute(trx);
        const meta = file.meta();
        await tableRepo.addVersion(trx, {
          resource_id: rid,
          version,
          table_name: written[0]!.table,
          tables: written.map((w) => w.table),
          row_count: rows,
          provenance: {
            loadId,
            source: src,
            ...meta,
            passes: Math.max(...written.map((w) => w.outcome.passes)),
            steps: [
              ...provenanceSteps(
                file.kind,
                meta,
                written.map((w) => w.outcome),
              ),
              ...written
                .filter((w) => schemas.has(w.sheet))
                .map((w) => `table ${w.sheet}: the editor's schema applied (names, types, constraints, missing values)`),
            ],
            at: new Date().toISOString(),
          },
        });
        for (const old of (await tableRepo.liveVersions(trx, rid)).slice(opts.keep ?? KEEP_VERSIONS)) {
          for (const t of new Set([old.table_name, ...old.tables])) await sql.raw(`drop table if exists ${t}`).execute(trx);
          await tableRepo.markDropped(trx, rid, old.version);
        }
        await setDatastoreActive(trx, rid, true);
        await loadRepo.finish(trx, loadId, { status: 'loaded', version, row_count: rows, report, error: null, tables: found });
        return { status: 'loaded' as const, version, rows, errors: 0, tables: written.length };
      }),
    );
    return result;
  } catch (e) {
    if (e instanceof Invalid) {
      const status = e.checked && e.report.valid ? 'checked' : 'invalid';
      await loadRepo.finish(db, loadId, { status, row_count: e.rows, report: e.report, error: null, ...(e.tables ? { tables: e.tables } : {}) });
      return { status, rows: e.rows, errors: e.report.stats.errors };
    }
    await loadRepo.finish(db, loadId, { status: 'failed', error: e instanceof Error ? e.message : String(e) });
    throw e;
  }
}

/** The editor's schema, with the types a source declares pinned for the columns it does not mention. */
function withDeclaredTypes(editor: EditorSchema | undefined, types: Record<string, FieldType>): EditorSchema {
  const named = new Set((editor?.fields ?? []).flatMap((f) => [f.name, f.title]));
  const declared = Object.entries(types)
    // A name the loader changes ("_x" → "x") is left to inference rather than reported as unmatched.
    .filter(([name]) => !named.has(name) && fieldIds([name])[0] === name)
    .map(([name, type]) => ({ name, type }));
  return { ...editor, fields: [...(editor?.fields ?? []), ...declared] };
}

function provenanceSteps(kind: FileKind, meta: ReturnType<FileTables['meta']>, outcomes: TableOutcome[]): string[] {
  const steps: string[] = [];
  if (kind === 'delimited') steps.push(`decoded ${meta.encoding} to Unicode NFC`, `parsed with delimiter ${JSON.stringify(meta.delimiter)}`);
  if (kind === 'spreadsheet') steps.push(`read sheets ${JSON.stringify(meta.sheets)}; title blocks, totals, sections and footers left out (see the report)`);
  if (kind === 'json') steps.push(`read JSON (${meta.shape})`);
  steps.push('types inferred over all values');
  for (const o of outcomes)
    for (const f of o.fields) {
      if (f.converted) steps.push(`column ${f.id}: ${f.converted.toUpperCase()} text converted to Unicode`);
      if ((f.type === 'number' || f.type === 'integer') && f.style === 'vn') steps.push(`column ${f.id}: numbers read as 1.234,5`);
      if (f.type === 'date') steps.push(`column ${f.id}: dates read day first`);
    }
  return steps;
}

/** Removes a resource's tables and view (the resource was deleted), inside the caller's transaction. */
export async function dropResourceData(trx: Db, resourceId: string): Promise<void> {
  for (const t of await tableRepo.sheets(trx, resourceId)) await sql.raw(`drop view if exists ${currentView(resourceId, t.sheet)}`).execute(trx);
  await sql.raw(`drop view if exists ${currentView(resourceId)}`).execute(trx);
  for (const v of await tableRepo.liveVersions(trx, resourceId)) {
    for (const t of new Set([v.table_name, ...v.tables])) await sql.raw(`drop table if exists ${t}`).execute(trx);
    await tableRepo.markDropped(trx, resourceId, v.version);
  }
  await tableRepo.remove(trx, resourceId);
}
