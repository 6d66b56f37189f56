import { Migrator, sql, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Db } from './connect.js';

/**
 * A migration as modules declare it. The name starts with the UTC time it was written
 * (`YYYYMMDDHHMMSS_module_what`), so names sort by creation across every module: a module added
 * early can add a migration years later and it still sorts after everything already applied.
 */
export interface AppMigration {
  name: string;
  up: string | ((db: Db) => Promise<void>);
}

export const MIGRATION_NAME = /^\d{14}_[a-z0-9]+(?:_[a-z0-9]+)*$/;

/**
 * Names used before migrations were timestamped, and what they are called now. Databases that ran
 * them under the old names are renamed in place before migrating (and backups are read through it).
 */
export const LEGACY_MIGRATION_NAMES: Readonly<Record<string, string>> = {
  '0001_extensions': '20261115090000_platform_extensions',
  '0010_platform_identity': '20261115090100_platform_identity',
  '0020_platform_audit': '20261115090200_platform_audit',
  '0030_platform_jobs': '20261115090300_platform_jobs',
  '0100_admin_units': '20261115090400_admin_units',
  '0200_organizations': '20261115090500_organizations',
  '0300_catalog': '20261120090000_catalog',
  '0310_catalog_search': '20261120090100_catalog_search',
  '0320_catalog_harvest': '20261120090200_catalog_harvest',
  '0330_catalog_search_txid': '20261125090000_catalog_search_txid',
};

export const currentMigrationName = (name: string): string => LEGACY_MIGRATION_NAMES[name] ?? name;

/** Every module's migrations in one list ordered by name; a malformed or repeated name is a boot error. */
export function sortMigrations(list: readonly AppMigration[]): AppMigration[] {
  const seen = new Set<string>();
  for (const m of list) {
    if (!MIGRATION_NAME.test(m.name)) throw new Error(`Migration name "${m.name}" must look like YYYYMMDDHHMMSS_module_what`);
    if (seen.has(m.name)) throw new Error(`Duplicate migration name ${m.name}`);
    seen.add(m.name);
  }
  return [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

class ListProvider implements MigrationProvider {
  constructor(private readonly list: readonly AppMigration[]) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const m of sortMigrations(this.list)) {
      out[m.name] = {
        up: async (db: Kysely<unknown>) => {
          if (typeof m.up === 'string') await sql.raw(m.up).execute(db);
          else await m.up(db as Db);
        },
      };
    }
    return out;
  }
}

const RENAME_LOCK = 7418262;

/** Renames rows of schema_migration written under legacy names (idempotent; under an advisory lock). */
async function renameLegacy(db: Db): Promise<void> {
  const { rows } = await sql<{ exists: boolean }>`select to_regclass('schema_migration') is not null as exists`.execute(db);
  if (!rows[0]?.exists) return;
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${RENAME_LOCK})`.execute(trx);
    for (const [from, to] of Object.entries(LEGACY_MIGRATION_NAMES)) {
      await sql`update schema_migration set name = ${to} where name = ${from}`.execute(trx);
    }
  });
}

/**
 * Applies pending migrations in name order, in one transaction each, under Kysely's advisory lock
 * (so concurrent starts are safe). Refuses to run when an applied migration is unknown or when a
 * pending one sorts before the last applied one (a truly out-of-order history, e.g. a migration
 * written with an old timestamp on a branch merged late).
 */
export async function migrateToLatest(db: Db, migrations: readonly AppMigration[]): Promise<string[]> {
  await renameLegacy(db);
  const migrator = new Migrator({
    db,
    provider: new ListProvider(migrations),
    migrationTableName: 'schema_migration',
    migrationLockTableName: 'schema_migration_lock',
  });
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const why = error instanceof Error ? error.message : String(error ?? '');
    throw new Error(`Migration failed${failed ? ` at ${failed.migrationName}` : ''}: ${why}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function appliedMigrations(db: Db): Promise<string[]> {
  try {
    const { rows } = await sql<{ name: string }>`select name from schema_migration order by name`.execute(db);
    return rows.map((r) => currentMigrationName(r.name));
  } catch {
    return [];
  }
}
