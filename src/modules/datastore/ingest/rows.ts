import { detectMojibake, convertLegacy, type LegacyFont } from './legacy.js';
import { ColumnInference, sameType, widensLosslessly, type ColumnType, type Inferred } from './infer.js';
import { BOOL, classify, DATE, DATETIME, lastCanonical, NUM_EN, NUM_VN, WHOLE_EN, WHOLE_VN, ZONED } from './classify.js';
import { canonicalBoolean, canonicalNumber, EN, VN } from './values.js';
import type { ReportBuilder } from './report.js';
import type { ColumnRule } from './editor-schema.js';

/** Cells read as missing unless the editor's schema says otherwise (Table Schema `missingValues`). */
export const DEFAULT_MISSING = ['', 'N/A', 'NA', 'n/a', '#N/A', '-', '—', 'null', 'NULL'];

const COPY_ESCAPE = /[\\\t\n\r]/;
/** A value as COPY text format writes it (backslash, tab and line breaks escaped). */
export const copyText = (s: string) =>
  COPY_ESCAPE.test(s) ? s.replace(/[\\\t\n\r]/g, (m) => (m === '\\' ? '\\\\' : m === '\t' ? '\\t' : m === '\n' ? '\\n' : '\\r')) : s;

/** writeCell's answer when the column must widen first (to `widening.to`); a shared object, not one per cell. */
const WIDEN = { to: { type: 'string' } as ColumnType };

/**
 * One cell of a column being written as `t` (its `classify` bits just computed, so `lastCanonical`
 * is its date): its COPY text, a widening the column needs first, or null when it does not fit.
 */
function writeCell(v: string, bits: number, t: ColumnType): string | typeof WIDEN | null {
  switch (t.type) {
    case 'string':
      return copyText(v);
    case 'integer':
    case 'number': {
      const vn = t.style !== 'en';
      if (!(bits & (vn ? NUM_VN : NUM_EN))) return null;
      if (t.type === 'integer' && !(bits & (vn ? WHOLE_VN : WHOLE_EN))) return widen({ type: 'number', style: t.style! });
      return canonicalNumber(v, vn ? VN : EN);
    }
    case 'date':
      if (bits & DATE) return lastCanonical.text;
      return bits & DATETIME && !(bits & ZONED) ? widen({ type: 'datetime', zoned: false }) : null;
    case 'datetime':
      if (bits & DATETIME) return !!(bits & ZONED) === !!t.zoned ? lastCanonical.text : null;
      return bits & DATE && !t.zoned ? `${lastCanonical.text} 00:00:00` : null;
    case 'boolean':
      return bits & BOOL ? canonicalBoolean(v)! : null;
  }
}

function widen(to: ColumnType): typeof WIDEN {
  WIDEN.to = to;
  return WIDEN;
}

const TYPE_MESSAGE: Record<ColumnType['type'], { vi: string; en: string }> = {
  string: { vi: 'văn bản', en: 'text' },
  integer: { vi: 'số nguyên', en: 'an integer' },
  number: { vi: 'số', en: 'a number' },
  boolean: { vi: 'đúng/sai', en: 'a boolean' },
  date: { vi: 'ngày (dd/mm/yyyy)', en: 'a date (dd/mm/yyyy)' },
  datetime: { vi: 'ngày giờ', en: 'a date and time' },
};

/**
 * Turns parsed rows into COPY text for the table's current column types while inferring every
 * column's type from all of its values. A value that needs a wider column returns the widening
 * (the caller alters the column and hands the row again); a value that fits neither is written
 * as NULL and recorded, so that the end of the pass can tell a few type errors from a column
 * that is really text.
 */
export class RowEncoder {
  readonly inference: ColumnInference[];
  readonly legacy: (LegacyFont | null)[];
  rows = 0;
  blankRows = 0;
  missingCells = 0;
  /** Per column: values that fit neither the column's type nor a widening (row number, value), the first MAX kept. */
  readonly misfits: { row: number; value: string }[][];
  /** Per column: how many values did not fit (all of them, not only the ones kept). */
  readonly misfitCount: Float64Array;
  /** Columns whose type the editor set: they never widen, and keep their type whatever the values show. */
  readonly pinned: boolean[];
  private readonly checks: (ColumnRule['check'] | undefined)[];
  private readonly hasChecks: boolean;
  private readonly rowMiss: Uint8Array;
  private readonly vals: (string | null)[];
  private readonly canon: (string | null)[];

