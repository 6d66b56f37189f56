import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { LabFileError, labRows, readLabFile } from './lab-file.js';
import { toCanonical, unitOf, waterKeyOf } from './parameters.js';

const rows = (text: string) => text.split('\n').map((l) => l.split(';'));

describe('laboratory results files', () => {
  it('reads headers in Vietnamese or as programmes write them, Heptachlorepoxide counted with Heptachlor as the decision counts them', () => {
    expect(waterKeyOf('N_NH4')).toBe('N-NH4');
    expect(waterKeyOf('Amoni (NH4+)')).toBe('N-NH4');
    expect(waterKeyOf('Nhiệt độ')).toBe('T');
    expect(waterKeyOf('E. coli')).toBe('E.coli');
    expect(waterKeyOf('Heptachlor')).toBe('Heptachlor');
    expect(waterKeyOf('Heptachlorepoxide')).toBe('Heptachlor');
    expect(waterKeyOf('Hepta')).toBeNull();
    expect(waterKeyOf('TSS')).toBeNull();
  });

  it('reads units as labs write them, typos included, and converts only what converts', () => {
    expect(unitOf('mgO2/l')).toBe('mg/L');
    expect(unitOf('μg/L')).toBe('µg/L');
    expect(unitOf('MPN/100mg')).toBe('MPN/100mL');
    expect(unitOf('Cencisus')).toBe('°C');
    expect(unitOf('ppm')).toBeNull();
    expect(toCanonical('As', 20, 'µg/L')).toBeCloseTo(0.02, 12);
    expect(toCanonical('Aldrin', 0.0001, 'mg/L')).toBeCloseTo(0.1, 12);
    expect(toCanonical('BOD5', 4, 'MPN/100mL')).toBeNull();
  });

  it('adds Heptachlorepoxide to Heptachlor, one alone counting as the sum', () => {
    const f = readLabFile(rows('Kyhieu;Date;pH;BOD5;COD;Heptachlor;Heptachlorepoxide\nA;1/1/2026;7;4;10;0,05;0,1\nA;2/1/2026;7;4;10;;0,3'));
    expect(f.samples[0]!.values.Heptachlor).toBeCloseTo(0.15, 12);
    expect(f.samples[1]!.values.Heptachlor).toBe(0.3);
  });

  it('takes the file’s decimal style from all its values ("0,021" with thousands "1.300"), and the time column', () => {
    const f = readLabFile(rows('Mã trạm;Ngày lấy mẫu;Giờ;pH;BOD5;COD;Coliform\nA1;03/04/2026;9h30;7,2;4,5;12;1.300\nA1;04/04/2026;;7;4;10;900'));
    expect(f.samples.map((s) => [s.date, s.time, s.values])).toEqual([
      ['2026-04-03', '09:30', { pH: 7.2, BOD5: 4.5, COD: 12, Coliform: 1300 }],
      ['2026-04-04', null, { pH: 7, BOD5: 4, COD: 10, Coliform: 900 }],
    ]);
  });

  it('reads an unambiguous cell as written and leaves only "1.300"-like cells to the file’s style; units may sit in the header', () => {
    // A comma-style file (its decimals "7,2", "4,5") whose XLSX-typed cells come with a dot.
    const f = readLabFile(
      rows('Mã trạm;Ngày lấy mẫu;pH;BOD5;COD;Coliform;As (µg/L)\nA1;03/04/2026;7,2;4,5;0.021;1.300;20\nA1;04/04/2026;7,1;4,25;10;2.500;10'),
    );
    expect(f.samples.map((s) => [s.values.COD, s.values.Coliform])).toEqual([
      [0.021, 1300],
      [10, 2500],
    ]);
    expect(f.samples[0]!.values.As).toBeCloseTo(0.02, 12);
    expect(f.columns.find((c) => c.key === 'As')!.unit).toBe('µg/L');
  });

  it('refuses a station sampled twice at the same time, and dates outside 1950 to next year', () => {
    expect(() => readLabFile(rows('Kyhieu;Date;pH;BOD5;COD\nA;1/1/2026;7;4;10\nA;01/01/2026;7;5;11'))).toThrow(/the same station and time as line 2/);
    expect(() => readLabFile(rows('Kyhieu;Date;pH;BOD5;COD\nA;1/1/0201;7;4;10'))).toThrow(/outside 1950/);
  });

  it('names every problem at once, by line and column, and refuses a file it cannot place', () => {
    const bad = () => readLabFile(rows('Kyhieu;Date;pH;BOD5;COD\n;1/1/2026;7;x;10\nB;2026-13-01;7;4;-1'));
    expect(bad).toThrow(LabFileError);
    try {
      bad();
    } catch (e) {
      expect((e as LabFileError).problems).toEqual([
        { line: 2, column: 'Kyhieu', message: 'the station code is empty' },
        { line: 2, column: 'BOD5', message: expect.stringContaining('"x"') },
        { line: 3, column: 'Date', message: expect.stringContaining('2026-13-01') },
        { line: 3, column: 'COD', message: expect.stringContaining('"-1"') },
      ]);
    }
    expect(() => readLabFile(rows('Tên;Giá trị\na;1'))).toThrow(/no header row/);
    expect(() => readLabFile(rows('Kyhieu;Date;pH;BOD5;COD\nA;1/1/2026;7;1e999;10'))).toThrow(/"1e999" is not a result/);
    expect(() => readLabFile(rows('Kyhieu;Date;pH;BOD5;COD\n;;ppm;;\nA;1/1/2026;7;4;10'))).toThrow(/unit "ppm"/);
  });

  it('refuses a text file with NUL bytes before reading it', async () => {
    await expect(labRows(Buffer.from('Kyhieu,Date,pH\nA\u0000,1/1/2026,7\n'), 'a.csv')).rejects.toThrow(/NUL bytes/);
  });

  it('reads an XLSX time cell as the time of day, and a date-and-time cell as both', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('KQ');
    ws.addRow(['Kyhieu', 'Ngày lấy mẫu', 'Giờ', 'pH', 'BOD5', 'COD']);
    // Excel keeps a time as the fraction of a day (10:30 is 0.4375) and a moment as days since 30/12/1899.
    ws.addRow(['A1', new Date(Date.UTC(2026, 3, 3)), 0.4375, 7, 4, 10]);
    ws.addRow(['A1', new Date(Date.UTC(2026, 3, 4, 8, 15)), null, 7, 4, 10]);
    ws.getColumn(2).numFmt = 'dd/mm/yyyy';
    ws.getCell('B3').numFmt = 'dd/mm/yyyy hh:mm';
    ws.getColumn(3).numFmt = 'h:mm';
    const table = await labRows(Buffer.from(await wb.xlsx.writeBuffer()), 'kq.xlsx');
    expect(table.slice(1).map((r) => r.slice(1, 3))).toEqual([
      ['03/04/2026', '10:30'],
      ['04/04/2026 08:15', ''],
    ]);
    expect(readLabFile(table).samples.map((x) => [x.date, x.time])).toEqual([
      ['2026-04-03', '10:30'],
      ['2026-04-04', '08:15'],
    ]);
  });
});
