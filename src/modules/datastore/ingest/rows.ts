import { detectMojibake, convertLegacy, type LegacyFont } from './legacy.js';
import { ColumnInference, sameType, widensLosslessly, type ColumnType, type Inferred } from './infer.js';
import { BOOL, classifyAt, DATE, DATETIME, lastCanonical, NUM_EN, NUM_VN, WHOLE_EN, WHOLE_VN, ZONED } from './classify.js';
import { lastDate } from './values.js';
import { CopyOut } from './copy-out.js';
import { DeriveMemo } from './derive-memo.js';
import type { CsvScanner } from './csv-scan.js';
import type { ReportBuilder } from './report.js';
import type { ColumnRule } from './editor-schema.js';

/** Cells read as missing unless the editor's schema says otherwise (Table Schema `missingValues`). */
export const DEFAULT_MISSING = ['', 'N/A', 'NA', 'n/a', '#N/A', '-', '—', 'null', 'NULL'];

/** A derived column's value, computed from the cell it comes from (see write-table.ts `DerivedColumn`). */
export interface Derive {
  source: number;
  value(cell: string | null): string | null;
}

/** Characters of a column's text judged for legacy-font mojibake. */
const LEGACY_SAMPLE = 32_000;

/** encode's answer when the column must widen first; a shared object, not one per cell. */
const WIDEN = { column: 0, to: { type: 'string' } as ColumnType };
export type Widening = typeof WIDEN;

