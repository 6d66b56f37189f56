import { sql, type RawBuilder } from 'kysely';
import { requireUser, type Principal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { badRequest } from '../../../platform/http/index.js';
import type { LogColumns } from '../tables.js';

export interface LogFilter {
  client?: string;
  service?: string;
  /** An HTTP status, or 2xx / 4xx / 5xx, or "error" (the platform's own errors). */
  status?: string;
  from?: string;
  to?: string;
  /** Cursor: records before this sequence number. */
  before?: number;
  limit?: number;
}

export type LogRow = LogColumns;

/** The member keys a principal may see the exchanges of (null: all, for a sysadmin). */
async function visibleMembers(db: Db, p: Principal): Promise<string[] | null> {
  requireUser(p);
  if (p.user!.isSysadmin) return null;
  const orgs = [...p.memberships.keys()];
  if (!orgs.length) return [];
  const { rows } = await sql<{ key: string }>`
    select instance || '/' || member_class || '/' || member_code as key from xr_member where organization_id = any(${orgs}::uuid[])`.execute(db);
  return rows.map((r) => r.key);
}

const memberOf = (col: 'client' | 'service') => sql.raw(`split_part(${col}, '/', 1) || '/' || split_part(${col}, '/', 2) || '/' || split_part(${col}, '/', 3)`);

function when(v: string | undefined, field: string): Date | undefined {
  if (!v) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw badRequest('invalid_time', { vi: 'Thời điểm không hợp lệ (ISO 8601).', en: 'Not a valid time (ISO 8601).' }, field);
  return d;
}

/** Message-log records, newest first, that the principal may see (exchanges of their organizations' members). */
export async function searchLog(db: Db, p: Principal, f: LogFilter): Promise<{ items: LogRow[]; next: number | null }> {
  const visible = await visibleMembers(db, p);
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200);
  const conds: RawBuilder<unknown>[] = [sql`true`];
  if (visible) conds.push(sql`(${memberOf('client')} = any(${visible}::text[]) or ${memberOf('service')} = any(${visible}::text[]))`);
  if (f.client) conds.push(sql`(client = ${f.client} or client like ${`${f.client.replace(/[\\%_]/g, '\\$&')}/%`})`);
  if (f.service) conds.push(sql`(service = ${f.service} or service like ${`${f.service.replace(/[\\%_]/g, '\\$&')}/%`})`);
  if (f.status) {
    const s = f.status.trim().toLowerCase();
    if (/^[1-5]xx$/.test(s)) conds.push(sql`status / 100 = ${Number(s[0])}`);
    else if (s === 'error') conds.push(sql`error is not null`);
    else if (/^\d{3}$/.test(s)) conds.push(sql`status = ${Number(s)}`);
    else
      throw badRequest('invalid_status', { vi: 'Trạng thái: mã HTTP, 2xx/4xx/5xx hoặc error.', en: 'Status: an HTTP code, 2xx/4xx/5xx or error.' }, 'status');
  }
  const from = when(f.from, 'from');
  const to = when(f.to, 'to');
  if (from) conds.push(sql`at >= ${from}`);
  if (to) conds.push(sql`at < ${to}`);
  if (f.before) conds.push(sql`seq < ${f.before}`);
  const { rows } = await sql<LogRow>`
    select seq, at, message_id, client, service, method, path, status, error, duration_ms, node from xr_message_log
    where ${sql.join(conds, sql` and `)} order by seq desc limit ${limit + 1}`.execute(db);
  const items = rows.slice(0, limit).map((r) => ({ ...r, seq: Number(r.seq) }));
  return { items, next: rows.length > limit ? items[items.length - 1]!.seq : null };
}

/** Whether the principal may see this record (for its evidence). */
export async function mayReadRecord(db: Db, p: Principal, messageId: string): Promise<boolean> {
  const visible = await visibleMembers(db, p);
  const { rows } = await sql<{ ok: boolean }>`
    select ${visible === null ? sql`true` : sql`(${memberOf('client')} = any(${visible ?? []}::text[]) or ${memberOf('service')} = any(${visible ?? []}::text[]))`} as ok
    from xr_message_log where message_id = ${messageId} or seq::text = ${messageId} order by seq limit 1`.execute(db);
  return rows[0]?.ok === true;
}

export interface ServiceStats {
  service: string;
  calls: number;
  errors: number;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  last_at: Date | null;
}

/** Per-service calls, errors (5xx and platform errors) and latency percentiles over the last hours, from the log (every instance). */
export async function serviceStats(db: Db, p: Principal, hours: number): Promise<ServiceStats[]> {
  requireUser(p);
  const h = Math.min(Math.max(Math.round(hours), 1), 24 * 90);
  const { rows } = await sql<ServiceStats & { calls: string; errors: string }>`
    select coalesce(service, '(không xác định / unknown)') as service, count(*) as calls,
           count(*) filter (where status >= 500 or error is not null) as errors,
           percentile_cont(0.5) within group (order by duration_ms) as p50_ms,
           percentile_cont(0.95) within group (order by duration_ms) as p95_ms,
           percentile_cont(0.99) within group (order by duration_ms) as p99_ms,
           max(at) as last_at
    from xr_message_log where at > now() - make_interval(hours => ${h}) group by 1 order by 2 desc`.execute(db);
  return rows.map((r) => ({ ...r, calls: Number(r.calls), errors: Number(r.errors) }));
}

/** Bodies past their service's retention period (an hourly job). */
export const pruneBodies = async (db: Db) => Number((await sql`delete from xr_message_body where expires_at < now()`.execute(db)).numAffectedRows ?? 0);
