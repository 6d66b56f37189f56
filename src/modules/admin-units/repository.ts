import { sql } from 'kysely';
import type { Db } from '../../platform/db/index.js';
import type { AdminUnitRow, AdminUnitTables, LinkKind } from './tables.js';

const q = (db: Db) => db.withTables<AdminUnitTables>();
const columns = ['code', 'name', 'name_en', 'level', 'type', 'parent_code', 'valid_from', 'valid_to'] as const;

export type UnitRow = Pick<AdminUnitRow, (typeof columns)[number]>;
export type LinkedUnitRow = UnitRow & { kind: LinkKind };

/** Dates are 'YYYY-MM-DD' (or '-infinity'/'infinity' for a version's own bounds). */
export const unitsRepo = {
  /** The version of `code` valid on `at`. */
  at: (db: Db, code: string, at: string) =>
    q(db)
      .selectFrom('admin_unit')
      .select(columns)
      .where('code', '=', code)
      .where('valid_from', '<=', at)
      .where('valid_to', '>', at)
      .executeTakeFirst() as Promise<UnitRow | undefined>,
  /** Every version of `code`, latest first. */
  versions: (db: Db, code: string) =>
    q(db).selectFrom('admin_unit').select(columns).where('code', '=', code).orderBy('valid_from', 'desc').execute() as Promise<UnitRow[]>,
  /** Units under `parentCode` valid on `at`. */
  children: (db: Db, parentCode: string, at: string) =>
    q(db)
      .selectFrom('admin_unit')
      .select(columns)
      .where('parent_code', '=', parentCode)
      .where('valid_from', '<=', at)
      .where('valid_to', '>', at)
      .orderBy('code')
      .execute() as Promise<UnitRow[]>,
  provinces: (db: Db, at: string) =>
    q(db)
      .selectFrom('admin_unit')
      .select(columns)
      .where('level', '=', 'province')
      .where('valid_from', '<=', at)
      .where('valid_to', '>', at)
      .orderBy('code')
      .execute() as Promise<UnitRow[]>,
  /** The chain of parents of a version, province first (each parent taken as valid when the unit starts). */
  parents: async (db: Db, code: string, validFrom: string): Promise<UnitRow[]> => {
    const { rows } = await sql<UnitRow & { depth: number }>`
      with recursive up as (
        select p.code, p.name, p.name_en, p.level, p.type, p.parent_code, p.valid_from, p.valid_to, 1 as depth, u.valid_from as at
        from admin_unit u
        join admin_unit p on p.code = u.parent_code and p.valid_from <= u.valid_from and p.valid_to > u.valid_from
        where u.code = ${code} and u.valid_from = ${validFrom}::date
        union all
        select p.code, p.name, p.name_en, p.level, p.type, p.parent_code, p.valid_from, p.valid_to, up.depth + 1, up.at
        from up
        join admin_unit p on p.code = up.parent_code and p.valid_from <= up.at and p.valid_to > up.at
        where up.depth < 5
      )
      select code, name, name_en, level, type, parent_code, valid_from::text as valid_from, valid_to::text as valid_to, depth
      from up order by depth desc`.execute(db);
    return rows.map(({ depth: _depth, ...r }) => r);
  },
  /** Units this version's area went into (old → new). */
  successors: (db: Db, code: string, validFrom: string) =>
    q(db)
      .selectFrom('admin_unit_link as l')
      .innerJoin('admin_unit as u', (j) => j.onRef('u.code', '=', 'l.to_code').onRef('u.valid_from', '=', 'l.to_valid_from'))
      .select(['u.code', 'u.name', 'u.name_en', 'u.level', 'u.type', 'u.parent_code', 'u.valid_from', 'u.valid_to', 'l.kind'])
      .where('l.from_code', '=', code)
      .where('l.from_valid_from', '=', validFrom)
      .orderBy('u.code')
      .execute() as Promise<LinkedUnitRow[]>,
  /** Units whose area went into this version (new ← old). */
  predecessors: (db: Db, code: string, validFrom: string) =>
    q(db)
      .selectFrom('admin_unit_link as l')
      .innerJoin('admin_unit as u', (j) => j.onRef('u.code', '=', 'l.from_code').onRef('u.valid_from', '=', 'l.from_valid_from'))
      .select(['u.code', 'u.name', 'u.name_en', 'u.level', 'u.type', 'u.parent_code', 'u.valid_from', 'u.valid_to', 'l.kind'])
      .where('l.to_code', '=', code)
      .where('l.to_valid_from', '=', validFrom)
      .orderBy('u.code')
      .execute() as Promise<LinkedUnitRow[]>,
  /** Every version of every unit (for the in-memory resolver). */
  /**
   * A unit with every unit under it (any version) and the units merged whole into one of them
   * (full links: "Xã Hộ Hải" before 2025 for the commune it became part of): what a user of that
   * unit may see of data kept by unit code.
   */
  scope: async (db: Db, code: string): Promise<string[]> => {
    const r = await sql<{ code: string }>`
      with recursive edges(parent, child) as (
        select parent_code, code from admin_unit where parent_code is not null
        union all
        select to_code, from_code from admin_unit_link where kind = 'full'
      ), d(code) as (
        select ${code}::text
        union
        select e.child from edges e join d on e.parent = d.code
      )
      select code from d`.execute(db);
    return r.rows.map((x) => x.code);
  },
  all: (db: Db) => q(db).selectFrom('admin_unit').select(columns).execute() as Promise<UnitRow[]>,
};
