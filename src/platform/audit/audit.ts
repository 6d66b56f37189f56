import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import { defineJob } from '../jobs/index.js';
import { auditHash, GENESIS_HASH, type HashedFields } from './hash.js';

type AuditTables = {
  audit_log: HashedFields & { hash: string };
};

/** Who did it and from where; filled from the request by the HTTP layer. */
export interface AuditActor {
  userId: string | null;
  label: string | null;
  ip: string | null;
}

/** Verifies every chain in the background (`POST /api/v1/audit/verify`, `tinhso audit verify --job`). */
export const AUDIT_VERIFY_JOB = defineJob('audit.verify');

export const SYSTEM_ACTOR: AuditActor = { userId: null, label: 'system', ip: null };

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Appends one record to the hash chain. Call it inside the transaction of the write it describes,
 * so the record and the change commit together. A transaction-scoped advisory lock serialises
 * writers so the chain never forks.
 */
export async function recordAudit(trx: Db, actor: AuditActor, entry: AuditEntry): Promise<void> {
  await recordAudits(trx, actor, [entry]);
}

/**
 * Appends entries to the chain in one statement. The chain's lock is held from here to commit,
 * so bulk writers (harvest batches) call this once, at the end of their transaction.
 */
export async function recordAudits(trx: Db, actor: AuditActor, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const q = trx.withTables<AuditTables>();
  await sql`select pg_advisory_xact_lock(7418260)`.execute(trx);
  const last = await q.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  let seq = last ? Number(last.seq) : 0;
  let prev = last?.hash ?? GENESIS_HASH;
  const at = new Date();
  const values = entries.map((entry) => {
    const row: HashedFields = {
      seq: ++seq,
      at,
      actor_id: actor.userId,
      actor_label: actor.label,
      ip: actor.ip,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId ?? null,
      details: entry.details ?? {},
      prev_hash: prev,
    };
    prev = auditHash(row);
    return { ...row, details: JSON.stringify(row.details), hash: prev };
  });
  await q
    .insertInto('audit_log')
    .values(values as never)
    .execute();
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBad?: { seq: number; reason: string };
}

/** Walks the chain in order, recomputing every hash; reports the first record that does not fit. */
export async function verifyAudit(db: Db, onProgress?: (done: number) => void): Promise<VerifyResult> {
  const q = db.withTables<AuditTables>();
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  const page = 5000;
  for (;;) {
    const rows = await q.selectFrom('audit_log').selectAll().where('seq', '>=', expectedSeq).orderBy('seq').limit(page).execute();
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expectedSeq) {
        return { ok: false, checked, firstBad: { seq, reason: `expected record ${expectedSeq}, found ${seq} (records removed or renumbered)` } };
      }
      if (r.prev_hash !== prevHash) {
        return { ok: false, checked, firstBad: { seq, reason: 'prev_hash does not match the previous record (record inserted or removed before it)' } };
      }
      const recomputed = auditHash({ ...r, seq, at: new Date(r.at) });
      if (recomputed !== r.hash) {
        return { ok: false, checked, firstBad: { seq, reason: 'content does not match its hash (record altered)' } };
      }
      prevHash = r.hash;
      expectedSeq += 1;
      checked += 1;
    }
    onProgress?.(checked);
    if (rows.length < page) break;
  }
  return { ok: true, checked };
}

export async function listAudit(db: Db, opts: { limit: number; entityType?: string; entityId?: string; beforeSeq?: number }) {
  let query = db.withTables<AuditTables>().selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(opts.limit);
  if (opts.entityType) query = query.where('entity_type', '=', opts.entityType);
  if (opts.entityId) query = query.where('entity_id', '=', opts.entityId);
  if (opts.beforeSeq) query = query.where('seq', '<', opts.beforeSeq);
  return query.execute();
}

export async function countAudit(db: Db): Promise<number> {
  const r = await db
    .withTables<AuditTables>()
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
