import { sql } from 'kysely';
import { migrateToLatest, type Db } from '../platform/db/index.js';
import type { FileStore } from '../platform/storage/index.js';
import { seedDemo } from './demo.js';
import { allMigrations } from './migrations.js';
import { createModules } from './modules.js';

const SEED_LOCK = 7418261;

/**
 * Migrations (under Kysely's lock), then reference data and, when asked, demo data — seeded on one
 * connection holding an advisory lock, so instances starting together do not seed twice.
 */
export async function prepareDatabase(db: Db, opts: { demo: boolean; files?: FileStore; log?: (m: string) => void }): Promise<{ demoPassword?: string }> {
  const applied = await migrateToLatest(db, allMigrations());
  if (applied.length) opts.log?.(`applied ${applied.length} migration(s): ${applied.join(', ')}`);
  const modules = createModules();
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${SEED_LOCK})`.execute(conn);
    try {
      for (const m of modules) await m.seedReference?.(conn);
      if (opts.demo) {
        if (!opts.files) throw new Error('demo data needs a file store');
        const demoPassword = await seedDemo(conn, opts.log);
        for (const m of modules) await m.seedDemo?.(conn, { files: opts.files, pool: db });
        return { demoPassword };
      }
      return {};
    } finally {
      await sql`select pg_advisory_unlock(${SEED_LOCK})`.execute(conn);
    }
  });
}
