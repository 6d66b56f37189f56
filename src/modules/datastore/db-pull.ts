import { Readable } from 'node:stream';
import { recordAudit, type AuditActor } from '../../platform/audit/index.js';
import type { Principal } from '../../platform/auth/index.js';
import type { SecretBox } from '../../platform/crypto/index.js';
import { inTransaction, type Db } from '../../platform/db/index.js';
import { badRequest, FieldErrors, notFound } from '../../platform/http/index.js';
import { defineJob, type JobQueue } from '../../platform/jobs/index.js';
import type { ModuleContext } from '../../platform/module.js';
import { OutboundError, reachableAddress } from '../../platform/net/index.js';
import { claimFile } from '../../platform/storage/index.js';
import { incrementalSql, queryProblem, queryRows, type DbEngine, type DbTarget } from './db-engines.js';
import type { FieldType } from './ingest/infer.js';
import { addIncrement, incrementFrom, isIncrementalColumn } from './incremental.js';
import { dbPullRepo } from './repository.js';
import { editableResource, queueLoad } from './service.js';
import type { DatastoreDbPullRow } from './tables.js';

/** Pulls a resource's sector database now (queued by its editor or the schedule). */
export const DB_PULL_JOB = defineJob<{ resourceId: string }>('datastore.db-pull');
/** Every minute: queues the database pulls that are due. */
export const DB_PULL_DUE_JOB = defineJob<Record<string, never>>('datastore.db-pull-due');

export const DEFAULT_PORT: Record<DbEngine, number> = { postgresql: 5432, mysql: 3306 };

export interface DbPullInput {
  engine: DbEngine;
  host: string;
  port?: number;
  database: string;
  user: string;
  /** Required the first time; left out later, the stored one is kept. */
  password?: string;
  query: string;
  incremental_column?: string | null;
  every_minutes?: number | null;
}

const bad = (field: string, vi: string, en: string) => badRequest('datastore_db_pull', { vi, en }, field);

/** What an editor sees of a database pull: everything but the password. */
export const presentDbPull = (r: DatastoreDbPullRow) => ({
  engine: r.engine,
  host: r.host,
  port: r.port,
  database: r.database,
  user: r.username,
  password_set: r.password_sealed !== null,
  query: r.query,
  incremental_column: r.incremental_column,
  every_minutes: r.every_minutes,
  next_at: r.next_at?.toISOString() ?? null,
  last_status: r.last_status,
  last_error: r.last_error,
  last_rows: r.last_rows,
  checked_at: r.checked_at?.toISOString() ?? null,
  changed_at: r.changed_at?.toISOString() ?? null,
});

/**
 * An editor of the dataset sets where the resource's table is pulled from: the sector system's
 * database, a read-only SELECT, optionally incremental by a key or time column (later pulls
 * fetch only rows after the table's largest value and add them), and how often. Every invalid
 * field is reported at once; the password is sealed before it is stored. A first pull is queued.
 */
