import type { Principal } from '../../platform/auth/index.js';
import type { Db } from '../../platform/db/index.js';
import { badRequest } from '../../platform/http/index.js';
import type { FileStore } from '../../platform/storage/index.js';
import type { FileEncoding } from './ingest/decode.js';
import { EncodingError } from './ingest/decode.js';
import { JsonSourceError } from './ingest/json-rows.js';
import { detectLayout, type LayoutOverride, type SkippedKind } from './ingest/layout.js';
import { fileKind, formatOf, readTables, whole, type FileKind } from './ingest/read-file.js';
import { readWorkbook, SpreadsheetError } from './ingest/workbook.js';
import { RetryPass } from './ingest/write-table.js';
import { editableResource } from './service.js';

/** Rows and columns of a sheet the wizard shows; cells longer than this are cut. */
export const STRUCTURE_ROWS = 60;
const MAX_COLUMNS = 40;
const MAX_CELL = 120;

/** One sheet (or the whole file) as the wizard shows it: its first rows, and where the loader finds the table. */
export interface SheetStructure {
  /** The sheet's position in the workbook (1-based), and its name. */
  index: number;
  name: string | null;
  rows: string[][];
  /** Sheet row numbers (1-based, inclusive); null when no table was found. */
  header_rows: [number, number] | null;
  data_rows: [number, number] | null;
  /** Rows inside the shown part that the loader leaves out of the data. */
  skipped: { row: number; kind: SkippedKind | 'blank' }[];
  columns: number;
}

export interface FileStructure {
  kind: FileKind;
  format: string;
  encoding: string | null;
  delimiter: string | null;
  sheets: SheetStructure[];
}

const cut = (row: string[]) => row.slice(0, MAX_COLUMNS).map((c) => (c.length > MAX_CELL ? `${c.slice(0, MAX_CELL)}…` : c));

/**
 * What the loader sees in a resource's uploaded file, for its editor (the wizard's first step):
 * the encoding and delimiter of a text file, each sheet's first rows with the detected header
 * rows and data range, with the editor's corrections applied when given.
 */
export async function fileStructure(
  deps: { db: Db; files: FileStore },
  p: Principal,
  resourceId: string,
  opts: { encoding?: FileEncoding; delimiter?: string; layout?: Record<string, LayoutOverride> } = {},
): Promise<FileStructure> {
  const { resource } = await editableResource(deps.db, p, resourceId);
  const filename = resource.url.split('/').pop() ?? resource.url;
  const kind = resource.storage_key ? fileKind(resource.format, filename) : null;
  if (!kind || !resource.storage_key)
    throw badRequest(
      'datastore_not_loadable',
      { vi: 'Tài nguyên không phải tệp bảng tải lên.', en: 'The resource is not an uploaded table file.' },
      'resource_id',
    );
  const key = resource.storage_key;
  const source = { open: () => deps.files.open(key), name: filename, size: resource.size ?? 0 };
  const format = formatOf(resource.format, filename);
  try {
    if (kind === 'spreadsheet') {
      const sheets = await readWorkbook(await whole(source));
      return {
        kind,
        format,
        encoding: null,
        delimiter: null,
        sheets: sheets.map((grid, i) => {
          const layout = detectLayout(grid, opts.layout?.[grid.name] ?? opts.layout?.[String(i + 1)] ?? {});
          const rows = grid.rows.slice(0, STRUCTURE_ROWS).map(cut);
          return {
            index: i + 1,
            name: grid.name,
            rows,
            header_rows: layout ? [layout.headerRows[0] + 1, layout.headerRows[1] + 1] : null,
            data_rows: layout ? [layout.dataRows[0] + 1, layout.dataRows[1] + 1] : null,
            skipped: (layout?.skipped ?? []).filter((s) => s.row < STRUCTURE_ROWS).map((s) => ({ row: s.row + 1, kind: s.kind })),
            columns: Math.max(0, ...rows.map((r) => r.length)),
          };
        }),
      };
    }
    const file = await readTables(source, kind, format, { delimiter: opts.delimiter, encoding: opts.encoding });
    const table = file.tables[0]!;
    let rows: string[][] = [];
    for (let attempt = 0; ; attempt++) {
      rows = table.rows.header ? [table.rows.header] : [];
      try {
        for await (const batch of table.rows.open()) {
          if (!batch.rows) break;
          rows.push(...batch.rows.slice(0, STRUCTURE_ROWS - rows.length));
          if (rows.length >= STRUCTURE_ROWS) break;
        }
        break;
      } catch (e) {
        // Not UTF-8 after all: the reader chose the single-byte encoding the bytes show; read again.
        if (!(e instanceof RetryPass) || attempt > 0) throw e;
      }
    }
    const meta = file.meta();
    const first = rows.findIndex((r) => r.some((c) => c.trim() !== ''));
    const shown = rows.map(cut);
    return {
      kind,
      format,
      encoding: meta.encoding ?? null,
      delimiter: meta.delimiter ?? null,
      sheets: [
        {
          index: 1,
          name: null,
          rows: shown,
          header_rows: first >= 0 ? [first + 1, first + 1] : null,
          data_rows: first >= 0 ? [first + 2, Math.max(first + 2, rows.length)] : null,
          skipped: rows.flatMap((r, i) => (i > first && r.every((c) => c.trim() === '') ? [{ row: i + 1, kind: 'blank' as const }] : [])),
          columns: Math.max(0, ...shown.map((r) => r.length)),
        },
      ],
    };
  } catch (e) {
    if (e instanceof SpreadsheetError || e instanceof JsonSourceError || e instanceof EncodingError)
      throw badRequest('datastore_unreadable', { vi: `Không đọc được tệp: ${e.message}`, en: `The file cannot be read: ${e.message}` }, 'file');
    throw e;
  }
}
