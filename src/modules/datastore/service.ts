import { recordAudit, type AuditActor } from '../../platform/audit/index.js';
import { requireUser, type Principal } from '../../platform/auth/index.js';
import { inTransaction, type Db } from '../../platform/db/index.js';
import { defineJob, type JobQueue } from '../../platform/jobs/index.js';
import { badRequest, forbidden, notFound } from '../../platform/http/index.js';
import { canEdit, getResource, readableResource, viewerOf, type StoredUpload } from '../catalog/index.js';
import { loadableFormat } from './loader.js';
import { TableQueries } from './query.js';
import { loadRepo, tableRepo } from './repository.js';
import { rowScope, type RowScope } from './scope.js';
import { currentView, parseTableKey } from './table-key.js';
import type { FileEncoding } from './ingest/decode.js';
import type { LayoutOverride } from './ingest/layout.js';
import type { DatastoreLoadRow, DatastoreTableRow, LoadSourceInfo } from './tables.js';

/** A queued load of one resource's file. */
export const LOAD_JOB = defineJob<{ loadId: string }>('datastore.load');

const NO_TABLE = { vi: 'Tài nguyên chưa có dữ liệu trong kho dữ liệu.', en: 'This resource has no datastore table.' };

/** The 404 of a resource without a datastore table. */
export const noTable = () => notFound('datastore_not_found', NO_TABLE, 'resource_id');

/**
 * A resource's current table — `id` is the resource id, or "<resource id>:<sheet>" for a later
 * sheet of a workbook — for a caller who may read its dataset (the catalog's access rule).
 */
export async function readableTable(
  db: Db,
  p: Principal,
  id: string,
): Promise<{ table: DatastoreTableRow; queries: TableQueries; view: string; scope: RowScope | null }> {
  const { resourceId, sheet } = parseTableKey(id);
  // The table's row is read alongside the access check; an unreadable resource fails before it is used.
  const [{ dataset }, table] = await Promise.all([readableResource(db, p, resourceId), tableRepo.find(db, resourceId, sheet)]);
  if (!table) throw noTable();
  return { table, ...(await readerQueries(db, p, dataset.owner_org, table)) };
}

/** Queries on a table's current view, narrowed to the rows the reader may see (row-level sharing). */
async function readerQueries(db: Db, p: Principal, ownerOrg: string, table: DatastoreTableRow) {
  const view = currentView(table.resource_id, table.sheet);
  const scope = await rowScope(db, p, ownerOrg, table);
  return { queries: new TableQueries(view, table.fields, scope), view, scope };
}

/** Queues a load inside the caller's transaction (with the change that asked for it). */
export async function queueLoad(db: Db, jobs: JobQueue, resourceId: string, source: LoadSourceInfo, userId: string | null): Promise<string> {
  return inTransaction(db, async (trx) => {
    const { id } = await loadRepo.insert(trx, { resource_id: resourceId, source, created_by: userId });
    const jobId = await jobs.enqueue(trx, LOAD_JOB, { loadId: id }, userId);
    await loadRepo.setJob(trx, id, jobId);
    return id;
  });
}

export const uploadSource = (u: StoredUpload, format: string | null): LoadSourceInfo => ({
  kind: 'upload',
  storageKey: u.storageKey,
  filename: u.filename,
  sha256: u.sha256,
  size: u.size,
  format,
});

/** The resource, for a signed-in editor of its dataset (403 otherwise; 404 when the caller may not even read it). */
export async function editableResource(db: Db, p: Principal, resourceId: string) {
  requireUser(p);
  const { resource, full } = await getResource(db, p, resourceId);
  const v = await viewerOf(db, p);
  if (!canEdit(v, full.dataset)) throw forbidden('forbidden', { vi: 'Bạn không có quyền sửa dữ liệu này.', en: 'You may not change this data.' });
  // The system principal (command line, seeds) is no row of app_user: nothing to attribute.
  return { resource, userId: p.via ? v.userId : null };
}

