import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.js';
import type { MessageLog } from './writer.js';

/**
 * The evidence of one exchange that a third party can check with openssl alone: the record as it
 * was hashed, the hash before it, the content digests of the records up to the next signed
 * checkpoint, the checkpoint's statement and signature, and the public key. `VERIFY_SH` is the
 * whole procedure.
 */
export interface Evidence {
  seq: number;
  message_id: string;
  record: string;
  prev_hash: string;
  record_hash: string;
  chain: string[];
  checkpoint: { seq: number; statement: string; signature: string };
  public_key: string;
}

export async function evidenceFor(db: Db, log: MessageLog, messageId: string): Promise<Evidence | undefined> {
  const r = await sql<{ seq: string; record: string; prev_hash: string; hash: string; message_id: string }>`
    select seq, record, prev_hash, hash, message_id from xr_message_log where message_id = ${messageId} or seq::text = ${messageId} order by seq limit 1`.execute(
    db,
  );
  const rec = r.rows[0];
  if (!rec) return undefined;
  const seq = Number(rec.seq);
  const findCp = () =>
    sql<{ seq: string; statement: string; signature: string; public_pem: string }>`
      select c.seq, c.statement, c.signature, k.public_pem from xr_log_checkpoint c join xr_signing_key k on k.id = c.key_id
      where c.seq >= ${seq} order by c.seq limit 1`.execute(db);
  let cp = (await findCp()).rows[0];
  if (!cp) {
    await log.checkpoint(true);
    cp = (await findCp()).rows[0];
  }
  if (!cp) return undefined;
  const chain = await sql<{ content_digest: string }>`
    select content_digest from xr_message_log where seq > ${seq} and seq <= ${cp.seq} order by seq`.execute(db);
  return {
    seq,
    message_id: rec.message_id,
    record: rec.record,
    prev_hash: rec.prev_hash,
    record_hash: rec.hash,
    chain: chain.rows.map((c) => c.content_digest),
    checkpoint: { seq: Number(cp.seq), statement: cp.statement, signature: cp.signature },
    public_key: cp.public_pem,
  };
}

/** The files of an evidence folder (what `tinhso exchange log evidence ID --out DIR` writes). */
export function evidenceFiles(e: Evidence): Record<string, string | Buffer> {
  return {
    'record.json': e.record,
    'prev_hash.txt': `${e.prev_hash}\n`,
    'record_hash.txt': `${e.record_hash}\n`,
    'chain.txt': e.chain.map((d) => `${d}\n`).join(''),
    'checkpoint.txt': e.checkpoint.statement,
    'checkpoint.sig': Buffer.from(e.checkpoint.signature, 'base64'),
    'public.pem': e.public_key,
    'verify.sh': VERIFY_SH,
  };
}

/** The procedure, in a POSIX shell with openssl: no Tỉnh Số code is trusted. */
export const VERIFY_SH = `#!/bin/sh
# Checks this evidence folder with openssl alone. Exit 0 and "OK" when the record is in the
# exchange log's hash chain up to a checkpoint signed by the key in public.pem.
set -eu
cd "$(dirname "$0")"
sha() { openssl dgst -sha256 -r | cut -c1-64; }
d=$(sha < record.json)
h=$(printf '%s%s' "$(cat prev_hash.txt)" "$d" | sha)
[ "$h" = "$(cat record_hash.txt)" ] || { echo "record does not match its hash"; exit 1; }
for d in $(cat chain.txt); do h=$(printf '%s%s' "$h" "$d" | sha); done
grep -qx "hash: $h" checkpoint.txt || { echo "the chain does not reach the checkpoint"; exit 1; }
openssl dgst -sha256 -verify public.pem -signature checkpoint.sig checkpoint.txt >/dev/null || { echo "bad checkpoint signature"; exit 1; }
echo OK
`;
