import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../../platform/root.js';

/**
 * The legacy Vietnamese encodings still found in government files, TCVN3 (TCVN 5712, the ABC
 * fonts) and VNI, both as bytes of a file and as mojibake inside Unicode text (cells typed with
 * .VnTime or VNI-Times fonts, which hold Latin-1 characters). No maintained npm library converts
 * them (iconv-lite knows neither), so the tables are here: TCVN3 from glibc's charmap (shipped in
 * data/encodings, LGPL-2.1+), VNI written from its published layout.
 */

/** TCVN 5712:1993 byte → character, for the single-byte entries (VN3 uses the same lowercase layout). */
function loadTcvn(): Map<number, string> {
  const text = fs.readFileSync(path.join(ROOT, 'data/encodings/TCVN5712-1.charmap'), 'latin1');
  const map = new Map<number, string>();
  for (const m of text.matchAll(/^<U([0-9A-F]{4,5})>\s+\/x([0-9a-f]{2})\s/gim)) {
    const byte = parseInt(m[2]!, 16);
    const ch = String.fromCodePoint(parseInt(m[1]!, 16));
    if (byte >= 0x80 || (byte < 0x20 && ch.charCodeAt(0) >= 0x80)) map.set(byte, ch);
  }
  return map;
}

let tcvn: Map<number, string> | undefined;
const tcvnTable = () => (tcvn ??= loadTcvn());

/** TCVN3 text read as Latin-1 (file bytes, or mojibake characters U+0080–U+00FF) → Unicode (NFC). */
export function fromTcvn3(latin1: string): string {
  const t = tcvnTable();
  let out = '';
  for (let i = 0; i < latin1.length; i++) {
    const c = latin1.charCodeAt(i);
    out += c >= 0x80 && c <= 0xff ? (t.get(c) ?? latin1[i]!) : c < 0x20 && t.has(c) && c !== 9 && c !== 10 && c !== 13 ? t.get(c)! : latin1[i]!;
  }
  return out.normalize('NFC');
}

// VNI: a base letter followed by one mark byte (read as Latin-1); some letters are one byte.
const VNI_MARKS: Record<string, string> = {
  ù: '\u0301',
  ø: '\u0300',
  û: '\u0309',
  õ: '\u0303',
  ï: '\u0323',
  â: '\u0302',
  á: '\u0302\u0301',
  à: '\u0302\u0300',
  å: '\u0302\u0309',
  ã: '\u0302\u0303',
  ä: '\u0302\u0323',
  ê: '\u0306',
  é: '\u0306\u0301',
  è: '\u0306\u0300',
  ú: '\u0306\u0309',
  ü: '\u0306\u0303',
  ë: '\u0306\u0323',
};
const VNI_SINGLE: Record<string, string> = {
  ô: 'ơ',
  ö: 'ư',
  í: 'í',
  ì: 'ì',
  æ: 'ỉ',
  ó: 'ĩ',
  ò: 'ị',
  î: 'ỵ',
  ñ: 'đ',
  Ô: 'Ơ',
  Ö: 'Ư',
  Í: 'Í',
  Ì: 'Ì',
  Æ: 'Ỉ',
  Ó: 'Ĩ',
  Ò: 'Ị',
  Î: 'Ỵ',
  Ñ: 'Đ',
};
/** Which marks a base letter takes: â/ê (circumflex) and ă (breve) only where Vietnamese has them. */
const CIRCUMFLEX_BASES = new Set(['a', 'e', 'o']);
const BREVE_BASES = new Set(['a']);
const VNI_BASES = /[aeiouyAEIOUYơưƠƯ]/;

/** VNI text read as Latin-1 → Unicode (NFC). */
export function fromVni(latin1: string): string {
  let out = '';
  for (let i = 0; i < latin1.length; i++) {
    const ch = latin1[i]!;
    const single = VNI_SINGLE[ch];
    const base = single ?? ch;
    const next = latin1[i + 1];
    if (next !== undefined && VNI_BASES.test(base)) {
      const mark = VNI_MARKS[next.toLowerCase()];
      const b = base.toLowerCase();
      if (mark && (mark[0] === '\u0302' ? CIRCUMFLEX_BASES.has(b) : mark[0] === '\u0306' ? BREVE_BASES.has(b) : true)) {
        out += base + mark;
        i++;
        continue;
      }
    }
    out += base;
  }
  return out.normalize('NFC');
}

const TONES = /[\u0300\u0301\u0303\u0309\u0323]/g;
const SYLLABLE =
  /^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?(oai|oay|oeo|uây|uôi|ươi|ươu|uyê|uya|uyu|yêu|iêu|ai|ao|au|âu|ay|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|ôi|ơi|oo|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|yê|[aăâeêioôơuưy])(ch|ng|nh|[cmnpt])?$/;

/** How much of a text reads as Vietnamese: the number of accented words that are valid syllables, minus the others. */
export function vietnameseScore(text: string): number {
  let score = 0;
  for (const word of text.toLowerCase().split(/[^\p{L}\p{M}]+/u)) {
    if (!word || /^[a-z]+$/.test(word)) continue;
    const nfd = word.normalize('NFD');
    const tones = nfd.match(TONES)?.length ?? 0;
    const base = nfd.replace(TONES, '').normalize('NFC');
    score += tones <= 1 && SYLLABLE.test(base) ? 1 : -1;
  }
  return score;
}

export type LegacyFont = 'tcvn3' | 'vni';
const CONVERT: Record<LegacyFont, (s: string) => string> = { tcvn3: fromTcvn3, vni: fromVni };
export const convertLegacy = (font: LegacyFont, s: string): string => CONVERT[font](s);

/**
 * Whether Unicode text is legacy-font mojibake, and of which font: the conversion that turns
 * clearly more words into Vietnamese syllables than the text has as it is. Null when the text has
 * no Latin-1 letters or reads better unconverted.
 */
export function detectMojibake(text: string): LegacyFont | null {
  if (!/[\u00a0-\u00ff]/.test(text)) return null;
  const asIs = vietnameseScore(text);
  let best: LegacyFont | null = null;
  let bestScore = asIs;
  for (const font of ['tcvn3', 'vni'] as const) {
    const s = vietnameseScore(CONVERT[font](text));
    if (s > bestScore + 1) {
      best = font;
      bestScore = s;
    }
  }
  return best;
}