function widen(to: ColumnType): Widening {
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
 * Turns rows into COPY text for the table's current column types while inferring every column's
 * type from all of its values. Cells are read as UTF-8 byte ranges: a text file's rows straight
 * from the decoded chunk (`encodeScanned`), other readers' string cells packed into a reused
 * buffer (`encode`), so both go through the same rules. A value that needs a wider column returns
 * the widening (the caller alters the column and hands the row again); a value that fits neither
 * is written as NULL and recorded, so that the end of the pass can tell a few type errors from a
 * column that is really text. The COPY bytes gather in `out` until the caller takes them.
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
  /** Columns computed from another as rows are written, appended after the file's (each answered once per distinct cell). */
  private derived: { source: number; memo: DeriveMemo }[] = [];
  readonly out = new CopyOut();
  private readonly checks: (ColumnRule['check'] | undefined)[];
  private readonly hasChecks: boolean;
  private readonly rowMiss: Uint8Array;
  private readonly vals: (string | null)[];
  private readonly canon: (string | null)[];
  private readonly bits: Int32Array;
  private readonly missingBytes: Buffer[];
  private readonly maxMissing: number;
  private readonly missingEmpty: boolean;
  /** The first bytes of the missing values: most cells are told apart by their first byte. */
  private readonly missingFirst = new Uint8Array(256);
  /** The current row: cells b[st[i], en[i]), trimmed as they are read. */
  private b: Buffer = Buffer.alloc(0);
  private st: Int32Array;
  private en: Int32Array;
  private ownSt = new Int32Array(64);
  private ownEn = new Int32Array(64);
  private count = 0;
  private packed = Buffer.allocUnsafe(64 * 1024);

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
    this.missingBytes = [...missing].map((m) => Buffer.from(m, 'utf8'));
    this.maxMissing = Math.max(0, ...this.missingBytes.map((m) => m.length));
    this.missingEmpty = missing.has('');
    for (const m of this.missingBytes) if (m.length) this.missingFirst[m[0]!] = 1;
    this.st = this.ownSt;
    this.en = this.ownEn;
  }

  set derive(list: Derive[]) {
    this.derived = list.map((d) => ({ source: d.source, memo: new DeriveMemo((cell) => d.value(cell)) }));
  }

  /** Legacy-font mojibake per text column, judged on the first rows (e.g. .VnTime text in a Unicode file). */
  detectLegacy(sample: string[][]): void {
    this.ids.forEach((_, i) => {
      // The column's first 32,000 characters of text (sparse columns reach further down): enough words to tell, and a
      // fifth of the time a whole sample took (every Vietnamese column has Latin-1 letters, so is scored three times).
      const parts: string[] = [];
      let length = 0;
      for (const r of sample) {
        const c = r[i];
        if (!c) continue;
        parts.push(c);
        length += c.length + 1;
        if (length >= LEGACY_SAMPLE) break;
      }
      this.legacy[i] = detectMojibake(parts.join(' '));
    });
  }

  /**
   * Appends one row (string cells) to `out`; null for a blank row, else true or the widening the
   * table needs first. `rowNumber` counts the file's rows from 1 (the header).
   */
  encode(row: string[], rowNumber: number): true | Widening | null {
    if (this.hasLegacy) row = this.converted(row);
    let need = 0;
    for (const c of row) need += c.length * 3;
    if (need > this.packed.length) this.packed = Buffer.allocUnsafe(need);
    if (row.length > this.ownSt.length) this.grow(row.length);
    this.st = this.ownSt;
    this.en = this.ownEn;
    let p = 0;
    for (let i = 0; i < row.length; i++) {
      this.st[i] = p;
      p += this.packed.write(row[i]!, p, 'utf8');
      this.en[i] = p;
    }
    this.b = this.packed;
    this.count = row.length;
    return this.encodeCurrent(rowNumber);
  }

  /** As `encode`, for the scanner's current row (byte ranges in the decoded chunk). */
  encodeScanned(scan: CsvScanner, rowNumber: number): true | Widening | null {
    if (this.hasLegacy) return this.encode(scan.strings(), rowNumber);
    // The scanner's ranges are trimmed in place: trimming twice (a row handed again) changes nothing.
    this.b = scan.buf;
    this.count = scan.count;
    this.st = scan.starts;
    this.en = scan.ends;
    return this.encodeCurrent(rowNumber);
  }

  /** Whether a column is in a legacy font (its rows are converted as strings first). */
  private get hasLegacy(): boolean {
    return this.legacy.some((f) => f !== null);
  }

  /** The row with its legacy-font cells converted to Unicode (trimmed first; missing values as they are). */
  private converted(row: string[]): string[] {
    return row.map((c, i) => {
      const font = this.legacy[i];
      if (!font) return c;
      const t = c.trim();
      return this.missing.has(t) ? t : convertLegacy(font, t);
    });
  }

  private encodeCurrent(rowNumber: number): true | Widening | null {
    const n = this.ids.length;
    const count = this.count;
    let blank = true;
    for (let i = 0; i < count; i++) {
      this.trim(i);
      if (this.en[i]! > this.st[i]!) blank = false;
    }
    if (blank) {
      this.blankRows++;
      return null;
    }
    const out = this.out;
    const rowStart = out.pos;
    const bits = this.bits;
    out.int(this.rows + 1);
    for (let i = 0; i < n; i++) {
      out.byte(9);
      if (i >= count || this.isMissing(i)) {
        bits[i] = -1;
        this.rowMiss[i] = 0;
        out.byte(92);
        out.byte(78);
        if (this.hasChecks) {
          this.vals[i] = null;
          this.canon[i] = null;
        }
        continue;
      }
      const b = this.b;
      const s = this.st[i]!;
      const e = this.en[i]!;
      const bit = classifyAt(b, s, e);
      bits[i] = bit;
      const cellStart = out.pos;
      let fit = this.writeCell(b, s, e, bit, this.types[i]!);
      if (fit !== true && fit !== null && this.pinned[i]) fit = null;
      if (fit !== null && fit !== true) {
        for (let j = 0; j < i; j++) if (bits[j] !== -1 && this.misfits[j]!.at(-1)?.row === rowNumber) this.misfits[j]!.pop();
        out.pos = rowStart;
        WIDEN.column = i;
        return WIDEN;
      }
      this.rowMiss[i] = fit === null ? 1 : 0;
      if (fit === null) {
        out.pos = cellStart;
        out.byte(92);
        out.byte(78);
        const m = this.misfits[i]!;
        if (m.length <= 100) m.push({ row: rowNumber, value: b.toString('utf8', s, e) });
      }
      if (this.hasChecks) {
        this.vals[i] = b.toString('utf8', s, e);
        this.canon[i] = fit === true ? out.since(cellStart) : null;
      }
    }
    for (const d of this.derived) {
      out.byte(9);
      const i = d.source;
      d.memo.write(out, this.b, this.st[i]!, this.en[i]!, i >= count || this.isMissing(i));
    }
    out.byte(10);
    this.rows++;
    for (let i = 0; i < n; i++) {
      if (bits[i] === -1) {
        if (i >= count) this.missingCells++;
      } else this.inference[i]!.add(bits[i]!);
      if (this.rowMiss[i]) this.misfitCount[i]!++;
    }
    if (this.hasChecks) this.checkRow(rowNumber);
    for (let i = n; i < count; i++) {
      if (this.en[i]! <= this.st[i]!) continue;
      const extra = this.b.toString('utf8', this.st[i], this.en[i]);
      this.report.add({
        type: 'extra-cell',
        rowNumber,
        fieldNumber: i + 1,
        cell: extra,
        message: `Dòng ${rowNumber} có ô thừa ở cột ${i + 1} / Row ${rowNumber} has an extra cell in column ${i + 1}`,
      });
    }
    return true;
  }

  /**
   * One cell b[s, e) of a column being written as `t` (its `classifyAt` bits just computed): true
   * once its COPY text is in `out`, a widening the column needs first, or null when it does not fit.
   */
  private writeCell(b: Buffer, s: number, e: number, bits: number, t: ColumnType): true | Widening | null {
    const out = this.out;
    switch (t.type) {
      case 'string':
        out.bytes(b, s, e);
        return true;
      case 'integer':
      case 'number': {
        const vn = t.style !== 'en';
        if (!(bits & (vn ? NUM_VN : NUM_EN))) return null;
        if (t.type === 'integer' && !(bits & (vn ? WHOLE_VN : WHOLE_EN))) return widen({ type: 'number', style: t.style! });
        out.number(b, s, e, vn);
        return true;
      }
      case 'date':
        if (bits & DATE) {
          this.date();
          return true;
        }
        return bits & DATETIME && !(bits & ZONED) ? widen({ type: 'datetime', zoned: false }) : null;
      case 'datetime':
        if (bits & DATETIME) {
          if (!!(bits & ZONED) !== !!t.zoned) return null;
          out.ascii(lastCanonical.text);
          return true;
        }
        if (bits & DATE && !t.zoned) {
          this.date();
          out.ascii(' 00:00:00');
          return true;
        }
        return null;
      case 'boolean':
        if (!(bits & BOOL)) return null;
        out.byte(e - s === 4 ? 116 : 102);
        return true;
    }
  }

  /** `lastDate` as yyyy-mm-dd. */
  private date(): void {
    const out = this.out;
    out.int(lastDate.y);
    out.byte(45);
    if (lastDate.m < 10) out.byte(48);
    out.int(lastDate.m);
    out.byte(45);
    if (lastDate.d < 10) out.byte(48);
    out.int(lastDate.d);
  }

  /** Narrows cell i to its text without surrounding white space (String.prototype.trim's set: ASCII and Unicode spaces). */
  private trim(i: number): void {
    const b = this.b;
    let s = this.st[i]!;
    let e = this.en[i]!;
    if (s === e) return;
    const first = b[s]!;
    const last = b[e - 1]!;
    // Most cells: a visible ASCII character or a letter's lead byte first, a visible ASCII character last.
    if (first > 32 && first < 0xc2 && last > 32 && last < 0x80) return;
    for (;;) {
      const w = s < e ? spaceAt(b, s, e) : 0;
      if (!w) break;
      s += w;
    }
    for (;;) {
      const w = e > s ? spaceBefore(b, s, e) : 0;
      if (!w) break;
      e -= w;
    }
    this.st[i] = s;
    this.en[i] = e;
  }

  private isMissing(i: number): boolean {
    const s = this.st[i]!;
    const len = this.en[i]! - s;
    if (len === 0) return this.missingEmpty;
    if (len > this.maxMissing || !this.missingFirst[this.b[s]!]) return false;
    const b = this.b;
    outer: for (const m of this.missingBytes) {
      if (m.length !== len) continue;
      for (let j = 0; j < len; j++) if (b[s + j] !== m[j]) continue outer;
      return true;
    }
    return false;
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

  private grow(n: number): void {
    this.ownSt = new Int32Array(n * 2);
    this.ownEn = new Int32Array(n * 2);
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

/** The width in bytes of a white-space character (String.prototype.trim's set) starting at b[s], else 0. */
function spaceAt(b: Uint8Array, s: number, e: number): number {
  const c = b[s]!;
  if (c === 32 || (c >= 9 && c <= 13)) return 1;
  if (c < 0xc2) return 0;
  if (c === 0xc2) return b[s + 1] === 0xa0 && s + 1 < e ? 2 : 0;
  return s + 2 < e && isSpace3(b[s]!, b[s + 1]!, b[s + 2]!) ? 3 : 0;
}

/** The width in bytes of a white-space character ending at b[e - 1], else 0. */
function spaceBefore(b: Uint8Array, s: number, e: number): number {
  const c = b[e - 1]!;
  if (c === 32 || (c >= 9 && c <= 13)) return 1;
  if (c < 0x80) return 0;
  if (e - 2 >= s && b[e - 2] === 0xc2 && c === 0xa0) return 2;
  return e - 3 >= s && isSpace3(b[e - 3]!, b[e - 2]!, c) ? 3 : 0;
}

/** U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF in UTF-8. */
function isSpace3(a: number, b: number, c: number): boolean {
  if (a === 0xe2) return (b === 0x80 && (c <= 0x8a || c === 0xa8 || c === 0xa9 || c === 0xaf)) || (b === 0x81 && c === 0x9f);
  return (a === 0xe1 && b === 0x9a && c === 0x80) || (a === 0xe3 && b === 0x80 && c === 0x80) || (a === 0xef && b === 0xbb && c === 0xbf);
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
