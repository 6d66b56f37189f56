import crypto from 'node:crypto';
import { sql } from 'kysely';
import { recordAudit, recordAudits, type AuditActor, type AuditEntry } from '../../platform/audit/index.js';
import type { Principal } from '../../platform/auth/index.js';
import { inTransaction, type Db } from '../../platform/db/index.js';
import { defineEvent, type EventBus } from '../../platform/events.js';
import { conflict, FieldErrors, forbidden, notFound } from '../../platform/http/index.js';
import { claimFile, releaseFiles } from '../../platform/storage/index.js';
import { slugify } from '../../platform/text/index.js';
import { canRead, requireMayEdit, requireWriter, viewerOf, type Viewer } from './access.js';
import { loadFull, type DatasetFull } from './full.js';
import { toSharedDb, type DatasetInput, type ResourceInput, type StoredUpload } from './input.js';
import { activityRepo, datasetRepo, groupRepo, resourceRepo, tagRepo, type DatasetInsert } from './repository.js';
import type { DatasetRow, ResourceRow } from './tables.js';
import { checkName, checkScalars, missing, resolveGroupIds, resolveOrgId, tagNames, text } from './validate.js';

export const NOT_FOUND = { vi: 'Không tìm thấy bộ dữ liệu.', en: 'Dataset not found.' };
const DENIED_READ = { vi: 'Bạn không có quyền xem bộ dữ liệu này.', en: 'You are not allowed to read this dataset.' };

/** Reads one dataset with the access rule applied: 404 when absent, 403 when not readable. */
export async function getDataset(db: Db, p: Principal, idOrName: string): Promise<DatasetFull> {
  return (await loadFull(db, [await readableDatasetRow(db, p, idOrName)]))[0]!;
}

/** The dataset's own row, with the access rule (the one rule for reading, whatever is read next). */
async function readableDatasetRow(db: Db, p: Principal, idOrName: string): Promise<DatasetRow> {
  const row = await datasetRepo.find(db, idOrName);
  if (!row || row.state === 'deleted') throw notFound('dataset_not_found', NOT_FOUND, 'id');
  const v = await viewerOf(db, p);
  if (!canRead(v, row)) throw forbidden('forbidden', DENIED_READ);
  return row;
}

/** The resource and its dataset, with the dataset's access rule. */
export async function getResource(db: Db, p: Principal, id: string): Promise<{ resource: ResourceRow; full: DatasetFull }> {
  const { resource, dataset } = await readableResource(db, p, id);
  return { resource, full: (await loadFull(db, [dataset]))[0]! };
}

/**
 * The resource and its dataset's own row (no tags, groups, other resources), with the same
 * access rule: for readers that need only the owner and the visibility, such as every datastore
 * query (two round trips instead of seven).
 */
export async function readableResource(db: Db, p: Principal, id: string): Promise<{ resource: ResourceRow; dataset: DatasetRow }> {
  const resource = await resourceRepo.find(db, id);
  if (!resource) throw notFound('resource_not_found', { vi: 'Không tìm thấy tài nguyên.', en: 'Resource not found.' }, 'id');
  return { resource, dataset: await readableDatasetRow(db, p, resource.dataset_id) };
}

