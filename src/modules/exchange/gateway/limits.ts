import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.js';

type Kind = 'minute' | 'day';
const WINDOW: Record<Kind, number> = { minute: 60_000, day: 86_400_000 };
const SYNC_MS = 250;

interface Counter {
  start: number;
  /** Calls here not yet added to the shared counter. */
  local: number;
  /** The shared count (every instance) at the last sync. */
  shared: number;
}

/**
 * Per-client rate limits (calls per minute) and quotas (calls per day) shared by every gateway
 * instance without a database round trip per call: each instance counts locally and adds its
 * counts to `xr_rate_counter` every 250 ms, reading back the total. A client can overshoot a
 * limit by at most what other instances admitted in that interval.
 */
export class RateLimiter {
  private counters = new Map<string, Counter>();
  private timer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> | undefined;

  constructor(private readonly db: Db) {}

  /**
   * This window's counter; the first call of a client in a window on this instance reads the
   * shared count first (one query per client and window), so a limit reached through other
   * instances holds here too.
   */
  private async counter(client: string, kind: Kind, now: number): Promise<Counter> {
    const start = now - (now % WINDOW[kind]);
    const key = `${kind}\u0000${client}`;
    const c = this.counters.get(key);
    if (c && c.start === start) return c;
    const { rows } = await sql<{ count: string }>`
      select count from xr_rate_counter where client = ${client} and window_kind = ${kind} and window_start = ${new Date(start)}`.execute(this.db);
    const again = this.counters.get(key);
    if (again && again.start === start) return again;
    const fresh = { start, local: 0, shared: Number(rows[0]?.count ?? 0) };
    this.counters.set(key, fresh);
    return fresh;
  }

  /** Admits one call, or says how many seconds until the client may call again. */
  async take(client: string, perMinute: number | null, perDay: number | null): Promise<{ ok: true } | { ok: false; retryAfter: number; kind: Kind }> {
    if (!perMinute && !perDay) return { ok: true };
    const now = Date.now();
    const checks: [Kind, number][] = [];
    if (perMinute) checks.push(['minute', perMinute]);
    if (perDay) checks.push(['day', perDay]);
    const counters = await Promise.all(checks.map(([kind]) => this.counter(client, kind, now)));
    for (let i = 0; i < checks.length; i++) {
      const [kind, limit] = checks[i]!;
      const c = counters[i]!;
      if (c.local + c.shared >= limit) return { ok: false, retryAfter: Math.ceil((c.start + WINDOW[kind] - now) / 1000), kind };
    }
    for (const c of counters) c.local += 1;
    return { ok: true };
  }

  /** Adds the local counts to the shared counters and reads the totals back. */
  sync(): Promise<void> {
    if (this.syncing) return this.syncing;
    this.syncing = (async () => {
      {
        const rows = [...this.counters.entries()].map(([key, c]) => {
          const [kind, client] = key.split('\u0000') as [Kind, string];
          return { kind, client, c, add: c.local };
        });
        if (!rows.length) return;
        const { rows: totals } = await sql<{ client: string; window_kind: Kind; count: string }>`
          insert into xr_rate_counter (client, window_kind, window_start, count)
          select * from unnest(${rows.map((r) => r.client)}::text[], ${rows.map((r) => r.kind)}::text[],
                               ${rows.map((r) => new Date(r.c.start))}::timestamptz[], ${rows.map((r) => r.add)}::bigint[])
          on conflict (client, window_kind, window_start) do update set count = xr_rate_counter.count + excluded.count
          returning client, window_kind, count`.execute(this.db);
        for (const r of rows) {
          r.c.local -= r.add;
          const t = totals.find((x) => x.client === r.client && x.window_kind === r.kind);
          if (t) r.c.shared = Number(t.count);
        }
        const now = Date.now();
        for (const [key, c] of this.counters) if (c.local === 0 && c.start + WINDOW[key.startsWith('day') ? 'day' : 'minute'] < now) this.counters.delete(key);
      }
    })().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  start(): void {
    this.timer = setInterval(() => void this.sync().catch(() => undefined), SYNC_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sync().catch(() => undefined);
  }
}

/** Old windows' counters (a daily job). */
export const pruneRateCounters = (db: Db) => sql`delete from xr_rate_counter where window_start < now() - interval '2 days'`.execute(db);
