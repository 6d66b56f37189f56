import { describe, expect, it } from 'vitest';
import { CsvScanner } from './csv-scan.js';
import type { ColumnType } from './infer.js';
import { ReportBuilder } from './report.js';
import { DEFAULT_MISSING, RowEncoder } from './rows.js';

const TYPES: ColumnType[] = [
  { type: 'string' },
  { type: 'number', style: 'vn' },
  { type: 'date' },
  { type: 'boolean' },
  { type: 'datetime', zoned: false },
  { type: 'integer', style: 'en' },
];
const ids = TYPES.map((_, i) => `c${i}`);
const ROWS = [
  ['Tháp\tChàm \\ Ninh Thuận', '1.234,5', '1/03/2023', 'TRUE', '2016-01-01 01:00 PM', '1,234'],
  ['\u00a0 Phan Rang\u3000', '+12,25', '2023-3-5', 'false', '15/03/2023 14:30', '-7'],
  ['N/A', '-', '', 'null', '#N/A', '—'],
  ['  ', '', ''],
  ['dòng\r\nhai', '0', '29/02/2024', 'True', '29/02/2024', '0', 'thừa'],
];

const encoder = () => new RowEncoder(ids, TYPES, new Set(DEFAULT_MISSING), new ReportBuilder());

describe('RowEncoder', () => {
  it('writes COPY text with canonical values, trimmed cells, NULL for missing values and escapes', () => {
    const enc = encoder();
    ROWS.forEach((r, i) => enc.encode(r, i + 2));
    expect(enc.out.take().toString('utf8').split('\n')).toEqual([
      '1\tTháp\\tChàm \\\\ Ninh Thuận\t1234.5\t2023-03-01\tt\t2016-01-01 13:00:00\t1234',
      '2\tPhan Rang\t12.25\t2023-03-05\tf\t2023-03-15 14:30:00\t-7',
      '3\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N',
      '4\tdòng\\r\\nhai\t0\t2024-02-29\tt\t2024-02-29 00:00:00\t0',
      '',
    ]);
    expect(enc.rows).toBe(4);
    expect(enc.blankRows).toBe(1);
  });

  it('reads a text file’s bytes as it reads string cells: one set of rules', () => {
    const csv = ROWS.map((r) => r.map((c) => `"${c.replaceAll('"', '""')}"`).join(',')).join('\r\n');
    const scan = new CsvScanner(44);
    scan.reset(Buffer.from(csv, 'utf8'), true);
    const fromBytes = encoder();
    let n = 2;
    while (scan.next()) fromBytes.encodeScanned(scan, n++);
    const fromStrings = encoder();
    ROWS.forEach((r, i) => fromStrings.encode(r, i + 2));
    expect(fromBytes.out.take().toString('utf8')).toBe(fromStrings.out.take().toString('utf8'));
    expect(fromBytes.inferred()).toEqual(fromStrings.inferred());
  });

  it('answers a value that needs a wider column, and leaves nothing of that row written', () => {
    const enc = new RowEncoder(['n'], [{ type: 'integer', style: 'vn' }], new Set(DEFAULT_MISSING), new ReportBuilder());
    expect(enc.encode(['1.234'], 2)).toBe(true);
    const w = enc.encode(['1,5'], 3);
    expect(w).toMatchObject({ column: 0, to: { type: 'number', style: 'vn' } });
    expect(enc.out.take().toString()).toBe('1\t1234\n');
    expect(enc.encode(['abc'], 4)).toBe(true);
    expect(enc.out.take().toString()).toBe('2\t\\N\n');
    expect(enc.misfits[0]).toEqual([{ row: 4, value: 'abc' }]);
  });
});
