import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allMigrations } from '../../src/app/index.js';
import { appliedMigrations, LEGACY_MIGRATION_NAMES, migrateToLatest, sortMigrations } from '../../src/platform/db/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

/** A name written "now": later than every migration the code has (as a newly written one would be). */
const later = (what: string) => `${String(Number(allMigrations().at(-1)!.name.slice(0, 14)) + 1)}_${what}`;
const NOTE = () => later('admin_units_note');

const tableExists = async (name: string) => (await sql<{ ok: boolean }>`select to_regclass(${name}) is not null as ok`.execute(t.db)).rows[0]!.ok;

describe('migrations', () => {
  it('orders every module’s migrations by their timestamped names and refuses malformed or repeated names', () => {
    const names = allMigrations().map((m) => m.name);
    expect(names).toEqual([...names].sort());
    expect(names[0]).toBe('20261115090000_platform_extensions');
    expect(() => sortMigrations([{ name: '0400_datastore', up: '' }])).toThrow(/YYYYMMDDHHMMSS/);
    expect(() =>
      sortMigrations([
        { name: '20270101000000_x', up: '' },
        { name: '20270101000000_x', up: '' },
      ]),
    ).toThrow(/Duplicate/);
  });

  it('applies a migration added later to an early module on a database that already ran later modules’ migrations', async () => {
    const applied = await appliedMigrations(t.db);
    expect(applied).toContain('20261125090000_catalog_search_txid'); // a later module's last migration
    // admin-units is the first module; its new migration is written today, so it sorts last.
    const added = { name: NOTE(), up: 'create table admin_unit_note (code text primary key, note text)' };
    expect(await migrateToLatest(t.db, [...allMigrations(), added])).toEqual([added.name]);
    expect(await tableExists('admin_unit_note')).toBe(true);
    expect(await migrateToLatest(t.db, [...allMigrations(), added])).toEqual([]);
  });

  it('refuses a pending migration that sorts before one already applied, and applies nothing', async () => {
    const stale = { name: '20261116000000_organizations_stale_branch', up: 'create table stale_branch (x int)' };
    await expect(migrateToLatest(t.db, [...allMigrations(), { name: NOTE(), up: '' }, stale])).rejects.toThrow(
      /Migration failed.*20261116000000_organizations_stale_branch|corrupted/,
    );
    expect(await tableExists('stale_branch')).toBe(false);
  });

  it('renames migrations a database ran under their legacy names and re-applies none of them', async () => {
    for (const [old, now] of Object.entries(LEGACY_MIGRATION_NAMES)) await sql`update schema_migration set name = ${old} where name = ${now}`.execute(t.db);
    const before = (await sql<{ name: string }>`select name from schema_migration`.execute(t.db)).rows.map((r) => r.name);
    expect(before).toContain('0300_catalog');
    expect(await migrateToLatest(t.db, [...allMigrations(), { name: NOTE(), up: '' }])).toEqual([]);
    const after = (await sql<{ name: string }>`select name from schema_migration`.execute(t.db)).rows.map((r) => r.name);
    expect(after.filter((n) => n in LEGACY_MIGRATION_NAMES)).toEqual([]);
    expect(after).toContain('20261120090000_catalog');
  });
});
