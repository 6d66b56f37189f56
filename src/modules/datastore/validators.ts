import crypto from 'node:crypto';
import type { RowScope } from './scope.js';
import type { DatastoreTableRow } from './tables.js';

/** An export's HTTP validators: what a mirroring portal's conditional GET is answered 304 by. */
export interface Validators {
  etag: string;
  lastModified: string;
  modifiedMs: number;
}

/**
 * The table's version and last write (a load, an upsert, a delete) identify its content; a reader
 * narrowed by row-level sharing gets a tag of its own rows (the scope's codes are part of it).
 */
export function validatorsOf(table: Pick<DatastoreTableRow, 'version' | 'updated_at'>, scope: RowScope | null): Validators {
  const of = scope ? crypto.createHash('sha256').update(JSON.stringify(scope)).digest('base64url').slice(0, 12) : 'all';
  return {
    etag: `"${table.version}-${table.updated_at.getTime().toString(36)}-${of}"`,
    lastModified: table.updated_at.toUTCString(),
    modifiedMs: table.updated_at.getTime(),
  };
}

/**
 * RFC 9110 §13.1: If-None-Match (weak comparison, `*` included) decides when present; otherwise
 * If-Modified-Since, at the one-second resolution of an HTTP date.
 */
export function notModified(headers: Record<string, string | string[] | undefined>, v: Validators, now = Date.now()): boolean {
  const inm = headers['if-none-match'];
  if (typeof inm === 'string') {
    const tags = inm.split(',').map((t) => t.trim().replace(/^W\//, ''));
    return tags.includes('*') || tags.includes(v.etag);
  }
  const ims = headers['if-modified-since'];
  if (typeof ims !== 'string') return false;
  const since = Date.parse(ims);
  // A write in the second the client last read could hide behind the date's resolution: a table written within the
  // last second is sent in full to a date-only client.
  if (!Number.isFinite(since) || now - v.modifiedMs < 1000) return false;
  return Math.floor(v.modifiedMs / 1000) <= Math.floor(since / 1000);
}