export async function setDbPull(
  deps: { db: Db; jobs: JobQueue; box: () => SecretBox },
  p: Principal,
  actor: AuditActor,
  resourceId: string,
  input: DbPullInput,
): Promise<{ jobId: string; state: DatastoreDbPullRow }> {
  const { db, jobs } = deps;
  const { userId } = await editableResource(db, p, resourceId);
  const previous = await dbPullRepo.find(db, resourceId);
  const errors = new FieldErrors();
  if (!/^[A-Za-z0-9.\-:[\]]{1,255}$/.test(input.host)) errors.add(bad('host', 'Tên máy chủ không hợp lệ.', 'Not a valid host name or address.'));
  if (!input.database.trim()) errors.add(bad('database', 'Cần tên cơ sở dữ liệu.', 'The database name is required.'));
  if (!input.user.trim()) errors.add(bad('user', 'Cần tên người dùng (chỉ có quyền đọc).', 'A (read-only) user is required.'));
  if (input.password === undefined && !previous?.password_sealed) errors.add(bad('password', 'Cần mật khẩu.', 'The password is required.'));
  const problem = await queryProblem(input.engine, input.query);
  if (problem) errors.add(bad('query', `Chỉ một câu lệnh SELECT chỉ đọc (${problem}).`, `One read-only SELECT statement only (${problem}).`));
  const col = input.incremental_column?.trim() || null;
  if (col !== null && !isIncrementalColumn(col))
    errors.add(bad('incremental_column', 'Tên cột tăng dần không hợp lệ.', 'Not a valid incremental column name.'));
  errors.throwIfAny();
  const every = input.every_minutes === undefined ? (previous?.every_minutes ?? null) : input.every_minutes;
  return inTransaction(db, async (trx) => {
    await dbPullRepo.save(trx, {
      resource_id: resourceId,
      engine: input.engine,
      host: input.host,
      port: input.port ?? DEFAULT_PORT[input.engine],
      database: input.database.trim(),
      username: input.user.trim(),
      password_sealed: input.password !== undefined ? deps.box().seal(input.password) : previous!.password_sealed,
      query: input.query.trim(),
      incremental_column: col,
      every_minutes: every,
      next_at: every ? new Date(Date.now() + every * 60_000) : null,
      updated_by: userId,
    });
    const jobId = await jobs.enqueue(trx, DB_PULL_JOB, { resourceId }, userId);
    await recordAudit(trx, actor, {
      action: 'datastore.db-pull.set',
      entityType: 'resource',
      entityId: resourceId,
      details: { engine: input.engine, host: input.host, database: input.database, incremental: col, everyMinutes: every },
    });
    return { jobId, state: (await dbPullRepo.find(trx, resourceId))! };
  });
}

const noPull = () =>
  notFound('datastore_no_db_pull', { vi: 'Tài nguyên chưa có nguồn cơ sở dữ liệu.', en: 'This resource has no database source.' }, 'resource_id');

/** The database pull of a resource, for its editors (it names a host and a query). */
export async function dbPullOf(db: Db, p: Principal, resourceId: string): Promise<DatastoreDbPullRow> {
  await editableResource(db, p, resourceId);
  const state = await dbPullRepo.find(db, resourceId);
  if (!state) throw noPull();
  return state;
}

/** An editor pulls now. */
export async function requestDbPull(db: Db, jobs: JobQueue, p: Principal, actor: AuditActor, resourceId: string): Promise<string> {
  const { userId } = await editableResource(db, p, resourceId);
  if (!(await dbPullRepo.find(db, resourceId))) throw noPull();
  return inTransaction(db, async (trx) => {
    const jobId = await jobs.enqueue(trx, DB_PULL_JOB, { resourceId }, userId);
    await recordAudit(trx, actor, { action: 'datastore.db-pull.run', entityType: 'resource', entityId: resourceId, details: {} });
    return jobId;
  });
}

/** An editor stops pulling from the database (the table stays as loaded). */
export async function removeDbPull(db: Db, p: Principal, actor: AuditActor, resourceId: string): Promise<void> {
  await editableResource(db, p, resourceId);
  await inTransaction(db, async (trx) => {
    if (!(await dbPullRepo.remove(trx, resourceId)).numDeletedRows) throw noPull();
    await recordAudit(trx, actor, { action: 'datastore.db-pull.remove', entityType: 'resource', entityId: resourceId, details: {} });
  });
}

/** A value as JSON carries it to the datastore: times as ISO text, bytes as base64, big integers as text. */
function jsonValue(v: unknown): unknown {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (typeof v === 'bigint') return v.toString();
  return v;
}
const jsonRow = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, jsonValue(v)]));

export interface DbPullOutcome {
  status: 'changed' | 'unchanged' | 'added' | 'failed';
  rows?: number;
  loadId?: string;
  error?: string;
}

