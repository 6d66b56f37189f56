import type { Readable } from 'node:stream';
import { readHead } from '../../../platform/tabular/index.js';
import { csvBatches, sniffDelimiter } from './csv-batches.js';
import { decodeLines, EncodingError, guessSingleByte, sniffEncoding, type FileEncoding } from './decode.js';
import { RetryPass, type TableRows } from './write-table.js';

/** A stored file to load: reopened for each pass. */
export interface LoadSource {
  open(): Readable;
  name: string;
  size: number;
  sha256?: string;
}

/** How a delimited file was read (for the provenance). */
export interface DelimitedMeta {
  encoding: FileEncoding;
  delimiter: string;
}

/**
 * A delimited text file (CSV, TSV, semicolon…) as one table's rows: decoded (see decode.ts) and
 * parsed as it streams. The encoding is sniffed from the head; a file that stops being UTF-8
 * part-way makes the writer read it once more as the single-byte encoding its late bytes show.
 * `meta` says what was found (the delimiter once the first rows are read).
 */
export async function delimitedRows(
  source: LoadSource,
  opts: { delimiter?: string | undefined; encoding?: FileEncoding | undefined } = {},
): Promise<{ rows: TableRows; meta: DelimitedMeta }> {
  const head = opts.encoding ? null : await readHead(source.open(), 64 * 1024 + 1);
  const meta: DelimitedMeta = {
    encoding: opts.encoding ?? sniffEncoding(head!.buf.subarray(0, 64 * 1024), head!.truncated),
    delimiter: opts.delimiter ?? ',',
  };
  let bytes = 0;
  const rows: TableRows = {
    name: source.name,
    sha256: source.sha256,
    total: source.size,
    bytes: () => bytes,
    open: async function* () {
      bytes = 0;
      const stream = source.open();
      stream.on('data', (c: Buffer) => (bytes += c.length));
      const encoding = meta.encoding;
      let first = true;
      const chunks = (async function* () {
        for await (const text of decodeLines(stream, encoding)) {
          if (first) {
            first = false;
            const t = text.replace(/^\uFEFF/, '');
            if (!opts.delimiter) meta.delimiter = sniffDelimiter(t);
            yield t;
          } else yield text;
        }
      })();
      // The delimiter is known once the first chunk is decoded: read it before the parser starts.
      const firstChunk = await chunks.next();
      const rest = (async function* () {
        if (!firstChunk.done) yield firstChunk.value;
        yield* chunks;
      })();
      try {
        for await (const batch of csvBatches(rest, meta.delimiter)) yield { rows: batch };
      } catch (e) {
        if (e instanceof EncodingError && encoding === 'utf-8' && !opts.encoding) {
          meta.encoding = guessSingleByte(await lateBytes(source, e.byteOffset));
          throw new RetryPass(null);
        }
        throw e;
      } finally {
        stream.destroy();
      }
    },
  };
  return { rows, meta };
}

/** The bytes around a decoding failure, to tell which single-byte encoding the file is in. */
async function lateBytes(source: LoadSource, offset: number): Promise<Buffer> {
  const s = source.open();
  const chunks: Buffer[] = [];
  let at = 0;
  for await (const c of s as AsyncIterable<Buffer>) {
    if (at + c.length > offset - 32 * 1024) chunks.push(c);
    at += c.length;
    if (at > offset + 32 * 1024) break;
  }
  s.destroy();
  return Buffer.concat(chunks);
}
