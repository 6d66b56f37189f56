import type { Readable } from 'node:stream';
import type pg from 'pg';
import { readHead } from '../../../platform/tabular/index.js';
import { csvBatches, sniffDelimiter } from './csv-batches.js';
import { decodeLines, EncodingError, guessSingleByte, sniffEncoding, type FileEncoding } from './decode.js';
import { pgType, type ColumnType } from './infer.js';
import { fieldIds } from './names.js';
import { ReportBuilder, type ValidationReport } from './report.js';
import { DEFAULT_MISSING, RowEncoder, speculate } from './rows.js';
import { TableWriter } from './table-writer.js';

/** A file to load: reopened for each pass (a second pass is rare: see `loadDelimited`). */
export interface LoadSource {
  open(): Readable;
  name: string;
  size: number;
  sha256?: string;
}

export interface LoadedField {
  id: string;
  /** The header cell as written. */
  title: string;
  type: ColumnType['type'];
  style?: ColumnType['style'];
  zoned?: boolean;
  pgType: string;
  /** Legacy font converted in this column. */
  converted?: string;
}

export interface LoadOutcome {
  valid: boolean;
  report: ValidationReport;
  fields: LoadedField[];
  rows: number;
  encoding: FileEncoding;
  delimiter: string;
  passes: number;
}

export interface LoadProgress {
  rows: number;
  bytes: number;
  total: number;
}

class Retry extends Error {
  constructor(
    readonly types: ColumnType[] | null,
    readonly encoding: FileEncoding | null,
  ) {
    super('retry');
  }
}

/** Counts bytes as they are read, for progress. */
function counted(source: Readable, onBytes: (n: number) => void): Readable {
  source.on('data', (c: Buffer) => onBytes(c.length));
  return source;
}

/**
 * Loads a delimited text file (CSV, TSV, semicolon…) into a new table `table` through `client`,
 * inside the caller's transaction: decoding (see decode.ts), parsing, type inference over every
 * value and COPY run in one streaming pass. The columns start with the types the first rows show
 * and widen in place when a later value needs it; when the end of the file shows that a column
 * must be written differently (text after all, the other number style), the table is dropped and
 * the file read once more with the final types; likewise for a file that stops being UTF-8
 * part-way. Never half a table: the caller commits only a valid outcome.
 */
export async function loadDelimited(
  client: pg.PoolClient,
  table: string,
  source: LoadSource,
  opts: { delimiter?: string; missingValues?: string[]; onProgress?: (p: LoadProgress) => void; signal?: AbortSignal } = {},
): Promise<LoadOutcome> {
  const head = await readHead(source.open(), 64 * 1024 + 1);
  let encoding = sniffEncoding(head.buf.subarray(0, 64 * 1024), head.truncated);
  const missing = new Set(opts.missingValues ?? DEFAULT_MISSING);
  let types: ColumnType[] | null = null;
  for (let pass = 1; ; pass++) {
    await client.query(`savepoint load_pass`);
    try {
      const out = await onePass(client, table, source, encoding, types, missing, opts);
      await client.query('release savepoint load_pass');
      return { ...out, passes: pass };
    } catch (e) {
      await client.query('rollback to savepoint load_pass');
      if (!(e instanceof Retry) || pass >= 3) throw e;
      types = e.types ?? types;
      encoding = e.encoding ?? encoding;
    }
  }
}