  constructor(
    readonly ids: string[],
    public types: ColumnType[],
    private readonly missing: Set<string>,
    private readonly report: ReportBuilder,
    readonly opts: { preferEn?: boolean; rules?: ColumnRule[] } = {},
  ) {
    this.inference = ids.map(() => new ColumnInference());
    this.legacy = ids.map(() => null);
    this.misfits = ids.map(() => []);
    this.misfitCount = new Float64Array(ids.length);
    this.bits = new Int32Array(ids.length);
    this.pinned = ids.map((_, i) => !!opts.rules?.[i]?.type);
    this.checks = ids.map((_, i) => opts.rules?.[i]?.check);
    this.hasChecks = this.checks.some((c) => c !== undefined);
    this.rowMiss = new Uint8Array(ids.length);
    this.vals = ids.map(() => null);
    this.canon = ids.map(() => null);
  }

  private readonly bits: Int32Array;

  /** Legacy-font mojibake per text column, judged on the first rows (e.g. .VnTime text in a Unicode file). */
  detectLegacy(sample: string[][]): void {
    this.ids.forEach((_, i) => {
      const text = sample.map((r) => r[i] ?? '').join(' ');
      this.legacy[i] = detectMojibake(text);
    });
  }

  /**
   * The COPY line of one row (without the newline), or a widening the table needs first.
   * `rowNumber` counts the file's rows from 1 (the header).
   */
  encode(row: string[], rowNumber: number): string | { column: number; to: ColumnType } | null {
    const n = this.ids.length;
    let blank = true;
    for (let i = 0; i < row.length; i++)
      if (row[i] !== '' && row[i]!.trim() !== '') {
        blank = false;
        break;
      }
    if (blank) {
      this.blankRows++;
      return null;
    }
    // Inference counts only once the row is written: a row handed again after a widening counts once.
    const bits = this.bits;
    let line = String(this.rows + 1);
    for (let i = 0; i < n; i++) {
      const v = this.value(row, i);
      if (v === null) {
        bits[i] = -1;
        this.rowMiss[i] = 0;
        line += '\t\\N';
        if (this.hasChecks) {
          this.vals[i] = null;
          this.canon[i] = null;
        }
        continue;
      }
      const b = classify(v);
      bits[i] = b;
      let c = writeCell(v, b, this.types[i]!);
      if (c !== null && typeof c !== 'string' && this.pinned[i]) c = null;
      if (this.hasChecks) {
        this.vals[i] = v;
        this.canon[i] = typeof c === 'string' ? c : null;
      }
      this.rowMiss[i] = c === null ? 1 : 0;
      if (c === null) {
        line += '\t\\N';
        const m = this.misfits[i]!;
        if (m.length <= 100) m.push({ row: rowNumber, value: v });
      } else if (typeof c === 'string') line += `\t${c}`;
      else {
        for (let j = 0; j < i; j++) if (bits[j] !== -1 && this.misfits[j]!.at(-1)?.row === rowNumber) this.misfits[j]!.pop();
        return { column: i, to: c.to };
      }
    }
    this.rows++;
    for (let i = 0; i < n; i++) {
      if (bits[i] === -1) {
        if (i >= row.length) this.missingCells++;
      } else this.inference[i]!.add(bits[i]!);
      if (this.rowMiss[i]) this.misfitCount[i]!++;
    }
    if (this.hasChecks) this.checkRow(rowNumber);
    for (let i = n; i < row.length; i++) {
      const extra = row[i]!.trim();
      if (extra !== '')
        this.report.add({
          type: 'extra-cell',
          rowNumber,
          fieldNumber: i + 1,
          cell: extra,
          message: `Dòng ${rowNumber} có ô thừa ở cột ${i + 1} / Row ${rowNumber} has an extra cell in column ${i + 1}`,
        });
    }
    return line;
  }

