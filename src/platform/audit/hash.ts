import crypto from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level, so jsonb's own key order does not matter. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export interface HashedFields {
  seq: number;
  at: Date;
  actor_id: string | null;
  actor_label: string | null;
  ip: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  details: unknown;
  prev_hash: string;
}

export function auditHash(r: HashedFields): string {
  const payload = canonicalJson([r.seq, r.at.toISOString(), r.actor_id, r.actor_label, r.ip, r.action, r.entity_type, r.entity_id, r.details, r.prev_hash]);
  return crypto.createHash('sha256').update(payload).digest('hex');
}
