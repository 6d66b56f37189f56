/**
 * Reading one cell as a number, date or datetime the way Vietnamese files write them
 * ("1.234,5", "15/03/2023", "2016-01-01 01:00 AM"), and writing it in PostgreSQL's input form.
 * Dates are day first (never month first); numbers are read in the column's style, decided from
 * all of its values (see infer.ts).
 */

/** Bit flags: the cell is a number in Vietnamese style (1.234,5), in English style (1,234.5). */
export const VN = 1;
export const EN = 2;

const PLAIN_INT = /^[+-]?\d+$/;
const DOT_DEC = /^[+-]?\d*\.\d+$/;
const COMMA_DEC = /^[+-]?\d*,\d+$/;
const VN_GROUPED = /^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$/;
const EN_GROUPED = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

/** Which number styles a cell fits (0 = not a number). A leading zero ("00123") is a code, not a number. */
export function numberStyles(v: string): number {
  if (PLAIN_INT.test(v)) return /^[+-]?0\d/.test(v) ? 0 : VN | EN;
  if (DOT_DEC.test(v)) return /^[+-]?\d{1,3}\.\d{3}$/.test(v) ? VN | EN : EN;
  if (COMMA_DEC.test(v)) return /^[+-]?\d{1,3},\d{3}$/.test(v) ? VN | EN : VN;
  if (VN_GROUPED.test(v)) return VN;
  if (EN_GROUPED.test(v)) return EN;
  return 0;
}

/** A number cell in PostgreSQL's form for the style (the cell must fit the style). */
export function canonicalNumber(v: string, style: typeof VN | typeof EN): string {
  const s = v.charCodeAt(0) === 43 ? v.slice(1) : v;
  if (style === VN) {
    const noGroups = s.indexOf('.') >= 0 ? s.replaceAll('.', '') : s;
    return noGroups.indexOf(',') >= 0 ? noGroups.replace(',', '.') : noGroups;
  }
  return s.indexOf(',') >= 0 ? s.replaceAll(',', '') : s;
}

/** Whether the number is whole in that style ("1.234" is whole in VN, not in EN). */
export function isWhole(canonical: string): boolean {
  return !canonical.includes('.') && canonical.replace(/^-/, '').length <= 18;
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Whether y-m-d is a real calendar day (a year of four digits). */
export function validDate(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= DAYS[m - 1]! && !(m === 2 && d === 29 && !leap(y)) && y >= 1000;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** The date of the last cell `dateAt` found to be a date (numbers, not text: no string per cell). */
export const lastDate = { y: 0, m: 0, d: 0 };

/** Digits b[s, e) as a number, or -1 when one is not a digit. */
function digits(b: Uint8Array, s: number, e: number): number {
  let n = 0;
  for (let j = s; j < e; j++) {
    const c = b[j]!;
    if (!isDigit(c)) return -1;
    n = n * 10 + c - 48;
  }
  return n;
}

/**
 * A date cell b[s, e): dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy (day first, never month first) or
 * yyyy-mm-dd, yyyy/mm/dd; a real calendar day (`validDate`). Sets `lastDate`.
 */
export function dateAt(b: Uint8Array, s: number, e: number): boolean {
  const len = e - s;
  if (len < 8 || len > 10) return false;
  let y: number;
  let m: number;
  let d: number;
  if (isDigit(b[s + 1]!) && isDigit(b[s + 2]!) && isDigit(b[s + 3]!)) {
    // yyyy-mm-dd
    const sep = b[s + 4]!;
    if (sep !== 45 && sep !== 47) return false;
    const at = b.indexOf(sep, s + 5);
    if (at < 0 || at >= e || at - s - 5 < 1 || at - s - 5 > 2 || e - at - 1 < 1 || e - at - 1 > 2) return false;
    y = digits(b, s, s + 4);
    m = digits(b, s + 5, at);
    d = digits(b, at + 1, e);
  } else {
    // d(d)/m(m)/yyyy
    const first = isDigit(b[s + 1]!) ? s + 2 : s + 1;
    const sep = b[first]!;
    if (sep !== 47 && sep !== 46 && sep !== 45) return false;
    const at = b.indexOf(sep, first + 1);
    if (at < 0 || at !== e - 5 || at - first - 1 < 1 || at - first - 1 > 2) return false;
    d = digits(b, s, first);
    m = digits(b, first + 1, at);
    y = digits(b, at + 1, e);
  }
  if (y < 0 || m < 0 || d < 0 || !validDate(y, m, d)) return false;
  lastDate.y = y;
  lastDate.m = m;
  lastDate.d = d;
  return true;
}

const p2 = (n: number) => (n < 10 ? `0${n}` : String(n));
/** `lastDate` as 'yyyy-mm-dd'. */
export const lastDateText = () => `${lastDate.y}-${p2(lastDate.m)}-${p2(lastDate.d)}`;

/** A date cell (dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd) as 'yyyy-mm-dd', or null. */
export function canonicalDate(v: string): string | null {
  return dateAt(...utf8Of(v)) ? lastDateText() : null;
}

const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?\s*([AaPp][Mm])?\s*(Z|[+-]\d{2}:?\d{2})?$/;

export interface CanonicalDatetime {
  text: string;
  zoned: boolean;
}

/** A date-and-time cell ("2016-01-01 01:00 AM", "15/03/2023 14:30", ISO 8601 with or without a zone), or null. */
export function canonicalDatetime(v: string): CanonicalDatetime | null {
  const cut = v.search(/[T ]/);
  if (cut < 8) return null;
  const date = canonicalDate(v.slice(0, cut));
  if (!date) return null;
  const t = TIME.exec(v.slice(cut + 1).trim());
  if (!t) return null;
  let h = Number(t[1]);
  const min = Number(t[2]);
  const sec = t[3] ? Number(t[3]) : 0;
  if (t[5]) {
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (t[5].toLowerCase() === 'pm' ? 12 : 0);
  }
  if (h > 23 || min > 59 || sec > 59) return null;
  const time = `${String(h).padStart(2, '0')}:${t[2]}:${String(sec).padStart(2, '0')}${t[4] ?? ''}`;
  return { text: `${date} ${time}${t[6] ? (t[6] === 'Z' ? '+00:00' : t[6]) : ''}`, zoned: !!t[6] };
}

const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);
export const canonicalBoolean = (v: string): string | null => (TRUE.has(v) ? 't' : FALSE.has(v) ? 'f' : null);

const SCRATCH = { buf: Buffer.allocUnsafe(1024) };
/**
 * A string's UTF-8 bytes in a reused buffer, as (buffer, start, end): the rules are written once,
 * over bytes (the loader's form), and strings are read through them.
 */
export function utf8Of(v: string): [Buffer, number, number] {
  if (v.length * 3 > SCRATCH.buf.length) SCRATCH.buf = Buffer.allocUnsafe(v.length * 3);
  return [SCRATCH.buf, 0, SCRATCH.buf.write(v, 0, 'utf8')];
}
