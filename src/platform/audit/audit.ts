import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import { defineJob } from '../jobs/index.js';
import { auditHash, GENESIS_HASH, type HashedFields } from './hash.js';

type AuditTables = {
  audit_log: HashedFields & { stream: string; hash: string };
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

/** The stream of the platform's own audit trail; other tamper-evident logs (exchange, alerts) name theirs. */
export const AUDIT_STREAM = 'audit';
const LOCK_CLASS = 7418260;

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Appends one record to the hash chain. Call it inside the transaction of the write it describes,
 * so the record and the change commit together.
 */
export async function recordAudit(trx: Db, actor: AuditActor, entry: AuditEntry, stream = AUDIT_STREAM): Promise<void> {
  await recordAudits(trx, actor, [entry], stream);
}

/**
 * Appends entries to one stream's chain in one statement. A transaction-scoped advisory lock per
 * stream serialises that stream's writers (so its chain never forks) and is held to commit, so
 * bulk writers (harvest batches) call this once, at the end of their transaction. Writers of
 * other streams never wait for it.
 */
export async function recordAudits(trx: Db, actor: AuditActor, entries: AuditEntry[], stream = AUDIT_STREAM): Promise<void> {
  if (entries.length === 0) return;
  const q = trx.withTables<AuditTables>();
  await sql`select pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(${stream}))`.execute(trx);
  const last = await q.selectFrom('audit_log').select(['seq', 'hash']).where('stream', '=', stream).orderBy('seq', 'desc').limit(1).executeTakeFirst();
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
    return { ...row, stream, details: JSON.stringify(row.details), hash: prev };
  });
  await q
    .insertInto('audit_log')
    .values(values as never)
    .execute();
}

export interface ChainResult {
  stream: string;
  ok: boolean;
  checked: number;
  firstBad?: { seq: number; reason: string };
}

export interface VerifyResult {
  ok: boolean;
  /** Records checked in every chain. */
  checked: number;
  /** The first bad record of the first broken chain. */
  firstBad?: { stream: string; seq: number; reason: string };
  chains: ChainResult[];
}

/** Walks one chain in order, recomputing every hash; reports the first record that does not fit. */
async function verifyChain(db: Db, stream: string, onProgress: (done: number) => void): Promise<ChainResult> {
  const q = db.withTables<AuditTables>();
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  const page = 5000;
  const bad = (seq: number, reason: string): ChainResult => ({ stream, ok: false, checked, firstBad: { seq, reason } });
  for (;;) {
    const rows = await q.selectFrom('audit_log').selectAll().where('stream', '=', stream).where('seq', '>=', expectedSeq).orderBy('seq').limit(page).execute();
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expectedSeq) return bad(seq, `expected record ${expectedSeq}, found ${seq} (records removed or renumbered)`);
      if (r.prev_hash !== prevHash) return bad(seq, 'prev_hash does not match the previous record (record inserted or removed before it)');
      if (auditHash({ ...r, seq, at: new Date(r.at) }) !== r.hash) return bad(seq, 'content does not match its hash (record altered)');
      prevHash = r.hash;
      expectedSeq += 1;
      checked += 1;
    }
    onProgress(checked);
    if (rows.length < page) break;
  }
  return { stream, ok: true, checked };
}

/** Verifies every stream's chain (`tinhso audit verify`). */
export async function verifyAudit(db: Db, onProgress?: (done: number) => void): Promise<VerifyResult> {
  const { rows } = await sql<{ stream: string }>`select distinct stream from audit_log order by stream`.execute(db);
  const chains: ChainResult[] = [];
  let before = 0;
  for (const { stream } of rows) {
    const chain = await verifyChain(db, stream, (done) => onProgress?.(before + done));
    chains.push(chain);
    before += chain.checked;
  }
  const broken = chains.find((c) => !c.ok);
  return {
    ok: !broken,
    checked: before,
    chains,
    ...(broken?.firstBad ? { firstBad: { stream: broken.stream, ...broken.firstBad } } : {}),
  };
}

export async function listAudit(db: Db, opts: { limit: number; stream?: string; entityType?: string; entityId?: string; beforeSeq?: number }) {
  let query = db
    .withTables<AuditTables>()
    .selectFrom('audit_log')
    .selectAll()
    .where('stream', '=', opts.stream ?? AUDIT_STREAM)
    .orderBy('seq', 'desc')
    .limit(opts.limit);
  if (opts.entityType) query = query.where('entity_type', '=', opts.entityType);
  if (opts.entityId) query = query.where('entity_id', '=', opts.entityId);
  if (opts.beforeSeq) query = query.where('seq', '<', opts.beforeSeq);
  return query.execute();
}

/** Records in every stream. */
export async function countAudit(db: Db): Promise<number> {
  const r = await db
    .withTables<AuditTables>()
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
