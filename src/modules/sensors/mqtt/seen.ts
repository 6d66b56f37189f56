import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.js';

/** How long a message's key is remembered: far longer than any client takes to reconnect and resend. */
export const SEEN_FOR_HOURS = 6;

/** The repository of messages already taken in (sta_mqtt_seen). */
export const seenRepo = {
  async which(db: Db, keys: string[]): Promise<Set<string>> {
    if (!keys.length) return new Set();
    const rows = (await sql<{ key: string }>`select key from sta_mqtt_seen where key = any(${keys}::text[])`.execute(db)).rows;
    return new Set(rows.map((r) => r.key));
  },
  async add(db: Db, keys: string[]): Promise<void> {
    if (keys.length) await sql`insert into sta_mqtt_seen (key) select unnest(${keys}::text[]) on conflict do nothing`.execute(db);
  },
  async prune(db: Db): Promise<number> {
    const r = await sql`delete from sta_mqtt_seen where at < now() - make_interval(hours => ${SEEN_FOR_HOURS})`.execute(db);
    return Number(r.numAffectedRows ?? 0);
  },
};
