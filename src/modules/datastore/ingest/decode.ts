import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { detectEncoding } from '../../../platform/tabular/index.js';
import { convertLegacy, vietnameseScore, type LegacyFont } from './legacy.js';

/** Every encoding the loader reads; the legacy fonts are single-byte text read as Latin-1 and converted. */
export type FileEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1258' | LegacyFont;

export class EncodingError extends Error {
  constructor(readonly byteOffset: number) {
    super(`not valid UTF-8 near byte ${byteOffset}`);
  }
}

const SINGLE_BYTE: readonly FileEncoding[] = ['windows-1258', 'tcvn3', 'vni'];

const decodeSingle = (buf: Buffer, enc: FileEncoding): string =>
  enc === 'windows-1258' ? iconv.decode(buf, 'windows-1258') : convertLegacy(enc as LegacyFont, buf.toString('latin1'));

/** The single-byte encoding whose reading of these bytes has the most Vietnamese syllables. */
export function guessSingleByte(buf: Buffer): FileEncoding {
  let best: FileEncoding = 'windows-1258';
  let bestScore = -Infinity;
  for (const enc of SINGLE_BYTE) {
    const s = vietnameseScore(decodeSingle(buf, enc).normalize('NFC'));
    if (s > bestScore) {
      best = enc;
      bestScore = s;
    }
  }
  return best;
}

/** A byte-order mark, else valid UTF-8 (the platform's rule), else the best single-byte reading of the head. */
export function sniffEncoding(head: Buffer, truncated: boolean): FileEncoding {
  const e = detectEncoding(head, truncated);
  return e === 'windows-1258' ? guessSingleByte(head) : e;
}

/**
 * A text stream as NFC UTF-8 bytes cut at line ends (so no chunk splits a character, a combining
 * sequence or a VNI letter and its mark), without a byte-order mark. UTF-8 is checked and passed
 * through as it is (native `isUtf8`; only a chunk that may not be NFC is normalised); other
 * encodings are decoded and written as UTF-8. A byte that is not UTF-8 in a file read as UTF-8
 * raises EncodingError (the loader then reads it again as single-byte text).
 */
export async function* decodeChunks(source: Readable, enc: FileEncoding): AsyncGenerator<Buffer> {
  if (enc !== 'utf-8') {
    for await (const text of decodeText(source, enc)) yield Buffer.from(text, 'utf8');
    return;
  }
  let carry: Buffer | null = null;
  let offset = 0;
  let first = true;
  const checked = (buf: Buffer, at: number): Buffer => {
    if (first) {
      first = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    }
    if (!isUtf8(buf)) throw new EncodingError(at + firstBadByte(buf));
    return maybeNotNfc(buf) ? Buffer.from(buf.toString('utf8').normalize('NFC'), 'utf8') : buf;
  };
  // Chunks gathered to about 1 MB (a file stream gives 64 KB): one copy each, and fewer, larger batches downstream.
  const parts: Buffer[] = [];
  let gathered = 0;
  for await (const chunk of source as AsyncIterable<Buffer>) {
    parts.push(chunk);
    gathered += chunk.length;
    if (gathered < GATHER) continue;
    if (carry) parts.unshift(carry);
    const buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    parts.length = 0;
    gathered = 0;
    const cut = buf.lastIndexOf(10) + 1;
    if (cut === 0) {
      carry = buf;
      continue;
    }
    carry = cut < buf.length ? Buffer.from(buf.subarray(cut)) : null;
    yield checked(buf.subarray(0, cut), offset);
    offset += cut;
  }
  if (parts.length) carry = Buffer.concat(carry ? [carry, ...parts] : parts);
  if (carry?.length) yield checked(carry, offset);
}

/**
 * Whether UTF-8 text may change under NFC: true unless every character is ASCII, U+0080–U+02FF,
 * U+1E00–U+1EFF (the precomposed Vietnamese letters) or U+2002–U+20BF (punctuation, currency),
 * none of which composes with a neighbour or is replaced (NFC_Quick_Check = Yes, combining class 0).
 */
export function maybeNotNfc(b: Buffer): boolean {
  // Over the bytes as Latin-1 (one char per byte): continuation bytes (0x80–0xBF) never match a lead byte's class.
  return MAYBE_NOT_NFC.test(b.toString('latin1'));
}
export const MAYBE_NOT_NFC = /[\xcc-\xe0\xe3-\xff]|\xe1[^\xb8-\xbb]|\xe2(?:[^\x80-\x82]|\x80[\x80\x81])/;

/** Where UTF-8 goes wrong (the lead byte of the first bad sequence), for the re-read's guess; 0 when not found. */
export function firstBadByte(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const c = b[i]!;
    const len = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (!len) return i;
    for (let k = 1; k < len; k++) if (((b[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += len;
  }
  return 0;
}

const GATHER = 1 << 20;

/** A non-UTF-8 text stream as NFC strings cut at line ends. */
async function* decodeText(source: Readable, enc: FileEncoding): AsyncGenerator<string> {
  const td = enc === 'utf-16le' || enc === 'utf-16be' ? new TextDecoder(enc, { fatal: true, ignoreBOM: false }) : null;
  let carry = '';
  let offset = 0;
  const utf16 = (chunk?: Buffer): string => {
    try {
      return chunk ? td!.decode(chunk, { stream: true }) : td!.decode();
    } catch {
      throw new EncodingError(offset);
    }
  };
  for await (const chunk of source as AsyncIterable<Buffer>) {
    let text = carry + (td ? utf16(chunk) : chunk.toString('latin1'));
    offset += chunk.length;
    const cut = text.lastIndexOf('\n') + 1;
    if (cut === 0) {
      carry = text;
      continue;
    }
    carry = text.slice(cut);
    text = text.slice(0, cut);
    yield td ? text.normalize('NFC') : decodeSingleText(text, enc);
  }
  if (td) carry += utf16();
  if (carry) yield td ? carry.normalize('NFC') : decodeSingleText(carry, enc);
}

/** Latin-1 text (one char per byte) in a single-byte encoding → NFC. */
function decodeSingleText(latin1: string, enc: FileEncoding): string {
  return (enc === 'windows-1258' ? iconv.decode(Buffer.from(latin1, 'latin1'), 'windows-1258') : convertLegacy(enc as LegacyFont, latin1)).normalize('NFC');
}