async function toRow(
  db: Db,
  input: DatasetInput,
  base: Pick<DatasetRow, 'owner_org'> | undefined,
  opts: { scalarsChecked?: boolean } = {},
): Promise<Partial<DatasetInsert>> {
  if (!opts.scalarsChecked) checkScalars(input);
  const has = <K extends keyof DatasetInput>(k: K) => input[k] !== undefined;
  const out: Partial<DatasetInsert> = {};
  if (has('name')) out.name = checkName(input.name!);
  if (has('title')) {
    const t = text(input.title);
    if (!t) throw missing('title');
    out.title = t;
  }
  if (has('owner_org')) out.owner_org = await resolveOrgId(db, 'owner_org', input.owner_org!);
  for (const k of [
    'title_en',
    'notes',
    'notes_en',
    'url',
    'version',
    'author',
    'maintainer',
    'update_frequency',
    'contact_name',
    'author_email',
    'maintainer_email',
    'contact_email',
  ] as const) {
    if (has(k)) out[k] = text(input[k] as string | null);
  }
  if (has('license_id')) out.license_id = input.license_id || null;
  if (has('state')) out.state = input.state === 'draft' ? 'draft' : 'active';
  if (has('access_level')) out.access_level = input.access_level!;
  else if (has('private')) out.access_level = input.private ? 'private' : 'public';
  if (has('restricted_orgs')) out.restricted_orgs = await Promise.all(input.restricted_orgs!.map((o) => resolveOrgId(db, 'restricted_orgs', o)));
  if (has('restricted_kinds')) out.restricted_kinds = input.restricted_kinds!;
  if (has('spatial_codes')) out.spatial_codes = [...new Set(input.spatial_codes)];
  if (has('bbox')) out.bbox = input.bbox ?? null;
  if (has('temporal_start')) out.temporal_start = input.temporal_start || null;
  if (has('temporal_end')) out.temporal_end = input.temporal_end || null;
  if (has('extras')) out.extras = input.extras!.map((e) => ({ key: String(e.key), value: String(e.value) }));
  if (has('shared_db')) {
    const s = input.shared_db;
    if (!s) out.shared_db = null;
    else {
      const ownerOrg = out.owner_org ?? base?.owner_org ?? '';
      const managing = s.managing_org ? await resolveOrgId(db, 'shared_db.managing_org', s.managing_org) : ownerOrg;
      const allowed = await Promise.all((s.allowed_orgs ?? []).map((o) => resolveOrgId(db, 'shared_db.allowed_orgs', o)));
      out.shared_db = toSharedDb(s, managing, allowed);
    }
  }
  return out;
}

async function writeChildren(
  db: Db,
  datasetId: string,
  input: DatasetInput,
  replaceResources: boolean,
  isNew = false,
  opts: Pick<WriteOptions, 'batch' | 'events'> = {},
): Promise<void> {
  const { batch, events } = opts;
  if (input.tags !== undefined) await tagRepo.setForDataset(db, datasetId, tagNames(input.tags));
  if (input.groups !== undefined) await groupRepo.setForDataset(db, datasetId, await resolveGroupIds(db, input.groups));
  if (input.resources !== undefined && replaceResources) {
    // Resources sent back with their id keep their identity and stored file; the rest are new,
    // and existing ones not sent are removed (CKAN package_update semantics).
    const existing = new Map(isNew ? [] : (await resourceRepo.forDatasets(db, [datasetId])).map((r) => [r.id, r]));
    const kept = new Set<string>();
    for (const [i, r] of input.resources.entries()) {
      const prior = r.id ? existing.get(r.id) : undefined;
      const { id: _id, ...fields } = resourceFields(r);
      if (prior) {
        kept.add(prior.id);
        const row = await resourceRepo.update(db, prior.id, {
          ...fields,
          position: i,
          url: r.url ?? prior.url,
          url_type: r.url_type !== undefined ? fields.url_type : prior.url_type,
          size: r.size !== undefined ? fields.size : prior.size,
          hash: r.hash !== undefined ? fields.hash : prior.hash,
          mimetype: r.mimetype !== undefined ? fields.mimetype : prior.mimetype,
        });
        // Emitted for every kept resource: its file may have changed behind the same URL (a harvested source's new version).
        if (events) await events.emit(db, RESOURCE_CHANGED, { change: 'updated', resource: row, datasetId, upload: null, userId: null });
      } else {
        const row = await resourceRepo.insert(db, { ...fields, dataset_id: datasetId, position: i, storage_key: null });
        if (events) await events.emit(db, RESOURCE_CHANGED, { change: 'created', resource: row, datasetId, upload: null, userId: null });
      }
    }
    const dropped = [...existing.values()].filter((r) => !kept.has(r.id));
    for (const r of dropped) {
      await resourceRepo.remove(db, r.id);
      if (events) await events.emit(db, RESOURCE_CHANGED, { change: 'deleted', resource: r, datasetId, upload: null, userId: null });
    }
    await releaseFiles(
      db,
      dropped.map((r) => r.storage_key),
    );
  }
  if (batch) batch.ids.push(datasetId);
  else await datasetRepo.refreshSearch(db, datasetId);
}

