import { sql } from 'kysely';
import type { Db } from '../../platform/db/index.js';
import { foldVi } from '../../platform/text/index.js';
import { getUnit, type Level, type ResolveQuery, type ResolveResult } from '../admin-units/index.js';
import { ident } from './ingest/names.js';
import type { DerivedColumn, LoadedField } from './ingest/write-table.js';

/** The day before the 2025 reorganisation: names of the units it dissolved resolve on this date. */
export const BEFORE_REFORM = '2025-06-30';
/** Distinct names beyond which a column is not a list of units. */
const MAX_DISTINCT = 3000;
/** Names per column given a typo-tolerant look (the slow path) once no exact match exists. */
const MAX_FUZZY = 200;
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
type Answer = { code: string; before: boolean } | { ambiguous: string[] } | null;

/** One column's names, each resolved once. */
class UnitColumn {
  readonly answers = new Map<string, Answer>();
  private fuzzy = 0;
  tooMany = false;

  constructor(
    readonly field: string,
    private readonly level: Level | undefined,
    private readonly homes: string[],
    private readonly resolve: Resolve,
  ) {}

  code(name: string | null): string | null {
    if (name === null || this.tooMany) return null;
    let a = this.answers.get(name);
    if (a === undefined) {
      if (this.answers.size >= MAX_DISTINCT) {
        this.tooMany = true;
        return null;
      }
      a = this.lookup(name, false) ?? (this.fuzzy++ < MAX_FUZZY ? this.lookup(name, true) : null);
      this.answers.set(name, a);
    }
    return a && 'code' in a ? a.code : null;
  }

  /**
   * Today's units in the home provinces, then those before the reform, then the whole country;
   * exact names first (a typo-tolerant match only when none exists anywhere: "Phước Bình" is not
   * "Phước Dinh"); unambiguous answers only.
   */
  private lookup(name: string, fuzzy: boolean): Answer {
    const tries: { parent?: string; at?: string }[] = [
      ...this.homes.map((parent) => ({ parent })),
      ...this.homes.map((parent) => ({ parent, at: BEFORE_REFORM })),
      {},
      { at: BEFORE_REFORM },
    ];
    let ambiguous: ResolveResult | undefined;
    for (const t of tries) {
      const r = this.resolve({ name, ...t, fuzzy, ...(this.level ? { level: this.level } : {}) });
      if (r.match && r.match.score >= (fuzzy ? 0.75 : 0.85)) return { code: r.match.code, before: t.at === BEFORE_REFORM };
      if (r.ambiguous && !ambiguous) ambiguous = r;
    }
    return ambiguous ? { ambiguous: ambiguous.alternatives.slice(0, 4).map((c) => `${c.code} ${c.label}`) } : null;
  }
}

/**
 * Administrative-unit columns (by header: "Xã", "Đơn vị", "Huyện"…) coded through the
 * admin-units resolver as the rows are written, into an added column "<field> (mã)": names are
 * resolved once each, in memory. After the load, a column where fewer than half the distinct names
 * resolve was not a list of units, and its code column is dropped; names of units dissolved in
 * 2025 get their code of the time; the unresolved and ambiguous names go to the report.
 */
export class UnitCoder {
  private columns: UnitColumn[] = [];

  constructor(
    private readonly homes: string[],
    private readonly resolve: Resolve,
  ) {}

  readonly derive = (title: string[]): DerivedColumn[] => {
    this.columns = [];
    const out: DerivedColumn[] = [];
    title.forEach((t, i) => {
      const header = foldVi(t).toLowerCase();
      if (!UNIT_HEADER.test(header) || CODE_HEADER.test(header)) return;
      const col = new UnitColumn(t, headerLevel(header), this.homes, this.resolve);
      this.columns.push(col);
      out.push({ title: `${t} (mã)`, source: i, value: (cell) => col.code(cell) });
    });
    return out;
  };

  /** Drops the code columns that were not units (inside the load's transaction); the reports of the others. */
  async finish(trx: Db, table: string, fields: LoadedField[], derived: string[]): Promise<{ fields: LoadedField[]; reports: UnitColumnReport[] }> {
    const reports: UnitColumnReport[] = [];
    const dropped = new Set<string>();
    for (const [i, col] of this.columns.entries()) {
      const codeField = derived[i]!;
      const answers = [...col.answers.entries()].filter(([name]) => name.trim());
      const resolved = answers.filter(([, a]) => a && 'code' in a);
      if (col.tooMany || !answers.length || resolved.length * 2 < answers.length) {
        await sql.raw(`alter table ${table} drop column ${ident(codeField)}`).execute(trx);
        dropped.add(codeField);
        continue;
      }
      reports.push({
        field: col.field,
        codeField,
        resolved: resolved.length,
        beforeReform: resolved.filter(([, a]) => a && 'before' in a && a.before).length,
        unresolved: answers.filter(([, a]) => a === null).map(([n]) => n),
        ambiguous: answers.flatMap(([name, a]) => (a && 'ambiguous' in a ? [{ name, candidates: a.ambiguous }] : [])),
      });
    }
    return { fields: fields.filter((f) => !dropped.has(f.id)), reports };
  }
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
