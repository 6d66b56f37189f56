import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.js';

/** Marks the registry changed: every gateway instance reloads it within a second. */
export async function bumpRegistry(db: Db): Promise<void> {
  await sql`insert into xr_registry (id, version) values (true, 1) on conflict (id) do update set version = xr_registry.version + 1`.execute(db);
}

export async function registryVersion(db: Db): Promise<{ version: number; instance: string | null }> {
  const { rows } = await sql<{ version: string; instance: string | null }>`select version, instance from xr_registry`.execute(db);
  return { version: Number(rows[0]?.version ?? 0), instance: rows[0]?.instance ?? null };
}
