import path from 'node:path';
import { recordAudit, type AuditActor } from '../../platform/audit/index.js';
import { systemPrincipal, type Principal } from '../../platform/auth/index.js';
import { inTransaction, type Db } from '../../platform/db/index.js';
import { badRequest } from '../../platform/http/index.js';
import { defineJob, type JobQueue } from '../../platform/jobs/index.js';
import type { ModuleContext } from '../../platform/module.js';
import { OutboundError, OutboundStatusError, OutboundTooLargeError } from '../../platform/net/index.js';
import { claimFile } from '../../platform/storage/index.js';
import { getResource, readableResource } from '../catalog/index.js';
import { fileKind } from './ingest/read-file.js';
import { StripRowIds } from './ingest/strip-row-ids.js';
import { addIncrement, incrementFrom, isIncrementalColumn } from './incremental.js';
import { checkMapping, mapToJsonLines } from './mapping.js';
import { DUMP_PATH, remoteRowsAfter, remoteTableOf, remoteTotal, remoteTypes, type RemoteTable } from './mirror.js';
import { lockResource, pullRepo, tableRepo } from './repository.js';
import { editableResource, queueLoad } from './service.js';
import type { DatastorePullRow } from './tables.js';

/** Pulls a linked resource's URL now (queued by a change of the resource, an editor or the schedule). */
export const PULL_JOB = defineJob<{ resourceId: string }>('datastore.pull');
/** Every minute: queues the pulls that are due. */
export const PULL_DUE_JOB = defineJob<Record<string, never>>('datastore.pull-due');

const PULL_TIMEOUT_MS = 10 * 60_000;

/** A linked resource whose URL the loader can read: http(s), in a table format (by format or the URL's extension). */
export function pullable(resource: { url_type: string | null; url: string; format: string | null }, mapped = false): boolean {
  if (resource.url_type === 'upload' || resource.url_type === 'datastore') return false;
  let u: URL;
  try {
    u = new URL(resource.url);
  } catch {
    return false;
  }
  return (u.protocol === 'http:' || u.protocol === 'https:') && (mapped || DUMP_PATH.test(u.pathname) || fileKind(resource.format, u.pathname) !== null);
}

export interface PullOutcome {
  /** 'added': an incremental pull added (or upserted) `rows` rows into the current table. */
  status: 'changed' | 'unchanged' | 'added' | 'failed';
  loadId?: string;
  rows?: number;
  error?: string;
}

/** Rows one incremental pull takes at most (held in memory): the next pull continues where they end. */
const MAX_INCREMENT = 100_000;

/**
 * A mirrored table with an incremental column: only the rows past the local table's largest value,
 * read from the source's datastore API — before the transaction, so no lock is held over the
 * network — and added in one transaction. Undefined when there is nothing to continue from yet
 * (a full pull then); throws when the source cannot be read so.
 */
async function pullIncrement(ctx: ModuleContext, resourceId: string, remote: RemoteTable, col: string, now: Date): Promise<PullOutcome | undefined> {
  const from = await incrementFrom(ctx.db, resourceId, col);
  if (!from) return undefined;
  const pages: Record<string, unknown>[][] = [];
  let taken = 0;
  // Pages end before a run of equal values, so stopping after one leaves nothing half-read.
  for await (const rows of remoteRowsAfter(ctx.net, remote, col, from.text)) {
    pages.push(rows);
    if ((taken += rows.length) >= MAX_INCREMENT) break;
  }
  const rows = await inTransaction(ctx.db, async (trx) => {
    await lockResource(trx, resourceId);
    // Another pull or a load moved the table on meanwhile: its rows are not added a second time.
    if ((await incrementFrom(trx, resourceId, col))?.text !== from.text) return 0;
    const n = await addIncrement(trx, resourceId, from.primaryKey, pages);
    await pullRepo.save(trx, {
      resource_id: resourceId,
      checked_at: now,
      ...(n ? { changed_at: now } : {}),
      last_status: n ? 'added' : 'unchanged',
      last_error: null,
    });
    return n;
  });
  return { status: rows ? 'added' : 'unchanged', rows };
}

/** What went wrong with a pull, for its editor. */
const reasonOf = (e: unknown, maxBytes: number): string =>
  e instanceof OutboundStatusError
    ? `HTTP ${e.status}`
    : e instanceof OutboundTooLargeError
      ? `larger than ${maxBytes} bytes`
      : e instanceof OutboundError
        ? 'refused or unreachable (outbound policy: internal addresses need the operator’s allow list)'
        : ((e as Error).message ?? String(e));

