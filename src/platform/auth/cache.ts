import type { Principal } from './principal.js';

/**
 * A short-lived cache of resolved callers (by token or session hash), so an authenticated read
 * costs no extra queries. Any write that changes who may do what (token revoked, user disabled,
 * membership changed) clears it on this instance; other instances see the change within TTL_MS.
 */
const TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  principal: Principal;
  until: number;
  /** Token expiry: a cached token never outlives it. */
  expiresAt: number;
}

const entries = new Map<string, Entry>();

export function cachedPrincipal(key: string, now = Date.now()): Principal | undefined {
  const e = entries.get(key);
  if (!e) return undefined;
  if (e.until <= now || e.expiresAt <= now) {
    entries.delete(key);
    return undefined;
  }
  return e.principal;
}

export function cachePrincipal(key: string, principal: Principal, expiresAt: number | null, now = Date.now()): void {
  if (entries.size >= MAX_ENTRIES) entries.clear();
  entries.set(key, { principal, until: now + TTL_MS, expiresAt: expiresAt ?? Infinity });
}

export function invalidatePrincipals(): void {
  entries.clear();
}
