import * as XLSX from '@e965/xlsx';
import yauzl from 'yauzl';
import { excelSerialDate } from '../../../platform/tabular/index.js';
import type { Grid } from './layout.js';

/** Spreadsheet files are read whole (SheetJS has no streaming reader): this bounds the file and what it inflates to. */
export const SPREADSHEET_LIMITS = { maxFileBytes: 100 * 1024 * 1024, maxInflatedBytes: 1024 * 1024 * 1024, maxCells: 20_000_000 };

export class SpreadsheetError extends Error {
  constructor(
    readonly code: 'spreadsheet_too_large' | 'spreadsheet_unreadable',
    message: string,
  ) {
    super(message);
  }
}

export interface SheetGrid extends Grid {
  name: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An Excel serial (1900 date system) as ISO text: a date, or a date and time when it has a fraction. */
function serialText(serial: number): string {
  const d = excelSerialDate(serial);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return d.getTime() % 86400_000 === 0 ? date : `${date} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** A number as plain digits (no exponent), as the loader's number reader expects. */
function numberText(n: number): string {
  const s = String(n);
  return /e/i.test(s) ? n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 }) : s;
}

function cellText(cell: XLSX.CellObject | undefined): string {
  if (!cell) return '';
  switch (cell.t) {
    case 's':
      return String(cell.v ?? '').normalize('NFC');
    case 'n': {
      const v = cell.v as number;
      if (!Number.isFinite(v)) return '';
      return cell.z && typeof cell.z === 'string' && XLSX.SSF.is_date(cell.z) ? serialText(v) : numberText(v);
    }
    case 'b':
      return cell.v ? 'true' : 'false';
    case 'd':
      return cell.v instanceof Date
        ? cell.v
            .toISOString()
            .replace('T', ' ')
            .replace(/(\.000)?Z$/, '')
            .replace(/ 00:00:00$/, '')
        : '';
    default: // e (an error such as #DIV/0!), z (a stub)
      return '';
  }
}

/**
 * The inflated size of a zip container (XLSX, ODS), counted by inflating every entry once under
 * the cap — not trusting the sizes the zip declares — so a zip bomb is refused before SheetJS
 * inflates it in memory.
 */
async function checkZip(buf: Buffer): Promise<void> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(buf, { lazyEntries: true, validateEntrySizes: true }, (e, z) => (e ? reject(e) : resolve(z))),
  );
  let total = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err) return reject(err);
          stream.on('data', (c: Buffer) => {
            total += c.length;
            if (total > SPREADSHEET_LIMITS.maxInflatedBytes) {
              stream.destroy();
              reject(new SpreadsheetError('spreadsheet_too_large', `inflates to more than ${SPREADSHEET_LIMITS.maxInflatedBytes} bytes`));
            }
          });
          stream.on('end', () => zip.readEntry());
          stream.on('error', reject);
        });
      });
      zip.on('end', resolve);
      zip.on('error', reject);
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}

/**
 * Every sheet of a workbook (XLSX, ODS or the old binary XLS, read by SheetJS) as text grids with
 * their merged ranges: numbers in plain English style, date cells as ISO dates, booleans as
 * true/false, text NFC. Legacy-font text in the cells is left as typed (the loader converts it
 * per column).
 */
export async function readWorkbook(buf: Buffer): Promise<SheetGrid[]> {
  if (buf.length > SPREADSHEET_LIMITS.maxFileBytes)
    throw new SpreadsheetError('spreadsheet_too_large', `spreadsheet larger than ${SPREADSHEET_LIMITS.maxFileBytes} bytes`);
  if (buf.subarray(0, 2).toString('latin1') === 'PK')
    await checkZip(buf).catch((e: unknown) => {
      throw e instanceof SpreadsheetError
        ? e
        : new SpreadsheetError('spreadsheet_unreadable', `Tệp bảng tính hỏng / Damaged workbook: ${(e as Error).message}`);
    });
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(buf, { type: 'buffer', dense: true, cellNF: true, cellFormula: false, cellHTML: false, cellText: false, cellStyles: false, WTF: false });
  } catch (e) {
    throw new SpreadsheetError('spreadsheet_unreadable', `Không đọc được bảng tính / Unreadable workbook: ${e instanceof Error ? e.message : String(e)}`);
  }
  let cells = 0;
  return wb.SheetNames.map((name) => {
    const ws = wb.Sheets[name]!;
    const data = (ws['!data'] ?? []) as (XLSX.CellObject[] | undefined)[];
    const rows: string[][] = [];
    for (let r = 0; r < data.length; r++) {
      const row = data[r] ?? [];
      const out: string[] = new Array<string>(row.length);
      for (let c = 0; c < row.length; c++) out[c] = cellText(row[c]);
      cells += row.length;
      if (cells > SPREADSHEET_LIMITS.maxCells) throw new SpreadsheetError('spreadsheet_too_large', `more than ${SPREADSHEET_LIMITS.maxCells} cells`);
      while (out.length && out[out.length - 1] === '') out.pop();
      rows.push(out);
    }
    while (rows.length && rows[rows.length - 1]!.length === 0) rows.pop();
    return { name, rows, merges: (ws['!merges'] ?? []).map((m) => ({ s: { r: m.s.r, c: m.s.c }, e: { r: m.e.r, c: m.e.c } })) };
  });
}
