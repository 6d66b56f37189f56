/**
 * Vietnamese name keys for administrative units.
 *
 * `foldVi` is the accent-insensitive key stored in `admin_unit.name_key`; `parseUnitName` strips the
 * administrative prefix ("TP.", "H.", "Thị trấn" …) and gives the key the resolver matches on.
 */

import { foldVi as foldText } from '../../platform/text/index.js';

const DASHES = /\s*[-‐‑‒–—―−﹣－]\s*/gu;
const APOSTROPHES = /[’‘ʼ`´]/gu;

/**
 * The unit name key: the platform's accent-insensitive key (đ → d, lower case, whitespace collapsed)
 * with apostrophe variants unified and every hyphen/dash variant (with or without spaces) → "-".
 * "Thành phố Phan Rang – Tháp Chàm" → "thanh pho phan rang-thap cham"; "Đà Lạt" → "da lat".
 */
export function foldVi(text: string): string {
  return foldText(text).replace(APOSTROPHES, "'").replace(DASHES, '-').trim();
}

/** ASCII transliteration keeping case: "Đô Vinh" → "Do Vinh" (for derived English names). */
export function asciiVi(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFC');
}

/** The unit types the GSO list uses, by level. */
export const UNIT_TYPES = ['Tỉnh', 'Thành phố', 'Quận', 'Huyện', 'Thị xã', 'Phường', 'Xã', 'Thị trấn', 'Đặc khu'] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

/**
 * Prefixes as they are written, folded, longest first. Single-letter abbreviations need their dot
 * ("H. Ninh Hải"), because single syllables also begin names ("Xã A Dơi").
 */
const PREFIXES: [RegExp, UnitType][] = [
  [/^thanh pho\b\.?\s*/, 'Thành phố'],
  [/^t\.\s?p\.\s*/, 'Thành phố'],
  [/^tp\.\s*/, 'Thành phố'],
  [/^tp\s+/, 'Thành phố'],
  [/^thi xa\b\.?\s*/, 'Thị xã'],
  [/^t\.\s?x\.\s*/, 'Thị xã'],
  [/^tx\.\s*/, 'Thị xã'],
  [/^tx\s+/, 'Thị xã'],
  [/^thi tran\b\.?\s*/, 'Thị trấn'],
  [/^t\.\s?t\.\s*/, 'Thị trấn'],
  [/^tt\.\s*/, 'Thị trấn'],
  [/^tt\s+/, 'Thị trấn'],
  [/^dac khu\b\.?\s*/, 'Đặc khu'],
  [/^tinh\b\.?\s*/, 'Tỉnh'],
  [/^huyen\b\.?\s*/, 'Huyện'],
  [/^h\.\s*/, 'Huyện'],
  [/^quan\b\.?\s*/, 'Quận'],
  [/^q\.\s*/, 'Quận'],
  [/^phuong\b\.?\s*/, 'Phường'],
  [/^p\.\s*/, 'Phường'],
  [/^xa\b\.?\s*/, 'Xã'],
  [/^x\.\s*/, 'Xã'],
];

export interface ParsedName {
  /** The type the prefix names, if any. */
  type: UnitType | null;
  /** Folded name without the prefix, for matching: "phan rang thap cham", "1" for "Phường 01". */
  key: string;
  /** The same without folding accents (lower case, NFC): ranks exact spellings higher. */
  accented: string;
}

/** The matching key of a bare name: dashes and punctuation become spaces, numbers lose leading zeros. */
function bareKey(folded: string): string {
  return folded
    .replace(/[-'.,;:()"/]+/g, ' ')
    .replace(/\b0+(\d)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/gu;

/**
 * Moves the tone mark of each syllable to its end, so both spelling conventions give one form:
 * "Hoà" (old style) and "Hòa" (new style), "Thuỷ" and "Thủy".
 */
function canonicalTones(nfcLower: string): string {
  return nfcLower
    .normalize('NFD')
    .split(' ')
    .map((syllable) => {
      const tones = syllable.match(TONE_MARKS);
      return tones ? syllable.replace(TONE_MARKS, '') + tones.join('') : syllable;
    })
    .join(' ');
}

/** Accented lower-case form with the same punctuation rules (accents kept, tone placement unified). */
function accentedKey(text: string): string {
  return canonicalTones(bareKey(text.normalize('NFC').toLowerCase().replace(APOSTROPHES, "'").replace(/\s+/g, ' ').replace(DASHES, '-').trim()));
}

/** Matching keys of a name that has no prefix (a unit's name after its type). */
export function bareKeys(text: string): { key: string; accented: string } {
  const nfc = text.normalize('NFC').replace(/\s+/g, ' ').trim();
  return { key: bareKey(foldVi(nfc)), accented: accentedKey(nfc) };
}

/**
 * Splits a unit name as people write it into its type (from the prefix or abbreviation) and the
 * matching key. "TP. Phan Rang-Tháp Chàm" → {type: 'Thành phố', key: 'phan rang thap cham'};
 * "Phường 01" → {type: 'Phường', key: '1'}; "Ninh Hải" → {type: null, key: 'ninh hai'}.
 * A prefix alone ("Phường") is a name, not a prefix.
 */
export function parseUnitName(text: string): ParsedName {
  const nfc = text.normalize('NFC').replace(/\s+/g, ' ').trim();
  const folded = foldVi(nfc);
  for (const [re, type] of PREFIXES) {
    const m = re.exec(folded);
    if (!m || m[0].length >= folded.length) continue;
    const key = bareKey(folded.slice(m[0].length));
    if (!key) continue;
    // Folding keeps one character per base letter (whitespace is already collapsed), so the prefix
    // is dropped from the accented text by counting base letters.
    return { type, key, accented: accentedKey(dropBaseLetters(nfc, m[0].length)) };
  }
  return { type: null, ...bareKeys(nfc) };
}

/** Removes the first `n` characters of the folded form from an NFC string (folding maps 1 base letter → 1 char). */
function dropBaseLetters(nfc: string, n: number): string {
  let seen = 0;
  let i = 0;
  const decomposed = nfc.normalize('NFD');
  while (i < decomposed.length && seen < n) {
    const ch = decomposed[i]!;
    if (!/\p{M}/u.test(ch)) seen++;
    i++;
  }
  while (i < decomposed.length && /\p{M}/u.test(decomposed[i]!)) i++;
  return decomposed.slice(i).normalize('NFC');
}
