import { auditMigrations } from '../platform/audit/index.js';
import { authMigrations } from '../platform/auth/index.js';
import type { AppMigration } from '../platform/db/index.js';
import { jobsMigrations } from '../platform/jobs/index.js';
import { modules } from './modules.js';

const EXTENSIONS: AppMigration = {
  name: '0001_extensions',
  up: `create extension if not exists pg_trgm; create extension if not exists unaccent;`,
};

/** The one ordered list of migrations: platform first, then each module's. */
export function allMigrations(): AppMigration[] {
  const list = [EXTENSIONS, ...authMigrations, ...auditMigrations, ...jobsMigrations, ...modules.flatMap((m) => m.migrations)];
  const sorted = [...list].sort((a, b) => a.name.localeCompare(b.name));
  if (sorted.some((m, i) => m !== list[i])) throw new Error('Migrations must be declared in name order');
  return list;
}
