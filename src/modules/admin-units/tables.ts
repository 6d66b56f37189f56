import type { UnitType } from './fold.js';

export type Level = 'province' | 'district' | 'commune';
export const LEVELS: readonly Level[] = ['province', 'district', 'commune'];
export type LinkKind = 'full' | 'partial';

/** Dates are 'YYYY-MM-DD' strings, or PostgreSQL's '-infinity' / 'infinity'. */
export type AdminUnitTables = {
  admin_unit: {
    code: string;
    valid_from: string;
    valid_to: string;
    name: string;
    name_en: string | null;
    level: Level;
    type: string;
    parent_code: string | null;
    name_key: string;
    source: string | null;
  };
  admin_unit_link: {
    from_code: string;
    from_valid_from: string;
    to_code: string;
    to_valid_from: string;
    kind: LinkKind;
  };
};

export type AdminUnitRow = AdminUnitTables['admin_unit'];

/** One version of a unit, as the module works with it: infinite bounds are null. */
export interface UnitRecord {
  code: string;
  name: string;
  nameEn: string | null;
  level: Level;
  type: UnitType | string;
  parentCode: string | null;
  /** null = valid since forever (the pre-reform tree's unknown start). */
  validFrom: string | null;
  /** Exclusive; null = still valid. */
  validTo: string | null;
}

const finite = (d: string): string | null => (d === 'infinity' || d === '-infinity' ? null : d);

export const toRecord = (r: Pick<AdminUnitRow, 'code' | 'name' | 'name_en' | 'level' | 'type' | 'parent_code' | 'valid_from' | 'valid_to'>): UnitRecord => ({
  code: r.code,
  name: r.name,
  nameEn: r.name_en,
  level: r.level,
  type: r.type,
  parentCode: r.parent_code,
  validFrom: finite(r.valid_from),
  validTo: finite(r.valid_to),
});

/** Whether a version is valid on `at` (valid_from ≤ at < valid_to). */
export const validAt = (u: Pick<UnitRecord, 'validFrom' | 'validTo'>, at: string): boolean =>
  (u.validFrom === null || u.validFrom <= at) && (u.validTo === null || at < u.validTo);
