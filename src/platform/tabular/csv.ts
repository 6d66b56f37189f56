import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { readHead } from './head.js';
import { checkAborted, type ReadLimits } from './limits.js';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1258';

/**
 * The encoding of a text file from its first bytes: a byte-order mark, else UTF-8 when the bytes
 * are valid UTF-8, else Windows-1258 (the Vietnamese Windows code page older sector software and
 * Excel exports write). TCVN3 and VNI are fonts over single-byte text and are told apart from
 * Windows-1258 by the datastore's ingest, not here.
 */
export function detectEncoding(head: Buffer, truncated: boolean): TextEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: truncated });
    return 'utf-8';
  } catch {
    return 'windows-1258';
  }
}

/** The field separator of a CSV from its first line: the most frequent of , ; tab |. */
export function detectDelimiter(firstLine: string): string {
  const counts = [',', ';', '\t', '|'].map((d) => [d, firstLine.split(d).length - 1] as const);
  return counts.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
}

export interface CsvHead {
  rows: string[][];
  encoding: TextEncoding;
  delimiter: string;
  /** More rows (or bytes) followed than were read. */
  truncated: boolean;
}

/**
 * The first rows of a delimited text file, decoded (see `detectEncoding`) and parsed by csv-parse
 * (RFC 4180 quoting, CRLF or LF, ragged rows kept), reading at most `maxBytes` of the stream.
 * A row cut by the byte limit is dropped, not shown half.
 */
export async function readCsvHead(source: Readable, limits: ReadLimits & { maxBytes: number }): Promise<CsvHead> {
  const head = await readHead(source, limits.maxBytes, limits.signal);
  const buf = head.buf;
  let truncated = head.truncated;
  const encoding = detectEncoding(buf.subarray(0, 64 * 1024), truncated || buf.length > 64 * 1024);
  // Stored and compared as NFC: Windows-1258 writes tone marks as separate combining characters.
  let text = iconv.decode(buf, encoding).normalize('NFC');
  if (truncated) text = text.slice(0, Math.max(0, text.lastIndexOf('\n'))); // the last row may be cut
  const firstLine = /^[^\r\n]*/.exec(text)?.[0] ?? '';
  const delimiter = detectDelimiter(firstLine.replace(/^\uFEFF/, ''));
  const rows: string[][] = [];
  const parser = parse({ delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true });
  parser.end(text);
  for await (const record of parser as AsyncIterable<string[]>) {
    checkAborted(limits.signal);
    rows.push(record.slice(0, limits.maxColumns).map((c) => (c.length > limits.maxCellChars ? c.slice(0, limits.maxCellChars) : c)));
    if (rows.length >= limits.maxRows) {
      truncated = true;
      break;
    }
  }
  return { rows, encoding, delimiter, truncated };
}
