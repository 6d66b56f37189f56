import { recordAudit, type AuditActor } from '../../platform/audit/index.js';
import { requireUser, type Principal } from '../../platform/auth/index.js';
import { inTransaction, type Db } from '../../platform/db/index.js';
import { defineJob, type JobQueue } from '../../platform/jobs/index.js';
import { badRequest, forbidden, notFound } from '../../platform/http/index.js';
import { canEdit, getResource, viewerOf, type StoredUpload } from '../catalog/index.js';
import { currentView, loadableFormat } from './loader.js';
import { TableQueries } from './query.js';
import { loadRepo, tableRepo } from './repository.js';
import type { DatastoreLoadRow, DatastoreTableRow, LoadSourceInfo } from './tables.js';

/** A queued load of one resource's file. */
export const LOAD_JOB = defineJob<{ loadId: string }>('datastore.load');

const NO_TABLE = { vi: 'Tài nguyên chưa có dữ liệu trong kho dữ liệu.', en: 'This resource has no datastore table.' };

/** The resource's current table, for a caller who may read its dataset (the catalog's access rule). */
export async function readableTable(db: Db, p: Principal, resourceId: string): Promise<{ table: DatastoreTableRow; queries: TableQueries }> {
  await getResource(db, p, resourceId);
  const table = await tableRepo.find(db, resourceId);
  if (!table) throw notFound('datastore_not_found', NO_TABLE, 'resource_id');
  return { table, queries: new TableQueries(currentView(resourceId), table.fields) };
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

/** An editor of the dataset loads the resource's file again (after a failed or interrupted load, say). */
export async function reload(db: Db, jobs: JobQueue, p: Principal, actor: AuditActor, resourceId: string): Promise<DatastoreLoadRow> {
  requireUser(p);
  const { resource, full } = await getResource(db, p, resourceId);
  const v = await viewerOf(db, p);
  if (!canEdit(v, full.dataset)) throw forbidden('forbidden', { vi: 'Bạn không có quyền sửa dữ liệu này.', en: 'You may not change this data.' });
  if (resource.url_type !== 'upload' || !resource.storage_key || !loadableFormat(resource.format, resource.url))
    throw badRequest(
      'datastore_not_loadable',
      { vi: 'Tài nguyên không phải tệp bảng tải lên (CSV, TSV).', en: 'The resource is not an uploaded table file (CSV, TSV).' },
      'resource_id',
    );
  const storageKey = resource.storage_key;
  const filename = resource.url.split('/').pop() ?? resource.url;
  const id = await inTransaction(db, async (trx) => {
    const source = { kind: 'upload' as const, storageKey, filename, sha256: resource.hash, size: resource.size, format: resource.format };
    const loadId = await queueLoad(trx, jobs, resource.id, source, v.userId);
    await recordAudit(trx, actor, { action: 'datastore.reload', entityType: 'resource', entityId: resource.id, details: { loadId } });
    return loadId;
  });
  return (await loadRepo.find(db, id))!;
}

/** The loads of a resource, newest first, for whoever may read it. */
export async function loadsOf(db: Db, p: Principal, resourceId: string): Promise<DatastoreLoadRow[]> {
  await getResource(db, p, resourceId);
  return loadRepo.forResource(db, resourceId);
}

export interface Preview {
  title: string;
  table: DatastoreTableRow | undefined;
  rows: Record<string, unknown>[];
  /** The latest load, for editors. */
  latest: DatastoreLoadRow | undefined;
}

/** What the dataset page shows of a resource's data; undefined when it has no table and no load to report. */
export async function previewOf(db: Db, p: Principal, resourceId: string, opts: { rows: number; withLoads: boolean }): Promise<Preview | undefined> {
  const { resource } = await getResource(db, p, resourceId);
  const table = await tableRepo.find(db, resourceId);
  const latest = opts.withLoads ? (await loadRepo.forResource(db, resourceId, 1))[0] : undefined;
  if (!table && !latest) return undefined;
  let rows: Record<string, unknown>[] = [];
  if (table) {
    const queries = new TableQueries(currentView(resourceId), table.fields);
    rows = (await queries.search(db, { filters: [], limit: opts.rows, offset: 0, includeTotal: false })).records;
  }
  return { title: resource.name ?? resource.url, table, rows, latest };
}
