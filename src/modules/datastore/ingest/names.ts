import { cleanText } from '../../../platform/text/index.js';

const MAX_IDENT_BYTES = 63;

function fitBytes(s: string, max: number): string {
  let out = '';
  for (const ch of s) {
    if (Buffer.byteLength(out + ch) > max) break;
    out += ch;
  }
  return out;
}

/**
 * Column ids from header cells, as CKAN keeps them (the header text itself), made safe for
 * PostgreSQL: NFC and trimmed, no double quotes or control characters, not starting with "_"
 * (reserved for _id), at most 63 bytes, unique ("ten", "ten_2"), "cot_N" for an empty cell.
 */
export function fieldIds(header: string[]): string[] {
  const used = new Set<string>();
  return header.map((h, i) => {
    let base = cleanText(h ?? '')
      .replace(/[\p{Cc}"]/gu, '')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/^_+/, '');
    if (!base) base = `cot_${i + 1}`;
    base = fitBytes(base, MAX_IDENT_BYTES - 4);
    let id = base;
    for (let n = 2; used.has(id.toLowerCase()); n++) id = `${base}_${n}`;
    used.add(id.toLowerCase());
    return id;
  });
}

/** A double-quoted SQL identifier (ids never contain quotes, see fieldIds; still escaped). */
export const ident = (s: string): string => `"${s.replaceAll('"', '""')}"`;
