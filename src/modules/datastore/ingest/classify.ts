import { canonicalDatetime, dateAt, lastDateText, utf8Of } from './values.js';

/**
 * What one cell could be, as bit flags, computed once per cell: the loader's hot path (every cell
 * of a million-row file), so cells are read as UTF-8 bytes (no string per cell) and numbers and
 * dates are recognised by one scan over them instead of a set of regular expressions. The date
 * or datetime of the last classified cell is kept (`lastDate`, `lastCanonical`) rather than
 * allocated per cell.
 */
export const NUM_VN = 1;
export const NUM_EN = 2;
export const WHOLE_VN = 4;
export const WHOLE_EN = 8;
export const DATE = 16;
export const DATETIME = 32;
export const ZONED = 64;
export const BOOL = 128;
/** Digits with a leading zero ("00123", "01"): a code whose zeros matter, so its column stays text. */
export const PADDED = 256;

export const lastCanonical = { text: '' };

const isDigit = (c: number) => c >= 48 && c <= 57;

/** Number styles of a cell (NUM_*, WHOLE_* bits), by the Vietnamese (1.234,5) and English (1,234.5) rules. */
export function numberBits(v: string): number {
  return numberBitsAt(...utf8Of(v));
}

/** `numberBits` of the UTF-8 bytes b[s, e): the loader's form (no string per cell). */
export function numberBitsAt(b: Uint8Array, s: number, e: number): number {
  const i = b[s] === 45 || b[s] === 43 ? s + 1 : s;
  if (i >= e) return 0;
  let dots = 0;
  let commas = 0;
  let firstSep = -1;
  let lastSep = -1;
  let lastDot = -1;
  let lastComma = -1;
  let groupsOf3 = true; // every group after a separator but the last has 3 digits
  let prevSep = -1;
  for (let j = i; j < e; j++) {
    const c = b[j]!;
    if (isDigit(c)) continue;
    if (c !== 46 && c !== 44) return 0;
    if (prevSep >= 0 && j - prevSep - 1 !== 3) groupsOf3 = false;
    if (prevSep >= 0 && j === prevSep + 1) return 0;
    if (firstSep < 0) firstSep = j;
    if (c === 46) {
      dots++;
      lastDot = j;
    } else {
      commas++;
      lastComma = j;
    }
    prevSep = j;
    lastSep = j;
  }
  if (lastSep === e - 1) return 0;
  const intLen = (firstSep < 0 ? e : firstSep) - i;
  if (intLen > 1 && b[i] === 48) return dots === 0 && commas === 0 ? PADDED : 0; // "00123": a code
  const tail = lastSep < 0 ? 0 : e - lastSep - 1;
  if (dots === 0 && commas === 0) return NUM_VN | NUM_EN | (e - i <= 18 ? WHOLE_VN | WHOLE_EN : 0);
  const lead3 = intLen >= 1 && intLen <= 3;
  if (commas === 0) {
    // only dots: VN groups (1.234.567) and/or an EN decimal (12.5)
    let bits = 0;
    if (lead3 && groupsOf3 && tail === 3) bits |= NUM_VN | WHOLE_VN;
    if (dots === 1) bits |= NUM_EN;
    return bits;
  }
  if (dots === 0) {
    let bits = 0;
    if (lead3 && groupsOf3 && tail === 3) bits |= NUM_EN | WHOLE_EN;
    if (commas === 1) bits |= NUM_VN;
    return bits;
  }
  if (!lead3) return 0;
  // both: 1.234,5 (dots then one comma) or 1,234.5 (commas then one dot)
  if (commas === 1 && lastSep === lastComma && groupsOfThreeBefore(b, i, lastComma)) return NUM_VN;
  if (dots === 1 && lastSep === lastDot && groupsOfThreeBefore(b, i, lastDot)) return NUM_EN;
  return 0;
}

function groupsOfThreeBefore(b: Uint8Array, start: number, end: number): boolean {
  let len = 0;
  let first = true;
  for (let j = start; j < end; j++) {
    if (isDigit(b[j]!)) len++;
    else {
      if (first ? len < 1 || len > 3 : len !== 3) return false;
      first = false;
      len = 0;
    }
  }
  return !first && len === 3;
}

/** "true"/"True"/"TRUE" → 1, "false"/"False"/"FALSE" → 0, anything else → -1. */
export function booleanAt(b: Uint8Array, s: number, e: number): number {
  const len = e - s;
  if (len !== 4 && len !== 5) return -1;
  const t = len === 4 ? TRUE_FORMS : FALSE_FORMS;
  outer: for (const w of t) {
    for (let j = 0; j < len; j++) if (b[s + j] !== w.charCodeAt(j)) continue outer;
    return len === 4 ? 1 : 0;
  }
  return -1;
}
const TRUE_FORMS = ['true', 'True', 'TRUE'];
const FALSE_FORMS = ['false', 'False', 'FALSE'];

/**
 * All the bits of one (trimmed, non-missing) cell, given as its UTF-8 bytes b[s, e). A date
 * leaves its parts in `lastDate`, a datetime its canonical text in `lastCanonical`.
 */
export function classifyAt(b: Buffer, s: number, e: number): number {
  const c = b[s]!;
  if (isDigit(c) || c === 45 || c === 43 || c === 46 || c === 44) {
    const num = numberBitsAt(b, s, e);
    if (num) return num & PADDED ? PADDED : num;
    if (e - s >= 8) {
      if (dateAt(b, s, e)) return DATE;
      // Datetimes are rarer and have many forms: read as text (values.ts).
      const dt = canonicalDatetime(Buffer.from(b.buffer, b.byteOffset, b.length).toString('utf8', s, e));
      if (dt) {
        lastCanonical.text = dt.text;
        return dt.zoned ? DATETIME | ZONED : DATETIME;
      }
    }
    return 0;
  }
  return booleanAt(b, s, e) >= 0 ? BOOL : 0;
}

/** All the bits of one (trimmed, non-missing) cell; a date or datetime leaves its canonical text in `lastCanonical`. */
export function classify(v: string): number {
  const bits = classifyAt(...utf8Of(v));
  if (bits === DATE) lastCanonical.text = lastDateText();
  return bits;
}
