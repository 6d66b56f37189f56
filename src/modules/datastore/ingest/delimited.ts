import type { Readable } from 'node:stream';
import { readHead, sniffDelimiter } from '../../../platform/tabular/index.js';
import { CsvScanner } from './csv-scan.js';
import { decodeChunks, EncodingError, guessSingleByte, sniffEncoding, type FileEncoding } from './decode.js';
import { decodeFileInWorker } from './decode-worker.js';
import { RetryPass, type RowBatch, type TableRows } from './write-table.js';

/** Rows read as text first: the header and the sample the column types start from. */
const HEAD_ROWS = 5100;

/** A stored file to load: reopened for each pass. */
export interface LoadSource {
  open(): Readable;
  /** Where the file is on disk, when it is: a UTF-8 file is then read and checked in a worker thread. */
  path?: string | null;
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
      const encoding = meta.encoding;
      const inWorker = encoding === 'utf-8' && !!source.path;
      const stream = inWorker ? null : source.open();
      stream?.on('data', (c: Buffer) => (bytes += c.length));
      const chunks = inWorker ? decodeFileInWorker(source.path!, (n) => (bytes = n)) : decodeChunks(stream!, encoding);
      let scan: CsvScanner | undefined;
      let head: string[][] | null = [];
      let carry = null as Buffer | null;
      // The first rows as text (the header and the sample), then each chunk's rows as the scanner reads them.
      const rowsOf = function* (buf: Buffer, final: boolean): Generator<RowBatch> {
        if (!scan) {
          if (!opts.delimiter) meta.delimiter = sniffDelimiter(buf.toString('utf8', 0, Math.min(buf.length, 64 * 1024)));
          scan = new CsvScanner(meta.delimiter.charCodeAt(0));
        }
        scan.reset(buf, final);
        if (head) {
          while (head.length < HEAD_ROWS && scan.next()) head.push(scan.strings());
          if (head.length < HEAD_ROWS && !final) {
            carry = Buffer.from(scan.rest());
            return;
          }
          yield { rows: head };
          head = null;
        }
        yield { scan };
        carry = Buffer.from(scan.rest());
      };
      try {
        for await (const chunk of chunks) yield* rowsOf(carry?.length ? Buffer.concat([carry, chunk]) : chunk, false);
        yield* rowsOf(carry ?? Buffer.alloc(0), true);
      } catch (e) {
        if (e instanceof EncodingError && encoding === 'utf-8' && !opts.encoding) {
          meta.encoding = guessSingleByte(await lateBytes(source, e.byteOffset));
          throw new RetryPass(null);
        }
        throw e;
      } finally {
        stream?.destroy();
        await chunks.return(undefined);
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