/**
 * One pull: a conditional GET (If-None-Match / If-Modified-Since from the last pull) under the
 * outbound policy, the body streamed to storage under the upload limit, and — when the server
 * says it changed and the bytes differ from the last pull (SHA-256) — a load queued with the
 * stored file as its source. The markers and the outcome are kept per resource.
 */
export async function runPull(ctx: ModuleContext, resourceId: string): Promise<PullOutcome> {
  const { resource } = await getResource(ctx.db, systemPrincipal(), resourceId);
  const state = await pullRepo.find(ctx.db, resourceId);
  const now = new Date();
  const save = (patch: Partial<DatastorePullRow>) => pullRepo.save(ctx.db, { resource_id: resourceId, checked_at: now, ...patch });
  if (!pullable(resource, !!state?.mapping)) {
    await save({ last_status: 'failed', last_error: 'not a linked table (http/https URL in CSV, XLSX, JSON… format)' });
    return { status: 'failed', error: 'not pullable' };
  }
  const remote = remoteTableOf(resource.url);
  // Why an incremental pull fell back to a full one, kept with the outcome for the editor.
  let note: string | null = null;
  if (remote && state?.incremental_column) {
    try {
      const done = await pullIncrement(ctx, resourceId, remote, state.incremental_column, now);
      // Rows deleted at the source leave no trace an increment can read: a count that differs afterwards makes it a full pull.
      const [there, here] = done ? await Promise.all([remoteTotal(ctx.net, remote), tableRepo.find(ctx.db, resourceId)]) : [null, undefined];
      if (done && (there === null || there === here?.row_count)) return done;
      if (done) note = `rows differ from the source’s after the increment (${here?.row_count ?? 0} here, ${there} there); pulled in full`;
    } catch (e) {
      note = `incremental pull not possible (${reasonOf(e, ctx.config.maxUploadBytes)}); pulled in full`;
    }
  }
  try {
    const res = await ctx.net.open(resource.url, {
      accept: '*/*',
      headers: {
        ...(state?.etag ? { 'if-none-match': state.etag } : {}),
        ...(state?.last_modified ? { 'if-modified-since': state.last_modified } : {}),
      },
      maxBytes: ctx.config.maxUploadBytes,
      timeoutMs: PULL_TIMEOUT_MS,
    });
    if (res.status === 304) {
      res.body.destroy();
      await save({ last_status: 'unchanged', last_error: note });
      return { status: 'unchanged' };
    }
    const stored = await ctx.files.put(res.body, ctx.config.maxUploadBytes);
    const markers = { etag: res.headers.get('etag'), last_modified: res.headers.get('last-modified'), sha256: stored.sha256 };
    if (state?.sha256 === stored.sha256) {
      // The same bytes: nothing to load; the unclaimed copy is swept.
      await save({ ...markers, last_status: 'unchanged', last_error: note });
      return { status: 'unchanged' };
    }
    const filename = decodeURIComponent(path.posix.basename(new URL(res.url).pathname)) || 'data';
    let file = {
      key: stored.key,
      sha256: stored.sha256,
      size: stored.size,
      filename,
      // A dump is CSV, whatever the resource's format says.
      format: DUMP_PATH.test(new URL(resource.url).pathname) ? 'CSV' : resource.format,
    };
    let originalKey: string | undefined;
    if (state?.mapping) {
      // A JSON API with a field mapping: its answer is kept as fetched, and loaded through the mapping.
      const m = await ctx.files.put(mapToJsonLines(ctx.files.open(stored.key), state.mapping), ctx.config.maxUploadBytes);
      file = { key: m.key, sha256: m.sha256, size: m.size, filename: `${filename}.jsonl`, format: 'JSONL' };
      originalKey = stored.key;
    } else if (remote) {
      // A CKAN dump's leading _id is the source's row id, not a column of the data: loaded without it (the dump kept as fetched).
      const strip = new StripRowIds();
      const src = ctx.files.open(stored.key).on('error', (e) => strip.destroy(e));
      const m = await ctx.files.put(src.pipe(strip), ctx.config.maxUploadBytes);
      if (strip.stripped) {
        file = { ...file, key: m.key, sha256: m.sha256, size: m.size };
        originalKey = stored.key;
      }
    }
    // Another portal's datastore table: its columns keep the types it declares (a text code stays text).
    const types = remote ? await remoteTypes(ctx.net, remote).catch(() => undefined) : undefined;
    const loadId = await inTransaction(ctx.db, async (trx) => {
      await claimFile(trx, stored.key, `datastore-pull:${resourceId}`);
      if (originalKey) await claimFile(trx, file.key, `datastore-pull:${resourceId}`);
      await pullRepo.save(trx, { resource_id: resourceId, checked_at: now, changed_at: now, ...markers, last_status: 'changed', last_error: note });
      return queueLoad(
        trx,
        ctx.jobs,
        resourceId,
        {
          kind: 'url',
          url: res.url,
          storageKey: file.key,
          ...(originalKey ? { originalKey } : {}),
          filename: file.filename,
          sha256: file.sha256,
          size: file.size,
          format: file.format,
          ...(types && Object.keys(types).length ? { types } : {}),
        },
        null,
      );
    });
    return { status: 'changed', loadId };
  } catch (e) {
    const error = reasonOf(e, ctx.config.maxUploadBytes);
    await save({ last_status: 'failed', last_error: error });
    return { status: 'failed', error };
  }
}

