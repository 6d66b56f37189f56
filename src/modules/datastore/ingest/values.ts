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
const pad2 = (s: string) => (s.length === 1 ? `0${s}` : s);

function ymd(y: string, m: string, d: string): string | null {
  const yy = Number(y);
  const mm = Number(m);
  const dd = Number(d);
  if (mm < 1 || mm > 12 || dd < 1 || dd > DAYS[mm - 1]! || (mm === 2 && dd === 29 && !leap(yy)) || yy < 1000) return null;
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

const DMY = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/;
const YMD = /^(\d{4})([/-])(\d{1,2})\2(\d{1,2})$/;

/** A date cell (dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd) as 'yyyy-mm-dd', or null. */
export function canonicalDate(v: string): string | null {
  let m = DMY.exec(v);
  if (m) return ymd(m[4]!, m[3]!, m[1]!);
  m = YMD.exec(v);
  return m ? ymd(m[1]!, m[3]!, m[4]!) : null;
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