async function onePass(
  client: pg.PoolClient,
  table: string,
  source: LoadSource,
  encoding: FileEncoding,
  forced: ColumnType[] | null,
  missing: Set<string>,
  opts: { delimiter?: string; onProgress?: (p: LoadProgress) => void; signal?: AbortSignal },
): Promise<Omit<LoadOutcome, 'passes'>> {
  let bytes = 0;
  const stream = counted(source.open(), (n) => (bytes += n));
  const report = new ReportBuilder();
  let delimiter = opts.delimiter ?? ',';
  let enc: RowEncoder | undefined;
  let writer: TableWriter | undefined;
  let rowNumber = 0;
  let title: string[] = [];
  const chunks = (async function* () {
    let first = true;
    for await (const text of decodeLines(stream, encoding)) {
      if (first) {
        first = false;
        const t = text.replace(/^\uFEFF/, '');
        if (!opts.delimiter) delimiter = sniffDelimiter(t);
        yield t;
      } else yield text;
    }
  })();
  // The delimiter is known once the first chunk is decoded: wrap so that csvBatches sees it.
  const firstChunk = await chunks.next();
  const rest = (async function* () {
    if (!firstChunk.done) yield firstChunk.value;
    yield* chunks;
  })();
  try {
    for await (const batch of csvBatches(rest, delimiter)) {
      opts.signal?.throwIfAborted();
      let start = 0;
      if (!enc) {
        // The header: the first row with any text.
        while (start < batch.length && batch[start]!.every((c) => c.trim() === '')) start++;
        if (start >= batch.length) continue;
        title = batch[start]!.map((c) => c.trim().normalize('NFC'));
        while (title.length > 1 && title[title.length - 1] === '') title.pop();
        rowNumber = start + 1;
        start++;
        const ids = fieldIds(title);
        enc = new RowEncoder(ids, [], missing, report);
        let sample = batch.slice(start, start + 5000);
        enc.detectLegacy(sample);
        // A second header row (units under the names, as monitoring files have): text where the rows below hold numbers or dates.
        if (isUnitsRow(enc, sample, missing)) {
          title = title.map((t, i) => (sample[0]![i]?.trim() ? `${t} (${sample[0]![i]!.trim()})` : t));
          report.warn(`Dòng ${rowNumber + 1} được đọc là dòng đơn vị của tiêu đề / Row ${rowNumber + 1} read as the header's units row`);
          start++;
          rowNumber++;
          sample = sample.slice(1);
        }
        enc.types = forced ?? speculate(enc, sample, missing);
        writer = new TableWriter(client, table, ids);
        await writer.create(enc.types);
      }
      let out = '';
      for (let i = start; i < batch.length; i++) {
        rowNumber++;
        const line = enc.encode(batch[i]!, rowNumber);
        if (line === null) continue;
        if (typeof line === 'string') {
          out += `${line}\n`;
          continue;
        }
        await writer!.write(out);
        out = '';
        await writer!.widen(line.column, line.to);
        enc.types[line.column] = line.to;
        i--;
        rowNumber--;
      }
      await writer!.write(out);
      opts.onProgress?.({ rows: enc.rows, bytes, total: source.size });
    }
  } catch (e) {
    writer?.abort();
    if (e instanceof EncodingError && encoding === 'utf-8') throw new Retry(null, guessSingleByte(await lateBytes(source, e.byteOffset)));
    throw e;
  }
  if (!enc || !writer) {
    report.add({ type: 'blank-header', message: 'Tệp không có dòng tiêu đề / The file has no header row' });
    return {
      valid: false,
      report: report.build({ name: source.name, place: source.name, rows: 0, fields: 0, bytes, sha256: source.sha256 }),
      fields: [],
      rows: 0,
      encoding,
      delimiter,
    };
  }
  await writer.flush();
  const retype = forced ? null : enc.settle();
  if (retype) throw new Retry(retype, null);
  if (forced) enc.settle();
  if (enc.blankRows) report.warn(`${enc.blankRows} dòng trống được bỏ qua / ${enc.blankRows} blank rows skipped`);
  const fields: LoadedField[] = enc.ids.map((id, i) => {
    const t = enc!.types[i]!;
    return {
      id,
      title: title[i] ?? id,
      type: t.type,
      ...(t.style && (t.type === 'number' || t.type === 'integer') ? { style: t.style } : {}),
      ...(t.type === 'datetime' ? { zoned: !!t.zoned } : {}),
      pgType: pgType(t),
      ...(enc!.legacy[i] ? { converted: enc!.legacy[i]! } : {}),
    };
  });
  const built = report.build({ name: source.name, place: source.name, rows: enc.rows, fields: fields.length, bytes, sha256: source.sha256 });
  return { valid: built.valid, report: built, fields, rows: enc.rows, encoding, delimiter };
}

function isUnitsRow(enc: RowEncoder, sample: string[][], missing: Set<string>): boolean {
  if (sample.length < 3) return false;
  const below = speculate(enc, sample.slice(1), missing);
  const typed = below.map((t, i) => i).filter((i) => below[i]!.type !== 'string');
  if (typed.length < 2) return false;
  const first = speculate(enc, [sample[0]!], missing);
  const text = typed.filter((i) => first[i]!.type === 'string' && (sample[0]![i] ?? '').trim() !== '');
  return text.length * 2 >= typed.length;
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
