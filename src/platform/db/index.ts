export { connect, inTransaction, ping, withClient, type Database, type Db } from './connect.js';
export { migrateToLatest, appliedMigrations, sortMigrations, currentMigrationName, LEGACY_MIGRATION_NAMES, type AppMigration } from './migrate.js';
export { startEmbedded, findRunningEmbedded, APP_DATABASE, type EmbeddedHandle } from './embedded.js';
export { freePort } from './free-port.js';
export { isAlive, readRuntime } from './runtime-file.js';
export { backupDatabase, restoreTables, readBackupHeader, resetPublicSchema, type BackupHeader } from './backup.js';
export type { TableOf } from './table-types.js';
