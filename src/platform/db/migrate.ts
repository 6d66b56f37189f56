import { Migrator, sql, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Db } from './connect.js';

/** A migration as modules declare it: a globally ordered name and the SQL that applies it. */
export interface AppMigration {
  /** `NNNN_module_what`: the number orders migrations across all modules. */
  name: string;
  up: string | ((db: Db) => Promise<void>);
}

class ListProvider implements MigrationProvider {
  constructor(private readonly list: readonly AppMigration[]) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const m of this.list) {
      if (out[m.name]) throw new Error(`Duplicate migration name ${m.name}`);
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

/**
 * Applies pending migrations in name order, in one transaction each, under Kysely's advisory lock
 * (so concurrent starts are safe). Refuses to run when an applied migration is unknown or when a
 * new one sorts before an applied one.
 */
export async function migrateToLatest(db: Db, migrations: readonly AppMigration[]): Promise<string[]> {
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
    return rows.map((r) => r.name);
  } catch {
    return [];
  }
}
