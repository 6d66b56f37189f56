import { canonicalBoolean, canonicalDate, canonicalDatetime } from './values.js';

/**
 * What one cell could be, as bit flags, computed once per cell: the loader's hot path (every cell
 * of a million-row file), so numbers are recognised by one scan over the characters instead of a
 * set of regular expressions. The canonical date or datetime of the last classified cell is kept
 * in `lastCanonical` rather than allocated per cell.
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
  const n = v.length;
  const i = v.charCodeAt(0) === 45 || v.charCodeAt(0) === 43 ? 1 : 0;
  if (i >= n) return 0;
  let dots = 0;
  let commas = 0;
  let firstSep = -1;
  let lastSep = -1;
  let lastDot = -1;
  let lastComma = -1;
  let groupsOf3 = true; // every group after a separator but the last has 3 digits
  let prevSep = -1;
  for (let j = i; j < n; j++) {
    const c = v.charCodeAt(j);
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
  if (lastSep === n - 1) return 0;
  const intLen = (firstSep < 0 ? n : firstSep) - i;
  if (intLen > 1 && v.charCodeAt(i) === 48) return dots === 0 && commas === 0 ? PADDED : 0; // "00123": a code
  const tail = lastSep < 0 ? 0 : n - lastSep - 1;
  if (dots === 0 && commas === 0) return NUM_VN | NUM_EN | (n - i <= 18 ? WHOLE_VN | WHOLE_EN : 0);
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
  if (commas === 1 && lastSep === lastComma && groupsOfThreeBefore(v, i, lastComma)) return NUM_VN;
  if (dots === 1 && lastSep === lastDot && groupsOfThreeBefore(v, i, lastDot)) return NUM_EN;
  return 0;
}

function groupsOfThreeBefore(v: string, start: number, end: number): boolean {
  let len = 0;
  let first = true;
  for (let j = start; j < end; j++) {
    const c = v.charCodeAt(j);
    if (isDigit(c)) len++;
    else {
      if (first ? len < 1 || len > 3 : len !== 3) return false;
      first = false;
      len = 0;
    }
  }
  return !first && len === 3;
}

/** All the bits of one (trimmed, non-missing) cell. */
export function classify(v: string): number {
  const c = v.charCodeAt(0);
  if (isDigit(c) || c === 45 || c === 43 || c === 46 || c === 44) {
    const num = numberBits(v);
    if (num) return num & PADDED ? PADDED : num;
    if (v.length >= 8) {
      const d = canonicalDate(v);
      if (d) {
        lastCanonical.text = d;
        return DATE;
      }
      const dt = canonicalDatetime(v);
      if (dt) {
        lastCanonical.text = dt.text;
        return dt.zoned ? DATETIME | ZONED : DATETIME;
      }
    }
    return 0;
  }
  return canonicalBoolean(v) !== null ? BOOL : 0;
}