  /** The editor's constraints on one written row: each failing cell is a constraint error in the report. */
  private checkRow(rowNumber: number): void {
    for (let i = 0; i < this.ids.length; i++) {
      const check = this.checks[i];
      if (!check) continue;
      const v = this.vals[i]!;
      const c = this.canon[i]!;
      if (v !== null && c === null) continue; // a type error already
      const m = check(v, c ?? '');
      if (!m) continue;
      this.report.add({
        type: 'constraint-error',
        rowNumber,
        fieldName: this.ids[i]!,
        fieldNumber: i + 1,
        ...(v !== null ? { cell: v } : {}),
        message: `Dòng ${rowNumber}, cột “${this.ids[i]}”: ${m.vi} / Row ${rowNumber}, field “${this.ids[i]}”: ${m.en}`,
      });
    }
  }

  /** A cell as the loader reads it (trimmed, missing values null, legacy fonts converted). */
  cellValue(row: string[], i: number): string | null {
    return this.value(row, i);
  }

  private value(row: string[], i: number): string | null {
    const raw = row[i];
    if (raw === undefined) return null;
    const last = raw.length - 1;
    const v = last >= 0 && raw.charCodeAt(0) > 32 && raw.charCodeAt(last) > 32 ? raw : raw.trim();
    if (this.missing.has(v)) return null;
    const font = this.legacy[i];
    return font ? convertLegacy(font, v) : v;
  }

  /** The inferred types (over all values), with the file's number style settling ambiguous columns. */
  inferred(): Inferred[] {
    const evidence = this.inference.map((c) => c.styleEvidence());
    const preferEn = !!this.opts.preferEn || (evidence.some((e) => e.enOnly) && !evidence.some((e) => e.vnOnly));
    return this.inference.map((c) => c.result(preferEn));
  }

  /**
   * After the pass: null when the columns as written are the inferred ones (their misfits become
   * type errors), else the types to write the file again with.
   */
  settle(): ColumnType[] | null {
    const final = this.inferred().map((f, i): Inferred => {
      const t = this.types[i]!;
      if (!this.pinned[i]) return f;
      // The editor's type stays; numbers take the style the values show.
      const style = (f.type === 'number' || f.type === 'integer') && f.style ? f.style : t.style;
      return { ...t, ...(style && (t.type === 'number' || t.type === 'integer') ? { style } : {}), misfits: this.misfitCount[i]! };
    });
    const retype = final.some((f, i) => !sameType(f, this.types[i]!) && !widensLosslessly(this.types[i]!, f));
    if (retype) return final.map(({ misfits: _m, ...t }) => t);
    this.misfits.forEach((list, i) => {
      const t = this.types[i]!;
      for (const m of list.slice(0, 100))
        this.report.add({
          type: 'type-error',
          rowNumber: m.row,
          fieldName: this.ids[i]!,
          fieldNumber: i + 1,
          cell: m.value,
          message: `Giá trị “${m.value}” ở dòng ${m.row}, cột “${this.ids[i]}” không phải ${TYPE_MESSAGE[t.type].vi} / The value “${m.value}” in row ${m.row}, field “${this.ids[i]}” is not ${TYPE_MESSAGE[t.type].en}`,
        });
      const more = final[i]!.misfits - Math.min(list.length, 100);
      if (more > 0) this.report.count += more;
    });
    return null;
  }
}

/** Types to start writing with, from the first rows: each column's exact fit there (no tolerance yet). */
export function speculate(enc: RowEncoder, sample: string[][], missing: Set<string>): ColumnType[] {
  const probe = new RowEncoder(
    enc.ids,
    enc.ids.map(() => ({ type: 'string' })),
    missing,
    { add: () => undefined } as unknown as ReportBuilder,
    enc.opts,
  );
  probe.legacy.splice(0, probe.legacy.length, ...enc.legacy);
  sample.forEach((r, i) => probe.encode(r, i + 2));
  return probe.inferred().map(({ misfits, ...t }) => (misfits > 0 ? { type: 'string' as const } : t));
}
