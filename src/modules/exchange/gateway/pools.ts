import { Pool } from 'undici';
import { isAllowedHost, publicLookup, refusedByName, type OutboundPolicy } from '../../../platform/net/index.js';

/**
 * Keep-alive connection pools to providers and upstream gateways, one per origin, under the
 * outbound policy: an internal address (by IP literal or by any DNS answer) only when the
 * operator allows the host — a registered service URL does not by itself open the internal
 * network.
 */
export class Pools {
  private pools = new Map<string, Pool>();

  constructor(private readonly policy: OutboundPolicy) {}

  /** The pool for a URL's origin, or null when the policy refuses the host outright. */
  of(url: URL, connectTimeoutMs: number): Pool | null {
    const origin = url.origin;
    let pool = this.pools.get(origin);
    if (pool) return pool;
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    const allowed = isAllowedHost(this.policy, url.hostname, port);
    if (!allowed && refusedByName(url.hostname)) return null;
    pool = new Pool(origin, {
      connections: 256,
      keepAliveTimeout: 30_000,
      connect: allowed ? { timeout: connectTimeoutMs } : { timeout: connectTimeoutMs, lookup: publicLookup },
    });
    this.pools.set(origin, pool);
    return pool;
  }

  async close(): Promise<void> {
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(all.map((p) => p.close().catch(() => undefined)));
  }
}