function resourceFields(r: ResourceInput) {
  return {
    ...(r.id ? { id: r.id } : {}),
    name: text(r.name),
    description: text(r.description),
    url: r.url ?? '',
    format: text(r.format)?.toUpperCase() ?? null,
    mimetype: r.mimetype ?? null,
    size: r.size ?? null,
    hash: r.hash ?? null,
    url_type: r.url_type ?? null,
  };
}

function changedFields(before: DatasetRow, after: DatasetRow): string[] {
  return (Object.keys(after) as (keyof DatasetRow)[]).filter((k) => k !== 'metadata_modified' && JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

async function log(db: Db, actor: AuditActor, datasetId: string, action: string, changes: Record<string, unknown>, batch?: WriteBatch): Promise<void> {
  await activityRepo.add(db, { dataset_id: datasetId, user_id: actor.userId, user_label: actor.label, action, changes });
  const entry = { action: `dataset.${action}`, entityType: 'dataset', entityId: datasetId, details: changes };
  if (batch) batch.audit.push(entry);
  else await recordAudit(db, actor, entry);
}

const DATASET_DEFAULTS = {
  title_en: null,
  notes: null,
  notes_en: null,
  url: null,
  version: null,
  type: 'dataset',
  state: 'active',
  license_id: null,
  author: null,
  author_email: null,
  maintainer: null,
  maintainer_email: null,
  access_level: 'public',
  restricted_orgs: [],
  restricted_kinds: [],
  spatial_codes: [],
  bbox: null,
  temporal_start: null,
  temporal_end: null,
  update_frequency: null,
  contact_name: null,
  contact_email: null,
  extras: [],
  shared_db: null,
} satisfies Partial<DatasetInsert>;

/** A URL name from the title; titles without Latin letters get a random one. */
function defaultName(title: string): string {
  const slug = slugify(title, 90);
  return slug.length >= 2 ? slug : `dataset-${crypto.randomUUID().slice(0, 8)}`;
}

export interface WriteOptions {
  /** Harvesters may write harvested datasets and set provenance. */
  harvest?: { sourceId: string; originalId: string; url: string | null; modified?: Date };
  /** Part of a bulk write (see WriteBatch): search upkeep and audit records are left to the batch. */
  batch?: WriteBatch;
  /** The app's event bus: resources written with the dataset emit RESOURCE_CHANGED (a linked table is then pulled). */
  events?: EventBus;
}

/**
 * A bulk writer's transaction (a harvest batch). Writes inside it run with `tinhso.search_bulk` on
 * and collect what they would do per row; `finishBatch` then refreshes search columns and facet
 * counts set-wise and appends every audit record at once, just before commit.
 */
export interface WriteBatch {
  viewer: Viewer;
  ids: string[];
  audit: AuditEntry[];
}

/** Opens a batch inside `trx`: quiets the per-row search triggers and takes the facet counts of `existing` (datasets it will change) out. */
export async function beginBatch(trx: Db, viewer: Viewer, existing: string[]): Promise<WriteBatch> {
  await sql`select set_config('tinhso.search_bulk', 'on', true)`.execute(trx);
  if (existing.length > 0) await sql`select catalog_search_batch_out(${existing}::uuid[])`.execute(trx);
  return { viewer, ids: [...existing], audit: [] };
}

export async function finishBatch(trx: Db, actor: AuditActor, batch: WriteBatch): Promise<void> {
  const ids = [...new Set(batch.ids)];
  if (ids.length > 0) {
    await datasetRepo.refreshSearch(trx, ids);
    await sql`select catalog_search_batch_in(${ids}::uuid[])`.execute(trx);
  }
  await sql`select set_config('tinhso.search_bulk', 'off', true)`.execute(trx);
  await recordAudits(trx, actor, batch.audit);
}

export async function createDataset(db: Db, p: Principal, actor: AuditActor, input: DatasetInput, opts: WriteOptions = {}): Promise<DatasetFull> {
  return (await loadFull(db, [await createDatasetRow(db, p, actor, input, opts)]))[0]!;
}

/** createDataset without reading the result back (harvest batches need only the row). */
export async function createDatasetRow(db: Db, p: Principal, actor: AuditActor, input: DatasetInput, opts: WriteOptions = {}): Promise<DatasetRow> {
  const v = opts.batch?.viewer ?? (await viewerOf(db, p));
  requireWriter(v);
  // Every invalid field at once (CKAN's validation dict), before anything is written.
  const errors = new FieldErrors();
  if (!input.owner_org) errors.add(missing('owner_org'));
  const hasTitle = !!input.title && !!text(input.title);
  if (!hasTitle) errors.add(missing('title'));
  if (input.name !== undefined) errors.check(() => checkName(input.name!));
  else if (!hasTitle) errors.add(missing('name')); // nothing to derive it from
  checkScalars(input, errors);
  errors.throwIfAny();
  const row = await inTransaction(db, async (trx) => {
    // Permission first: the owner organization decides who may write.
    const ownerOrg = await resolveOrgId(trx, 'owner_org', input.owner_org!);
    requireMayEdit(v, { owner_org: ownerOrg, harvest_source_id: null });
    const name = input.name ?? defaultName(input.title!);
    const { owner_org: _resolved, ...rest } = input;
    const fields = { ...(await toRow(trx, { ...rest, name }, { owner_org: ownerOrg }, { scalarsChecked: true })), owner_org: ownerOrg };
    if (await datasetRepo.nameTaken(trx, name))
      throw conflict('name_taken', { vi: 'Tên "{name}" đã được dùng', en: 'That URL is already in use.' }, 'name', { name });
    const inserted = await datasetRepo.insert(trx, {
      ...DATASET_DEFAULTS,
      harvest_source_id: opts.harvest?.sourceId ?? null,
      harvest_original_id: opts.harvest?.originalId ?? null,
      harvest_url: opts.harvest?.url ?? null,
      ...fields,
      name,
      title: fields.title!,
      owner_org: fields.owner_org!,
      creator_user_id: actor.userId,
      ...(opts.harvest?.modified ? { metadata_modified: opts.harvest.modified } : {}),
    });
    await writeChildren(trx, inserted.id, input, true, true, opts);
    await log(trx, actor, inserted.id, 'create', { name }, opts.batch);
    return inserted;
  });
  return row;
}

/** package_update (replace: absent lists are cleared) or package_patch (absent fields stay). */
export async function updateDataset(
  db: Db,
  p: Principal,
  actor: AuditActor,
  idOrName: string,
  input: DatasetInput,
  mode: 'update' | 'patch',
  opts: WriteOptions = {},
): Promise<DatasetFull> {
  return (await loadFull(db, [await updateDatasetRow(db, p, actor, idOrName, input, mode, opts)]))[0]!;
}

/** updateDataset without reading the result back. */
export async function updateDatasetRow(
  db: Db,
  p: Principal,
  actor: AuditActor,
  idOrName: string,
  input: DatasetInput,
  mode: 'update' | 'patch',
  opts: WriteOptions = {},
): Promise<DatasetRow> {
  const v = opts.batch?.viewer ?? (await viewerOf(db, p));
  return inTransaction(db, async (trx) => {
    const before = await datasetRepo.find(trx, idOrName);
    if (!before || before.state === 'deleted') throw notFound('dataset_not_found', NOT_FOUND, 'id');
    requireMayEdit(v, before, { byHarvester: !!opts.harvest });
    const fields = await toRow(trx, input, before);
    if (fields.owner_org && fields.owner_org !== before.owner_org)
      requireMayEdit(v, { ...before, owner_org: fields.owner_org }, { byHarvester: !!opts.harvest });
    if (fields.name && fields.name !== before.name && (await datasetRepo.nameTaken(trx, fields.name))) {
      throw conflict('name_taken', { vi: 'Tên "{name}" đã được dùng', en: 'That URL is already in use.' }, 'name', { name: fields.name });
    }
    const full: DatasetInput = mode === 'update' ? { tags: [], groups: [], extras: [], resources: [], ...input } : input;
    const updated = await datasetRepo.update(trx, before.id, {
      ...fields,
      ...(mode === 'update' && input.extras === undefined ? { extras: [] } : {}),
      ...(opts.harvest?.modified ? { metadata_modified: opts.harvest.modified } : {}),
    });
    await writeChildren(trx, before.id, full, mode === 'update' || input.resources !== undefined, false, opts);
    await log(trx, actor, before.id, 'update', { fields: changedFields(before, updated) }, opts.batch);
    return updated;
  });
}

export async function deleteDataset(db: Db, p: Principal, actor: AuditActor, idOrName: string, opts: WriteOptions = {}): Promise<void> {
  const v = await viewerOf(db, p);
  await inTransaction(db, async (trx) => {
    const before = await datasetRepo.find(trx, idOrName);
    if (!before || before.state === 'deleted') throw notFound('dataset_not_found', NOT_FOUND, 'id');
    requireMayEdit(v, before, { byHarvester: !!opts.harvest });
    await datasetRepo.update(trx, before.id, { state: 'deleted' });
    // A deleted dataset's uploaded files leave the disk (the sweep job removes them after commit).
    await releaseFiles(
      trx,
      (await resourceRepo.forDatasets(trx, [before.id])).map((r) => r.storage_key),
    );
    await log(trx, actor, before.id, 'delete', {});
  });
}

async function editableDataset(db: Db, v: Viewer, datasetId: string): Promise<DatasetRow> {
  const d = await datasetRepo.find(db, datasetId);
  if (!d || d.state === 'deleted') throw notFound('dataset_not_found', NOT_FOUND, 'package_id');
  requireMayEdit(v, d);
  return d;
}

/**
 * Emitted in the transaction of every resource change, so another module's reaction (the datastore
 * queues a load of an uploaded table) commits with it. `upload` is the stored file when the change
 * brought one.
 */
export const RESOURCE_CHANGED = defineEvent<{
  /** 'seen': a harvest found the dataset unchanged; the data behind the resource's URL may still have changed. */
  change: 'created' | 'updated' | 'deleted' | 'seen';
  resource: ResourceRow;
  datasetId: string;
  upload: StoredUpload | null;
  userId: string | null;
}>('catalog.resource-changed');

/** The acting user for events, or null for the system principal (seeds, jobs), which is no row of app_user. */
const userOf = (p: Principal): string | null => (p.via ? (p.user?.id ?? null) : null);

/** What resource writes need besides their input: the app's event bus (see RESOURCE_CHANGED). */
export interface ResourceWriteOptions {
  events: EventBus;
}

export async function createResource(
  db: Db,
  p: Principal,
  actor: AuditActor,
  datasetId: string,
  input: ResourceInput,
  upload: StoredUpload | undefined,
  opts: ResourceWriteOptions,
): Promise<ResourceRow> {
  const v = await viewerOf(db, p);
  return inTransaction(db, async (trx) => {
    const d = await editableDataset(trx, v, datasetId);
    const fields = resourceFields(input);
    const r = await resourceRepo.insert(trx, {
      ...fields,
      ...(upload
        ? {
            url_type: 'upload',
            size: upload.size,
            hash: upload.sha256,
            mimetype: upload.mimetype ?? fields.mimetype,
            name: fields.name ?? upload.filename,
            format: fields.format ?? ((upload.filename.split('.').pop() ?? '').toUpperCase() || null),
          }
        : {}),
      storage_key: upload?.storageKey ?? null,
      dataset_id: d.id,
      position: await resourceRepo.nextPosition(trx, d.id),
    });
    if (upload) await claimFile(trx, upload.storageKey, `resource:${r.id}`);
    await datasetRepo.update(trx, d.id, {});
    await datasetRepo.refreshSearch(trx, d.id);
    await log(trx, actor, d.id, 'resource.create', { resourceId: r.id, name: r.name });
    await opts.events.emit(trx, RESOURCE_CHANGED, { change: 'created', resource: r, datasetId: d.id, upload: upload ?? null, userId: userOf(p) });
    return r;
  });
}

export async function updateResource(
  db: Db,
  p: Principal,
  actor: AuditActor,
  id: string,
  input: ResourceInput,
  mode: 'update' | 'patch',
  upload: StoredUpload | undefined,
  opts: ResourceWriteOptions,
): Promise<ResourceRow> {
  const v = await viewerOf(db, p);
  return inTransaction(db, async (trx) => {
    const before = await resourceRepo.find(trx, id);
    if (!before) throw notFound('resource_not_found', { vi: 'Không tìm thấy tài nguyên.', en: 'Resource not found.' }, 'id');
    const d = await editableDataset(trx, v, before.dataset_id);
    const all = resourceFields(input);
    const patch = mode === 'patch' ? Object.fromEntries(Object.entries(all).filter(([k]) => (input as Record<string, unknown>)[k] !== undefined)) : all;
    const r = await resourceRepo.update(trx, id, {
      ...patch,
      ...(upload ? { url_type: 'upload', size: upload.size, hash: upload.sha256, mimetype: upload.mimetype, storage_key: upload.storageKey } : {}),
    });
    if (upload) {
      if (before.storage_key !== upload.storageKey) await releaseFiles(trx, [before.storage_key]);
      await claimFile(trx, upload.storageKey, `resource:${id}`);
    }
    await datasetRepo.update(trx, d.id, {});
    await datasetRepo.refreshSearch(trx, d.id);
    await log(trx, actor, d.id, 'resource.update', { resourceId: id });
    await opts.events.emit(trx, RESOURCE_CHANGED, { change: 'updated', resource: r, datasetId: d.id, upload: upload ?? null, userId: userOf(p) });
    return r;
  });
}

export async function deleteResource(db: Db, p: Principal, actor: AuditActor, id: string, opts: ResourceWriteOptions): Promise<void> {
  const v = await viewerOf(db, p);
  await inTransaction(db, async (trx) => {
    const before = await resourceRepo.find(trx, id);
    if (!before) throw notFound('resource_not_found', { vi: 'Không tìm thấy tài nguyên.', en: 'Resource not found.' }, 'id');
    const d = await editableDataset(trx, v, before.dataset_id);
    await resourceRepo.remove(trx, id);
    await releaseFiles(trx, [before.storage_key]);
    await datasetRepo.update(trx, d.id, {});
    await datasetRepo.refreshSearch(trx, d.id);
    await log(trx, actor, d.id, 'resource.delete', { resourceId: id });
    await opts.events.emit(trx, RESOURCE_CHANGED, { change: 'deleted', resource: before, datasetId: d.id, upload: null, userId: userOf(p) });
  });
}

/** Marks whether a resource's data is in the datastore (CKAN's `datastore_active`); inside the load's transaction. */
export async function setDatastoreActive(db: Db, resourceId: string, active: boolean): Promise<void> {
  await resourceRepo.setDatastoreActive(db, resourceId, active);
}

export interface ActivityEntry {
  at: Date;
  action: string;
  changes: unknown;
  /** Who, as a display name (a user's name, or a system label such as `harvest:source`); null for the system. */
  who: string | null;
  /** The login e-mail, only for those who may manage users (sysadmins). */
  email: string | null;
}

/** A dataset's history. Anyone who may read the dataset sees display names; only sysadmins see e-mails. */
export async function datasetActivity(db: Db, p: Principal, idOrName: string, limit = 50): Promise<ActivityEntry[]> {
  const full = await getDataset(db, p, idOrName);
  const rows = await activityRepo.forDataset(db, full.dataset.id, limit);
  const mayManageUsers = !!p.user?.isSysadmin;
  return rows.map((r) => {
    const label = r.user_label && !r.user_label.includes('@') ? r.user_label : null;
    return {
      at: r.at,
      action: r.action,
      changes: r.changes,
      who: r.user_name ?? label,
      email: mayManageUsers && r.user_label?.includes('@') ? r.user_label : null,
    };
  });
}

/** Counts a page view; the count shows once the `catalog.views-flush` job has run (every minute). */
export async function countView(db: Db, datasetId: string): Promise<void> {
  await datasetRepo.recordView(db, datasetId);
}

/** Adds the views recorded since the last flush to the datasets' counts. */
export const flushViewCounts = (db: Db): Promise<number> => datasetRepo.flushViews(db);
