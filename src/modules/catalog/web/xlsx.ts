import ExcelJS from 'exceljs';
import type { Readable } from 'node:stream';

/** Spreadsheets larger than this are not previewed (the reader unzips as it goes). */
export const XLSX_PREVIEW_MAX_BYTES = 20 * 1024 * 1024;

type CellValue = ExcelJS.CellValue;

const pad = (n: number) => String(n).padStart(2, '0');

/** A cell as text, the way a Vietnamese reader expects it (dates dd/mm/yyyy). */
export function cellText(v: CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return `${pad(v.getUTCDate())}/${pad(v.getUTCMonth() + 1)}/${v.getUTCFullYear()}`;
  if (typeof v !== 'object') return String(v);
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('result' in v) return cellText(v.result as CellValue);
  if ('text' in v) return String(v.text);
  if ('error' in v) return String(v.error);
  return '';
}

/** The first rows of the first worksheet, read as a stream (exceljs): never the whole file in memory. */
export async function xlsxHead(source: Readable, maxRows: number): Promise<string[][]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    worksheets: 'emit',
    entries: 'ignore',
  });
  try {
    for await (const sheet of reader) {
      const rows: string[][] = [];
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const values = Array.isArray(row.values) ? row.values.slice(1) : [];
        rows.push(values.map((v) => cellText(v as CellValue)));
        if (rows.length >= maxRows) break;
      }
      return rows;
    }
    return [];
  } finally {
    source.destroy();
  }
}
