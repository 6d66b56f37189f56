import type { FileEncoding } from './decode.js';
import type { LoadSource, DelimitedMeta } from './delimited.js';
import { delimitedRows } from './delimited.js';
import { jsonRows, type JsonShape } from './json-rows.js';
import type { LayoutOverride, SheetLayout } from './layout.js';
import { sheetTables } from './sheet-rows.js';
import { readWorkbook, SPREADSHEET_LIMITS, SpreadsheetError } from './workbook.js';
import type { TableRows } from './write-table.js';

export type FileKind = 'delimited' | 'spreadsheet' | 'json';

/** Formats (CKAN's format names, or the file's extension) the loader reads, by reader. */
const KINDS: Record<string, FileKind> = {
  CSV: 'delimited',
  TSV: 'delimited',
  TXT: 'delimited',
  TAB: 'delimited',
  XLSX: 'spreadsheet',
  XLSM: 'spreadsheet',
  XLS: 'spreadsheet',
  ODS: 'spreadsheet',
  JSON: 'json',
  JSONL: 'json',
  NDJSON: 'json',
  GEOJSON: 'json',
};

/** The reader for a resource's format or, failing that, its file name's extension; null when it is not a table. */
export function fileKind(format: string | null | undefined, filename: string | null | undefined): FileKind | null {
  const ext = (filename ?? '').split('.').pop()?.toUpperCase() ?? '';
  return KINDS[(format ?? '').toUpperCase()] ?? KINDS[ext] ?? null;
}

/** The format name a file is read as (its declared format if the loader knows it, else its extension). */
export function formatOf(format: string | null | undefined, filename: string | null | undefined): string {
  const f = (format ?? '').toUpperCase();
  return KINDS[f] ? f : ((filename ?? '').split('.').pop()?.toUpperCase() ?? '');
}

/** One table of a file: the whole file, or one sheet of a workbook (numbered from 1). */
export interface FileTable {
  sheet: number;
  sheetName?: string;
  layout?: SheetLayout;
  rows: TableRows;
}

export interface FileTables {
  kind: FileKind;
  tables: FileTable[];
  /** How the file was read, for the provenance (complete once the rows have been read). */
  meta(): { encoding?: string; delimiter?: string; shape?: JsonShape; sheets?: string[] };
}

export interface ReadOptions {
  delimiter?: string | undefined;
  encoding?: FileEncoding | undefined;
  /** Per sheet (name or number): the editor's header rows and data range. */
  layout?: Record<string, LayoutOverride>;
}

export async function whole(source: LoadSource): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of source.open() as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > SPREADSHEET_LIMITS.maxFileBytes)
      throw new SpreadsheetError('spreadsheet_too_large', `spreadsheet larger than ${SPREADSHEET_LIMITS.maxFileBytes} bytes`);
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

/** Opens a stored file as the tables it holds. */
export async function readTables(source: LoadSource, kind: FileKind, format: string, opts: ReadOptions = {}): Promise<FileTables> {
  switch (kind) {
    case 'delimited': {
      const { rows, meta } = await delimitedRows(source, {
        delimiter: opts.delimiter ?? (format === 'TSV' || format === 'TAB' ? '\t' : undefined),
        encoding: opts.encoding,
      });
      return { kind, tables: [{ sheet: 1, rows }], meta: (): DelimitedMeta => ({ ...meta }) };
    }
    case 'json': {
      const { rows, shape } = await jsonRows(source, format);
      return { kind, tables: [{ sheet: 1, rows }], meta: () => ({ encoding: 'utf-8', shape }) };
    }
    case 'spreadsheet': {
      const sheets = await readWorkbook(await whole(source));
      const tables = sheetTables(sheets, source, opts.layout).map((t) => ({ sheet: t.sheet, sheetName: t.name, layout: t.layout, rows: t.rows }));
      return { kind, tables, meta: () => ({ sheets: tables.map((t) => t.sheetName) }) };
    }
  }
}
