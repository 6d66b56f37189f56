import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.js';

/**
 * The monthly partitions of sta_observation, made as data arrives. Known ones are remembered
 * (read from the catalog on first use), so a write normally runs no DDL. A new month's partition
 * is created before the write's transaction opens, on a connection of its own (so it is there,
 * committed, whatever the write does; `if not exists`: two writers creating it at once both go on).
 */
export class Partitions {
  private known: Set<string> | undefined;

  private static nameOf(d: Date): string {
    return `sta_observation_y${d.getUTCFullYear()}m${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  }

  async ensure(db: Db, times: Iterable<Date>): Promise<void> {
    this.known ??= new Set(
      (
        await sql<{
          name: string;
        }>`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'sta_observation'::regclass`.execute(db)
      ).rows.map((r) => r.name),
    );
    const months = new Map<string, Date>();
    for (const t of times) {
      const m = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 1));
      months.set(Partitions.nameOf(m), m);
    }
    for (const [name, from] of months) {
      if (this.known.has(name)) continue;
      const to = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1));
      try {
        await sql`create table if not exists ${sql.table(name)} partition of sta_observation for values from (${sql.lit(from.toISOString())}) to (${sql.lit(to.toISOString())})`.execute(
          db,
        );
      } catch (e) {
        // Another writer made it at the same moment.
        if (!['42P07', '23505'].includes((e as { code?: string }).code ?? '')) throw e;
      }
      this.known.add(name);
    }
  }

  /** Forgets what it knows (a test that drops the tables). */
  reset(): void {
    this.known = undefined;
  }
}