/** An editor of the dataset loads the resource's file again (after a failed or interrupted load, say). */
export async function reload(
  db: Db,
  jobs: JobQueue,
  p: Principal,
  actor: AuditActor,
  resourceId: string,
  opts: { layout?: Record<string, LayoutOverride>; encoding?: FileEncoding; delimiter?: string; dryRun?: boolean } = {},
): Promise<DatastoreLoadRow> {
  const { resource, userId } = await editableResource(db, p, resourceId);
  if (resource.url_type !== 'upload' || !resource.storage_key || !loadableFormat(resource.format, resource.url))
    throw badRequest(
      'datastore_not_loadable',
      {
        vi: 'Tài nguyên không phải tệp bảng tải lên (CSV, TSV, XLSX, XLS, ODS, JSON, JSON Lines, GeoJSON).',
        en: 'The resource is not an uploaded table file (CSV, TSV, XLSX, XLS, ODS, JSON, JSON Lines, GeoJSON).',
      },
      'resource_id',
    );
  const storageKey = resource.storage_key;
  const filename = resource.url.split('/').pop() ?? resource.url;
  const id = await inTransaction(db, async (trx) => {
    for (const [sheet, o] of Object.entries(opts.layout ?? {}))
      for (const [key, range] of [
        ['header_rows', o.headerRows],
        ['data_rows', o.dataRows],
      ] as const)
        if (range && range[0] > range[1])
          throw badRequest(
            'datastore_layout',
            { vi: 'Dòng đầu phải không lớn hơn dòng cuối.', en: 'The first row must not come after the last.' },
            `layout.${sheet}.${key}`,
          );
    const source: LoadSourceInfo = {
      kind: 'upload',
      storageKey,
      filename,
      sha256: resource.hash,
      size: resource.size,
      format: resource.format,
      ...(opts.layout ? { layout: opts.layout } : {}),
      ...(opts.encoding ? { encoding: opts.encoding } : {}),
      ...(opts.delimiter ? { delimiter: opts.delimiter } : {}),
      ...(opts.dryRun ? { dryRun: true } : {}),
    };
    const loadId = await queueLoad(trx, jobs, resource.id, source, userId);
    await recordAudit(trx, actor, {
      action: opts.dryRun ? 'datastore.check' : 'datastore.reload',
      entityType: 'resource',
      entityId: resource.id,
      details: { loadId },
    });
    return loadId;
  });
  return (await loadRepo.find(db, id))!;
}

/** The loads of a resource, newest first, for whoever may read it. */
export async function loadsOf(db: Db, p: Principal, resourceId: string): Promise<DatastoreLoadRow[]> {
  await readableResource(db, p, resourceId);
  return loadRepo.forResource(db, resourceId);
}

export interface Preview {
  title: string;
  /** Each table of the resource (one per sheet of a workbook) with its first rows. */
  tables: { table: DatastoreTableRow; rows: Record<string, unknown>[] }[];
  /** The latest load, for editors. */
  latest: DatastoreLoadRow | undefined;
}

/** What the dataset page shows of a resource's data; undefined when it has no table and no load to report. */
export async function previewOf(db: Db, p: Principal, resourceId: string, opts: { rows: number; withLoads: boolean }): Promise<Preview | undefined> {
  const { resource, full } = await getResource(db, p, resourceId);
  const sheets = await tableRepo.sheets(db, resourceId);
  const latest = opts.withLoads ? (await loadRepo.forResource(db, resourceId, 1))[0] : undefined;
  if (!sheets.length && !latest) return undefined;
  const tables = [];
  for (const table of sheets) {
    const { queries } = await readerQueries(db, p, full.dataset.owner_org, table);
    tables.push({ table, rows: (await queries.search(db, { filters: [], limit: opts.rows, offset: 0, includeTotal: false })).records });
  }
  return { title: resource.name ?? resource.url, tables, latest };
}

/** One load of a resource, for an editor of its dataset (the wizard's progress and report). */
export async function editorLoad(db: Db, p: Principal, resourceId: string, loadId: string): Promise<DatastoreLoadRow> {
  await editableResource(db, p, resourceId);
  const load = await loadRepo.find(db, loadId);
  if (!load || load.resource_id !== resourceId) throw notFound('not_found', { vi: 'Không tìm thấy lần nạp.', en: 'Load not found.' }, 'load');
  return load;
}