/**
 * One pull from a sector database. The first (and every one without an incremental column):
 * the query's rows streamed to a JSON Lines file, loaded as a new version when they differ from
 * the last pull's (SHA-256) — typed, validated and versioned like any file. Incremental: only the
 * rows after the table's own largest value of the column, added (upserted by the table's key when
 * it has one) in one transaction, so what the table holds is always what the next pull starts from.
 */
export async function runDbPull(ctx: ModuleContext, box: () => SecretBox, resourceId: string): Promise<DbPullOutcome> {
  const state = await dbPullRepo.find(ctx.db, resourceId);
  if (!state) return { status: 'failed', error: 'no database source' };
  const now = new Date();
  const save = (patch: Partial<DatastoreDbPullRow>) => dbPullRepo.patch(ctx.db, resourceId, { checked_at: now, ...patch });
  try {
    const target: DbTarget = {
      engine: state.engine,
      address: await reachableAddress(ctx.net.policy, state.host, state.port),
      port: state.port,
      database: state.database,
      user: state.username,
      password: state.password_sealed ? box().open(state.password_sealed) : '',
    };
    const col = state.incremental_column;
    const from = col ? await incrementFrom(ctx.db, resourceId, col) : undefined;
    if (col && from) {
      const added = await inTransaction(ctx.db, async (trx) => {
        const n = await addIncrement(
          trx,
          resourceId,
          from.primaryKey,
          (async function* () {
            for await (const { rows } of queryRows(target, incrementalSql(state.engine, state.query, col), [from.after])) yield rows.map(jsonRow);
          })(),
        );
        await dbPullRepo.patch(trx, resourceId, {
          checked_at: now,
          last_status: n ? 'added' : 'unchanged',
          last_error: null,
          last_rows: n,
          ...(n ? { changed_at: now } : {}),
        });
        return n;
      });
      return { status: added ? 'added' : 'unchanged', rows: added };
    }
    let rows = 0;
    let types: Record<string, FieldType> = {};
    const lines = Readable.from(
      (async function* () {
        for await (const batch of queryRows(target, state.query)) {
          rows += batch.rows.length;
          if (batch.types) types = batch.types;
          yield batch.rows.map((r) => `${JSON.stringify(jsonRow(r))}\n`).join('');
        }
      })(),
    );
    const stored = await ctx.files.put(lines, ctx.config.maxUploadBytes);
    if (state.sha256 === stored.sha256) {
      await save({ last_status: 'unchanged', last_error: null, last_rows: rows });
      return { status: 'unchanged', rows };
    }
    const loadId = await inTransaction(ctx.db, async (trx) => {
      await claimFile(trx, stored.key, `datastore-db-pull:${resourceId}`);
      await dbPullRepo.patch(trx, resourceId, {
        checked_at: now,
        changed_at: now,
        sha256: stored.sha256,
        last_status: 'changed',
        last_error: null,
        last_rows: rows,
      });
      return queueLoad(
        trx,
        ctx.jobs,
        resourceId,
        // The columns' types as the database declares them: a text code stays text, whatever its digits look like.
        { kind: 'db', storageKey: stored.key, filename: `${state.database}.jsonl`, sha256: stored.sha256, size: stored.size, format: 'JSONL', types },
        null,
      );
    });
    return { status: 'changed', rows, loadId };
  } catch (e) {
    const error =
      e instanceof OutboundError
        ? 'refused or unreachable (outbound policy: internal addresses need the operator’s allow list)'
        : // The sector database's own message (a bad column, a refused login): the editor's to fix.
          ((e as Error).message ?? String(e)).slice(0, 500);
    await save({ last_status: 'failed', last_error: error });
    return { status: 'failed', error };
  }
}

/** The schedule's tick: a pull job per database source that is due. */
export async function queueDueDbPulls(db: Db, jobs: JobQueue): Promise<number> {
  const due = await dbPullRepo.takeDue(db);
  for (const resourceId of due) await jobs.enqueue(db, DB_PULL_JOB, { resourceId }, null);
  return due.length;
}
