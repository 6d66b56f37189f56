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
 * A text stream as NFC strings cut at line ends (so no chunk splits a character, a combining
 * sequence or a VNI letter and its mark), without a byte-order mark. A byte that is not UTF-8 in
 * a file read as UTF-8 raises EncodingError (the loader then reads it again as single-byte text).
 */
export async function* decodeLines(source: Readable, enc: FileEncoding): AsyncGenerator<string> {
  const td = enc === 'utf-8' || enc === 'utf-16le' || enc === 'utf-16be' ? new TextDecoder(enc, { fatal: true, ignoreBOM: false }) : null;
  let carry = '';
  let offset = 0;
  for await (const chunk of source as AsyncIterable<Buffer>) {
    let text: string;
    if (td) {
      try {
        text = td.decode(chunk, { stream: true });
      } catch {
        throw new EncodingError(offset);
      }
    } else text = chunk.toString('latin1');
    offset += chunk.length;
    text = carry + text;
    const cut = text.lastIndexOf('\n') + 1;
    if (cut === 0) {
      carry = text;
      continue;
    }
    carry = text.slice(cut);
    const lines = text.slice(0, cut);
    yield td ? lines.normalize('NFC') : decodeSingleText(lines, enc);
  }
  if (td) {
    try {
      carry += td.decode();
    } catch {
      throw new EncodingError(offset);
    }
  }
  if (carry) yield td ? carry.normalize('NFC') : decodeSingleText(carry, enc);
}

/** Latin-1 text (one char per byte) in a single-byte encoding → NFC. */
function decodeSingleText(latin1: string, enc: FileEncoding): string {
  return (enc === 'windows-1258' ? iconv.decode(Buffer.from(latin1, 'latin1'), 'windows-1258') : convertLegacy(enc as LegacyFont, latin1)).normalize('NFC');
}