/**
 * An editor pulls the resource's URL now and/or sets how often it is pulled (`everyMinutes`,
 * 5 minutes to a year; null stops the schedule). Audited.
 */
export async function requestPull(
  db: Db,
  jobs: JobQueue,
  p: Principal,
  actor: AuditActor,
  resourceId: string,
  opts: { everyMinutes?: number | null; mapping?: unknown; incrementalColumn?: string | null },
): Promise<{ jobId: string; state: DatastorePullRow }> {
  const { resource, userId } = await editableResource(db, p, resourceId);
  const col = opts.incrementalColumn === undefined ? undefined : opts.incrementalColumn?.trim() || null;
  if (col && !isIncrementalColumn(col))
    throw badRequest('datastore_pull', { vi: 'Tên cột tăng dần không hợp lệ.', en: 'Not a valid incremental column name.' }, 'incremental_column');
  if (col && !remoteTableOf(resource.url))
    throw badRequest(
      'datastore_pull',
      {
        vi: 'Chỉ bảng của kho dữ liệu một cổng khác (URL …/datastore/dump/…) mới lấy tăng dần được.',
        en: 'Only a table of another portal’s datastore (a …/datastore/dump/… URL) can be pulled incrementally.',
      },
      'incremental_column',
    );
  const mapping = opts.mapping === undefined || opts.mapping === null ? opts.mapping : checkMapping(opts.mapping);
  const hasMapping = mapping !== undefined ? mapping !== null : !!(await pullRepo.find(db, resourceId))?.mapping;
  if (!pullable(resource, hasMapping))
    throw badRequest(
      'datastore_not_pullable',
      {
        vi: 'Tài nguyên không phải liên kết http(s) đến tệp bảng (CSV, XLSX, JSON…).',
        en: 'The resource is not an http(s) link to a table file (CSV, XLSX, JSON…).',
      },
      'resource_id',
    );
  return inTransaction(db, async (trx) => {
    if (opts.everyMinutes !== undefined)
      await pullRepo.save(trx, {
        resource_id: resourceId,
        every_minutes: opts.everyMinutes,
        next_at: opts.everyMinutes ? new Date(Date.now() + opts.everyMinutes * 60_000) : null,
      });
    if (col !== undefined) await pullRepo.save(trx, { resource_id: resourceId, incremental_column: col });
    // A new mapping makes the same answer a new table: the change markers are cleared so the next pull loads it.
    if (mapping !== undefined)
      await pullRepo.save(trx, {
        resource_id: resourceId,
        mapping: mapping === null ? null : (JSON.stringify(mapping) as never),
        sha256: null,
        etag: null,
        last_modified: null,
      });
    const jobId = await jobs.enqueue(trx, PULL_JOB, { resourceId }, userId);
    await recordAudit(trx, actor, {
      action: 'datastore.pull',
      entityType: 'resource',
      entityId: resourceId,
      details: { everyMinutes: opts.everyMinutes ?? null, ...(col !== undefined ? { incrementalColumn: col } : {}) },
    });
    return { jobId, state: (await pullRepo.find(trx, resourceId)) ?? emptyState(resourceId) };
  });
}

export const emptyState = (resourceId: string): DatastorePullRow => ({
  resource_id: resourceId,
  every_minutes: null,
  next_at: null,
  etag: null,
  last_modified: null,
  sha256: null,
  last_status: null,
  last_error: null,
  checked_at: null,
  changed_at: null,
  mapping: null,
  incremental_column: null,
});

/** The pull state, for whoever may read the resource. */
export async function pullStateOf(db: Db, p: Principal, resourceId: string): Promise<DatastorePullRow> {
  await readableResource(db, p, resourceId);
  return (await pullRepo.find(db, resourceId)) ?? emptyState(resourceId);
}

/** The schedule's tick: a pull job per resource that is due. */
export async function queueDuePulls(db: Db, jobs: JobQueue): Promise<number> {
  const due = await pullRepo.takeDue(db);
  for (const resourceId of due) await jobs.enqueue(db, PULL_JOB, { resourceId }, null);
  return due.length;
}
