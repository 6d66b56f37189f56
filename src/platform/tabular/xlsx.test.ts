import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { PREVIEW_LIMITS, TabularLimitError } from './limits.js';
import { dateKindOf, excelTime, readXlsxHead } from './xlsx.js';

const limits = (maxRows: number) => ({ ...PREVIEW_LIMITS, maxRows });

async function zipOf(files: Record<string, string | (() => Readable)>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, body] of Object.entries(files)) {
    if (typeof body === 'string') zip.addBuffer(Buffer.from(body), name);
    else zip.addReadStream(body(), name);
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

const WORKBOOK = `<?xml version="1.0"?><workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const RELS = `<?xml version="1.0"?><Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>`;
const sheetUsing = (indexes: number[]) =>
  `<?xml version="1.0"?><worksheet><sheetData>${indexes.map((i, n) => `<row r="${n + 1}"><c r="A${n + 1}" t="s"><v>${i}</v></c></row>`).join('')}</sheetData></worksheet>`;

/** A sharedStrings.xml of `count` strings of `size` characters, generated as it is zipped (tiny on disk, huge inflated). */
const hugeStrings = (count: number, size: number) => () =>
  Readable.from(
    (function* () {
      yield `<?xml version="1.0"?><sst count="${count}">`;
      const si = `<si><t>${'a'.repeat(size)}</t></si>`;
      for (let i = 0; i < count; i += 1000) yield si.repeat(Math.min(1000, count - i));
      yield '</sst>';
    })(),
  );

describe('readXlsxHead', () => {
  it('reads the first sheet as a Vietnamese reader expects it: text, numbers, dd/mm/yyyy dates, formula results, gaps', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Số liệu');
    ws.addRow(['Ngày', 'Huyện', 'Lượng mưa (mm)']);
    ws.addRow([new Date(Date.UTC(2024, 0, 15)), 'Ninh Phước', 12.5]);
    ws.addRow([new Date(Date.UTC(2024, 1, 29)), 'Thuận Nam', { formula: '2*4', result: 8 }]);
    ws.getCell('E4').value = 'ô xa';
    wb.addWorksheet('Khác').addRow(['không đọc']);
    const rows = await readXlsxHead(Buffer.from(await wb.xlsx.writeBuffer()), limits(10));
    expect(rows).toEqual([
      ['Ngày', 'Huyện', 'Lượng mưa (mm)'],
      ['15/01/2024', 'Ninh Phước', '12.5'],
      ['29/02/2024', 'Thuận Nam', '8'],
      ['', '', '', '', 'ô xa'],
    ]);
  });

  it('tells a date format from a time and a date-and-time one ("m" is the month unless hours or seconds stand beside it)', () => {
    expect(['dd/mm/yyyy', 'mmm-yy', 'd-mmm', '[$-42A]dd/mm/yyyy'].map(dateKindOf)).toEqual(['date', 'date', 'date', 'date']);
    expect(['h:mm', 'hh:mm:ss', '[h]:mm:ss', 'mm:ss'].map(dateKindOf)).toEqual(['time', 'time', 'time', 'time']);
    expect(['dd/mm/yyyy hh:mm', 'yyyy-mm-dd"T"hh:mm:ss'].map(dateKindOf)).toEqual(['datetime', 'datetime']);
    expect(['General', '0.00', '#,##0 "kg"', '0.0"mm"'].map(dateKindOf)).toEqual([null, null, null, null]);
    expect([0.4375, 0.5 + 1 / 86400, 1.25].map(excelTime)).toEqual(['10:30', '12:00:01', '30:00']);
  });

  it('stops at the rows asked for', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    for (let i = 0; i < 500; i++) ws.addRow([i, `hàng ${i}`]);
    const rows = await readXlsxHead(Buffer.from(await wb.xlsx.writeBuffer()), limits(3));
    expect(rows).toEqual([
      ['0', 'hàng 0'],
      ['1', 'hàng 1'],
      ['2', 'hàng 2'],
    ]);
  });

  it('reads only as far into a huge shared-string table as the rows need', async () => {
    // 300 MB of strings once inflated; the first rows use the first two.
    const buf = await zipOf({
      'xl/workbook.xml': WORKBOOK,
      'xl/_rels/workbook.xml.rels': RELS,
      'xl/worksheets/sheet1.xml': sheetUsing([0, 1]),
      'xl/sharedStrings.xml': hugeStrings(300_000, 1000),
    });
    expect(buf.length).toBeLessThan(2 * 1024 * 1024);
    expect(await readXlsxHead(buf, limits(10))).toEqual([['a'.repeat(1000)], ['a'.repeat(1000)]]);
  });

  it('refuses a zip bomb instead of inflating it: a string far down a huge table stops at the inflated-bytes cap', async () => {
    const buf = await zipOf({
      'xl/workbook.xml': WORKBOOK,
      'xl/_rels/workbook.xml.rels': RELS,
      'xl/worksheets/sheet1.xml': sheetUsing([0, 299_999]),
      'xl/sharedStrings.xml': hugeStrings(300_000, 1000),
    });
    const err = await readXlsxHead(buf, limits(10)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TabularLimitError);
    expect((err as TabularLimitError).limit).toBe('inflated size');
  });

  it('caps the number of shared strings scanned, however small they are', async () => {
    const buf = await zipOf({
      'xl/workbook.xml': WORKBOOK,
      'xl/_rels/workbook.xml.rels': RELS,
      'xl/worksheets/sheet1.xml': sheetUsing([2_000_000]),
      'xl/sharedStrings.xml': hugeStrings(2_100_000, 1),
    });
    const err = await readXlsxHead(buf, limits(10)).catch((e: unknown) => e);
    expect((err as TabularLimitError).limit).toBe('shared strings');
  });

  it('stops when the signal aborts (the client went away)', async () => {
    const buf = await zipOf({
      'xl/workbook.xml': WORKBOOK,
      'xl/_rels/workbook.xml.rels': RELS,
      'xl/worksheets/sheet1.xml': sheetUsing([0]),
      'xl/sharedStrings.xml': hugeStrings(10, 1),
    });
    const ac = new AbortController();
    ac.abort();
    await expect(readXlsxHead(buf, { ...limits(10), signal: ac.signal })).rejects.toThrow(/client went away/);
  });

  it('ignores a DOCTYPE: no entity of the file is expanded', async () => {
    const sheet = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>`;
    const buf = await zipOf({ 'xl/workbook.xml': WORKBOOK, 'xl/_rels/workbook.xml.rels': RELS, 'xl/worksheets/sheet1.xml': sheet });
    const out = await readXlsxHead(buf, limits(10)).catch((e: unknown) => e);
    expect(JSON.stringify(out)).not.toContain('aaaaaaaaaa');
  });
});
