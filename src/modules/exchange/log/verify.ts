import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.js';
import type { LogColumns } from '../tables.js';
import { verifyStatement } from './keys.js';
import { canonicalRecord, chainHash, GENESIS, sha256Hex, type LogRecord } from './record.js';

export interface LogVerifyResult {
  ok: boolean;
  records: number;
  checkpoints: number;
  firstBad?: { seq: number; reason: string };
}

type Row = Omit<LogColumns, 'error' | 'duration_ms' | 'node'> & { record: string; content_digest: string; prev_hash: string; hash: string };

/** Whether the search columns say what the chained record says (an edit of either is caught). */
function columnsMatch(r: Row, rec: LogRecord): boolean {
  return (
    rec.seq === Number(r.seq) &&
    new Date(rec.at).getTime() === r.at.getTime() &&
    rec.message_id === r.message_id &&
    rec.client === r.client &&
    rec.service === r.service &&
    rec.method === r.method &&
    rec.path === r.path &&
    rec.status === r.status
  );
}

/**
 * Walks the whole chain (`tinhso exchange log verify`): numbering without gaps from 1, each
 * record's text canonical and matching its digest and its columns, each hash linking to the one
 * before; then every checkpoint's signature, and its hash against the record it names (so records
 * removed after a signed checkpoint are caught too). Reports the first bad record.
 */
export async function verifyLog(db: Db, onProgress?: (n: number) => void): Promise<LogVerifyResult> {
  let expected = 1;
  let prev = GENESIS;
  let records = 0;
  const hashes = new Map<number, string>();
  const cps = await sql<{ seq: string; hash: string; statement: string; signature: string; public_pem: string }>`
    select c.seq, c.hash, c.statement, c.signature, k.public_pem from xr_log_checkpoint c join xr_signing_key k on k.id = c.key_id order by c.seq`.execute(db);
  const cpSeqs = new Set(cps.rows.map((c) => Number(c.seq)));
  const bad = (seq: number, reason: string): LogVerifyResult => ({ ok: false, records, checkpoints: cps.rows.length, firstBad: { seq, reason } });
  for (;;) {
    const { rows } = await sql<Row>`
      select seq, at, message_id, client, service, method, path, status, record, content_digest, prev_hash, hash
      from xr_message_log where seq >= ${expected} order by seq limit 5000`.execute(db);
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expected) return bad(expected, `record ${expected} is missing (the next one is ${seq}): removed`);
      let rec: LogRecord;
      try {
        rec = JSON.parse(r.record) as LogRecord;
      } catch {
        return bad(seq, 'its record is not JSON: altered');
      }
      if (canonicalRecord(rec) !== r.record || sha256Hex(r.record) !== r.content_digest) return bad(seq, 'its content does not match its digest: altered');
      if (!columnsMatch(r, rec)) return bad(seq, 'its columns differ from its chained record: altered');
      if (r.prev_hash !== prev) return bad(seq, 'it does not link to the record before it: a record was inserted or removed before it');
      if (chainHash(prev, r.content_digest) !== r.hash) return bad(seq, 'its hash is wrong: altered');
      if (cpSeqs.has(seq)) hashes.set(seq, r.hash);
      prev = r.hash;
      expected += 1;
      records += 1;
    }
    onProgress?.(records);
    if (rows.length < 5000) break;
  }
  for (const c of cps.rows) {
    const seq = Number(c.seq);
    if (!verifyStatement(c.public_pem, c.statement, c.signature) || !c.statement.includes(`\nseq: ${seq}\nhash: ${c.hash}\n`))
      return bad(seq, 'the checkpoint at this record has a bad signature');
    const h = hashes.get(seq);
    if (h === undefined) return bad(seq, `the signed checkpoint names record ${seq}, which is missing: records were removed from the end`);
    if (h !== c.hash) return bad(seq, 'the chain does not reach the signed checkpoint at this record: records before it were altered');
  }
  return { ok: true, records, checkpoints: cps.rows.length };
}
