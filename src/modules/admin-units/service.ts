import type { Db } from '../../platform/db/index.js';
import { badRequest, notFound } from '../../platform/http/index.js';
import { unitsRepo, type LinkedUnitRow, type UnitRow } from './repository.js';
import { resolveName, type ResolveQuery, type ResolveResult } from './resolver.js';
import { isIsoDate, todayVn } from './today.js';
import { resolverIndexFor } from './units-cache.js';

const BAD_DATE = { vi: 'Ngày "{at}" không hợp lệ (định dạng YYYY-MM-DD).', en: 'Invalid date "{at}" (expected YYYY-MM-DD).' };
const NO_UNIT = { vi: 'Không có đơn vị hành chính mã {code}.', en: 'There is no administrative unit with code {code}.' };
const NO_PARENT = {
  vi: 'Không có đơn vị hành chính mã {code} vào ngày {at}.',
  en: 'There is no administrative unit with code {code} on {at}.',
};

/** `at` checked, or today in Việt Nam. */
function dateOrToday(at: string | undefined): string {
  if (at === undefined) return todayVn();
  if (!isIsoDate(at)) throw badRequest('invalid_date', BAD_DATE, 'at', { at });
  return at;
}

/** Units directly under `parent` on `at` (default today); without a parent, the provinces. */
export async function listUnits(db: Db, opts: { parent?: string | undefined; at?: string | undefined }): Promise<{ items: UnitRow[]; at: string }> {
  const at = dateOrToday(opts.at);
  if (!opts.parent) return { items: await unitsRepo.provinces(db, at), at };
  if (!(await unitsRepo.at(db, opts.parent, at))) throw notFound('admin_unit_not_found', NO_PARENT, 'parent', { code: opts.parent, at });
  return { items: await unitsRepo.children(db, opts.parent, at), at };
}

export interface UnitDetail {
  unit: UnitRow;
  parents: UnitRow[];
  successors: LinkedUnitRow[];
  predecessors: LinkedUnitRow[];
  /** The other versions of the same code, latest first. */
  versions: UnitRow[];
  at: string;
}

/** The version of `code` valid on `at` (default today), else its latest version, with its links. */
export async function getUnit(db: Db, code: string, opts: { at?: string | undefined } = {}): Promise<UnitDetail> {
  const at = dateOrToday(opts.at);
  const versions = await unitsRepo.versions(db, code);
  const unit = (await unitsRepo.at(db, code, at)) ?? versions[0];
  if (!unit) throw notFound('admin_unit_not_found', NO_UNIT, 'code', { code });
  const [parents, successors, predecessors] = await Promise.all([
    unitsRepo.parents(db, unit.code, unit.valid_from),
    unitsRepo.successors(db, unit.code, unit.valid_from),
    unitsRepo.predecessors(db, unit.code, unit.valid_from),
  ]);
  return { unit, parents, successors, predecessors, versions: versions.filter((v) => v.valid_from !== unit.valid_from), at };
}

/**
 * Name → code: accent-, case-, abbreviation- and dash-insensitive, restricted to the descendants of
 * `parent` and to the units valid on `at` (default today). Ambiguous names return candidates and no
 * match; unknown names return no match.
 */
export async function resolveAdminUnit(db: Db, query: ResolveQuery): Promise<ResolveResult> {
  const at = dateOrToday(query.at);
  if (query.parent && (await unitsRepo.versions(db, query.parent)).length === 0) {
    throw notFound('admin_unit_not_found', NO_UNIT, 'parent', { code: query.parent });
  }
  return resolveName(await resolverIndexFor(db), { ...query, at });
}

/** The children of a unit on a date, as the organizations module needs them. */
export async function childUnits(db: Db, parentCode: string, at: string): Promise<{ code: string; name: string }[]> {
  return (await unitsRepo.children(db, parentCode, dateOrToday(at))).map((u) => ({ code: u.code, name: u.name }));
}

/** The codes a user of unit `code` may see rows of (the unit, those under it, those merged into them). */
export const unitScope = (db: Db, code: string): Promise<string[]> => unitsRepo.scope(db, code);

/** Name → code for many names at once (a load's distinct values): the cached index, no query per name. */
export async function unitResolver(db: Db): Promise<(query: ResolveQuery) => ResolveResult> {
  const index = await resolverIndexFor(db);
  return (query) => resolveName(index, { ...query, at: query.at ?? todayVn() });
}
