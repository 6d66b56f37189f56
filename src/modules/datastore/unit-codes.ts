import { sql } from 'kysely';
import type { Db } from '../../platform/db/index.js';
import { foldVi } from '../../platform/text/index.js';
import { getUnit, type Level, type ResolveQuery, type ResolveResult } from '../admin-units/index.js';
import { fieldIds, ident } from './ingest/names.js';
import type { LoadedField } from './ingest/write-table.js';

/** The day before the 2025 reorganisation: names of the units it dissolved resolve on this date. */
export const BEFORE_REFORM = '2025-06-30';
/** Distinct values beyond which a column is not a list of units. */
const MAX_DISTINCT = 3000;
/** A header naming units: "Xã", "Tên phường/xã", "Huyện", "Đơn vị", "Địa bàn"… (not a code column: "Mã xã"). */
const UNIT_HEADER = /(^|[^a-z])(xa|phuong|thi tran|huyen|quan|thi xa|thanh pho|tinh|don vi|dia ban|dia phuong|commune|ward|district|province)([^a-z]|$)/;
const CODE_HEADER = /^(ma|code|stt|tt|so)\b|\bma\b|\(ma\)/;
/** The level a header names, when it names one ("Huyện" → districts; "Đơn vị" → any). */
function headerLevel(header: string): Level | undefined {
  if (/(^|[^a-z])(xa|phuong|thi tran|commune|ward)([^a-z]|$)/.test(header)) return 'commune';
  if (/(^|[^a-z])(huyen|quan|thi xa|district)([^a-z]|$)/.test(header)) return 'district';
  if (/(^|[^a-z])(tinh|province)([^a-z]|$)/.test(header)) return 'province';
  return undefined;
}

export interface UnitColumnReport {
  field: string;
  codeField: string;
  resolved: number;
  /** Names resolved to a unit dissolved on 1 July 2025 (their code before the reform). */
  beforeReform: number;
  unresolved: string[];
  ambiguous: { name: string; candidates: string[] }[];
}

/** The provinces a load's names are looked for in first: the owning organization's, before and after the reform. */
export async function homeProvinces(db: Db, unitCode: string | null): Promise<string[]> {
  if (!unitCode) return [];
  const unit = await getUnit(db, unitCode, { at: BEFORE_REFORM }).catch(() => undefined);
  if (!unit) return [];
  const province = unit.unit.level === 'province' ? unit.unit : unit.parents.find((p) => p.level === 'province');
  if (!province) return [];
  const later = await getUnit(db, province.code, { at: BEFORE_REFORM }).catch(() => undefined);
  return [province.code, ...(later?.successors.map((s) => s.code) ?? [])];
}

type Resolve = (q: ResolveQuery) => ResolveResult;

/**
 * One name: today's units in the home provinces, then those before the reform, then the whole
 * country — first as written (a typo-tolerant match only when no exact one exists anywhere:
 * "Phước Bình" is not "Phước Dinh"); unambiguous answers only.
 */
function resolveOne(
  resolve: Resolve,
  name: string,
  homes: string[],
  level: Level | undefined,
): { code: string; before: boolean } | { ambiguous: string[] } | null {
  const tries: { parent?: string; at?: string }[] = [
    ...homes.map((parent) => ({ parent })),
    ...homes.map((parent) => ({ parent, at: BEFORE_REFORM })),
    {},
    { at: BEFORE_REFORM },
  ];
  let ambiguous: ResolveResult | undefined;
  for (const minScore of [0.85, 0.75])
    for (const t of tries) {
      const r = resolve({ name, ...t, ...(level ? { level } : {}) });
      if (r.match && r.match.score >= minScore) return { code: r.match.code, before: t.at === BEFORE_REFORM };
      if (r.ambiguous && !ambiguous) ambiguous = r;
    }
  return ambiguous ? { ambiguous: ambiguous.alternatives.slice(0, 4).map((c) => `${c.code} ${c.label}`) } : null;
}

/**
 * Administrative-unit columns of a loaded table (by header: "Xã", "Đơn vị", "Huyện"…) resolved to
 * official codes through the admin-units resolver, into an added column "<field> (mã)"; a column
 * is taken as units when at least half of its distinct names resolve. Names of units dissolved in
 * 2025 get their code of the time. The unresolved and ambiguous names are returned for the report.
 */
export async function addUnitCodes(
  trx: Db,
  table: string,
  fields: LoadedField[],
  homes: string[],
  resolve: Resolve,
): Promise<{ fields: LoadedField[]; reports: UnitColumnReport[] }> {
  const out = [...fields];
  const reports: UnitColumnReport[] = [];
  for (const f of fields) {
    const header = foldVi(f.title).toLowerCase();
    if (f.pgType !== 'text' || !UNIT_HEADER.test(header) || CODE_HEADER.test(header)) continue;
    const distinct = await sql<{
      v: string;
    }>`select distinct ${sql.raw(ident(f.id))} as v from ${sql.raw(table)} where ${sql.raw(ident(f.id))} is not null limit ${MAX_DISTINCT + 1}`.execute(trx);
    const names = distinct.rows.map((r) => r.v).filter((v) => v.trim());
    if (!names.length || names.length > MAX_DISTINCT) continue;
    const level = headerLevel(header);
    const codes = new Map<string, string>();
    const report: Omit<UnitColumnReport, 'codeField'> = { field: f.id, resolved: 0, beforeReform: 0, unresolved: [], ambiguous: [] };
    for (const name of names) {
      const r = resolveOne(resolve, name, homes, level);
      if (r && 'code' in r) {
        codes.set(name, r.code);
        report.resolved++;
        if (r.before) report.beforeReform++;
      } else if (r) report.ambiguous.push({ name, candidates: r.ambiguous });
      else report.unresolved.push(name);
    }
    if (report.resolved * 2 < names.length) continue;
    const codeField = fieldIds([...out.map((x) => x.title), `${f.id} (mã)`]).at(-1)!;
    await sql.raw(`alter table ${table} add column ${ident(codeField)} text`).execute(trx);
    await sql`update ${sql.raw(table)} t set ${sql.raw(ident(codeField))} = m.code from unnest(${[...codes.keys()]}::text[], ${[...codes.values()]}::text[]) as m(name, code) where t.${sql.raw(ident(f.id))} = m.name`.execute(
      trx,
    );
    out.push({ id: codeField, title: codeField, type: 'string', pgType: 'text' });
    reports.push({ ...report, codeField });
  }
  return { fields: out, reports };
}

/** The report's lines for the unit columns (bilingual, as the other notes). */
export function unitNotes(reports: UnitColumnReport[]): string[] {
  return reports.flatMap((r) => {
    const lines = [
      `Cột “${r.field}”: ${r.resolved} tên đơn vị hành chính được gán mã vào cột “${r.codeField}”${r.beforeReform ? ` (${r.beforeReform} theo đơn vị trước 01/07/2025)` : ''} / Column "${r.field}": ${r.resolved} administrative-unit names coded into "${r.codeField}"${r.beforeReform ? ` (${r.beforeReform} as units before 1 July 2025)` : ''}`,
    ];
    if (r.unresolved.length)
      lines.push(
        `Không tìm thấy / Not found (${r.field}): ${r.unresolved.slice(0, 30).join('; ')}${r.unresolved.length > 30 ? ` …+${r.unresolved.length - 30}` : ''}`,
      );
    for (const a of r.ambiguous.slice(0, 30)) lines.push(`Không rõ đơn vị nào / Ambiguous (${r.field}): “${a.name}” → ${a.candidates.join(' | ')}`);
    return lines;
  });
}
