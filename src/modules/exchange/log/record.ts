import crypto from 'node:crypto';

/**
 * One exchange as the message log keeps it. The canonical text of a record is JSON with the keys
 * in this order; its SHA-256 is the content digest, and the chain hash of record n is
 * SHA-256(hex hash of record n−1 ‖ hex content digest of record n) over the 128 ASCII characters,
 * starting from 64 zeros. That is all a verifier (or a shell with openssl) needs.
 */
export interface LogEntry {
  message_id: string;
  request_id: string;
  client: string | null;
  service: string | null;
  method: string;
  path: string;
  user_id: string | null;
  issue: string | null;
  status: number;
  error: string | null;
  duration_ms: number;
  bytes_in: number;
  bytes_out: number | null;
  request_hash: string | null;
  request_body_sha256: string | null;
  response_body_sha256: string | null;
}

export interface LogRecord extends LogEntry {
  seq: number;
  at: string;
  node: string;
}

export const GENESIS = '0'.repeat(64);

/** The record's canonical text: these keys in this order (an object literal keeps its order). */
export const canonicalRecord = (r: LogRecord): string =>
  JSON.stringify({
    seq: r.seq,
    at: r.at,
    node: r.node,
    message_id: r.message_id,
    request_id: r.request_id,
    client: r.client ?? null,
    service: r.service ?? null,
    method: r.method,
    path: r.path,
    user_id: r.user_id ?? null,
    issue: r.issue ?? null,
    status: r.status,
    error: r.error ?? null,
    duration_ms: r.duration_ms,
    bytes_in: r.bytes_in,
    bytes_out: r.bytes_out ?? null,
    request_hash: r.request_hash ?? null,
    request_body_sha256: r.request_body_sha256 ?? null,
    response_body_sha256: r.response_body_sha256 ?? null,
  });

export const sha256Hex = (s: string | Buffer) => crypto.createHash('sha256').update(s).digest('hex');
export const chainHash = (prev: string, digest: string) => sha256Hex(prev + digest);
