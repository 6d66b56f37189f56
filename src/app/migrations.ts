import { auditMigrations } from '../platform/audit/index.js';
import { authMigrations } from '../platform/auth/index.js';
import { sortMigrations, type AppMigration } from '../platform/db/index.js';
import { jobsMigrations } from '../platform/jobs/index.js';
import { storageMigrations } from '../platform/storage/index.js';
import { createModules } from './modules.js';

const EXTENSIONS: AppMigration = {
  name: '20261115090000_platform_extensions',
  up: `create extension if not exists pg_trgm; create extension if not exists unaccent;`,
};

/** Every migration of the platform and the modules, ordered by name (their creation time). */
export function allMigrations(): AppMigration[] {
  return sortMigrations([
    EXTENSIONS,
    ...authMigrations,
    ...auditMigrations,
    ...jobsMigrations,
    ...storageMigrations,
    ...createModules().flatMap((m) => m.migrations),
  ]);
}
