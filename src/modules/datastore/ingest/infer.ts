import { BOOL, DATE, DATETIME, NUM_EN, NUM_VN, PADDED, WHOLE_EN, WHOLE_VN, ZONED } from './classify.js';

/** Table Schema field types the loader infers. */
export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime';
export type NumberStyle = 'vn' | 'en';

export interface ColumnType {
  type: FieldType;
  /** Numbers: 1.234,5 (vn) or 1,234.5 (en). */
  style?: NumberStyle;
  /** Datetimes: with a UTC offset (stored as timestamptz). */
  zoned?: boolean;
}

export interface Inferred extends ColumnType {
  /** Values that do not fit the type (reported as type errors). */
  misfits: number;
}

/** Beyond this many values that fit no type, a column is text whatever follows. */
export const MAX_MISFITS = 100;

/**
 * The type of one column from all of its values (not a sample). A column whose values nearly all
 * fit a type (all but 0.1%, at most 100) takes that type and its few other values become type
 * errors in the report, instead of the whole column silently becoming text.
 */
export class ColumnInference {
  seen = 0;
  private vn = 0;
  private en = 0;
  private vnInt = 0;
  private enInt = 0;
  private date = 0;
  private dt = 0;
  private dtZoned = 0;
  private bool = 0;
  private none = 0;
  private padded = 0;

  /** Adds one non-missing value, as its `classify` bits. */
  add(bits: number): void {
    this.seen++;
    if (bits === 0) {
      this.none++;
      return;
    }
    if (bits === PADDED) {
      this.padded++;
      return;
    }
    if (bits & NUM_VN) this.vn++;
    if (bits & NUM_EN) this.en++;
    if (bits & WHOLE_VN) this.vnInt++;
    if (bits & WHOLE_EN) this.enInt++;
    if (bits & DATE) this.date++;
    if (bits & DATETIME) {
      this.dt++;
      if (bits & ZONED) this.dtZoned++;
    }
    if (bits & BOOL) this.bool++;
  }

  /** The column's type; `preferEn` settles numbers that fit both styles (e.g. only "1.234"). */
  result(preferEn: boolean): Inferred {
    const n = this.seen;
    // Codes with leading zeros (commune codes, "01" months) keep their zeros: the column is text.
    if (n === 0 || this.none > MAX_MISFITS || this.padded > 0) return { type: 'string', misfits: 0 };
    const tol = Math.min(MAX_MISFITS, Math.max(1, Math.floor(n * 0.001)));
    const style: NumberStyle = this.vn > this.en ? 'vn' : this.en > this.vn ? 'en' : preferEn ? 'en' : 'vn';
    const num = style === 'vn' ? this.vn : this.en;
    const int = style === 'vn' ? this.vnInt : this.enInt;
    const zoned = this.dtZoned * 2 > this.dt;
    const dtFit = this.date + (zoned ? this.dtZoned : this.dt - this.dtZoned);
    const candidates: [ColumnType, number][] = [
      [{ type: 'integer', style }, int],
      [{ type: 'number', style }, num],
      [{ type: 'date' }, this.date],
      [{ type: 'datetime', zoned }, this.dt > 0 ? dtFit : 0],
      [{ type: 'boolean' }, this.bool],
    ];
    for (const [t, fit] of candidates) if (fit > 0 && fit * 2 > n && fit >= n - tol) return { ...t, misfits: n - fit };
    return { type: 'string', misfits: 0 };
  }

  /** Numbers seen only in one style: evidence for the file's style. */
  styleEvidence(): { vnOnly: boolean; enOnly: boolean } {
    return { vnOnly: this.vn > this.en, enOnly: this.en > this.vn };
  }
}

/** PostgreSQL column type of a field type. */
export function pgType(t: ColumnType): string {
  switch (t.type) {
    case 'integer':
      return 'bigint';
    case 'number':
      return 'numeric';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return t.zoned ? 'timestamptz' : 'timestamp';
    case 'string':
      return 'text';
  }
}

export const sameType = (a: ColumnType, b: ColumnType): boolean =>
  a.type === b.type && ((a.type !== 'integer' && a.type !== 'number') || a.style === b.style) && (a.type !== 'datetime' || !!a.zoned === !!b.zoned);

/** Widening that keeps every value already written in `from`'s PostgreSQL form (an ALTER, not a reload). */
export const widensLosslessly = (from: ColumnType, to: ColumnType): boolean =>
  (from.type === 'integer' && to.type === 'number' && from.style === to.style) || (from.type === 'date' && to.type === 'datetime' && !to.zoned);
