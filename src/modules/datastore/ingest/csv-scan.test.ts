import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { CsvScanner } from './csv-scan.js';
import { delimitedRows } from './delimited.js';

/** Every row of `text`, fed to the scanner in pieces cut at `cuts` (as the reader carries an unfinished row). */
function scanAll(text: string, delimiter = ',', cuts: number[] = []): string[][] {
  const bytes = Buffer.from(text, 'utf8');
  const scan = new CsvScanner(delimiter.charCodeAt(0));
  const rows: string[][] = [];
  let carry = Buffer.alloc(0);
  const edges = [...cuts, bytes.length];
  let from = 0;
  for (const [k, to] of edges.entries()) {
    scan.reset(Buffer.concat([carry, bytes.subarray(from, to)]), k === edges.length - 1);
    while (scan.next()) rows.push(scan.strings());
    carry = Buffer.from(scan.rest());
    from = to;
  }
  return rows;
}

const papa = (text: string, delimiter = ',') => Papa.parse<string[]>(text, { delimiter, newline: undefined, skipEmptyLines: false }).data;

describe('CsvScanner', () => {
  it('reads RFC 4180: quoted delimiters, doubled quotes, line breaks inside quotes, CRLF and LF', () => {
    const text = 'a,b,c\r\n1,"x, y","say ""hi"""\r\n2,"two\nlines",\r\n3,,"";';
    expect(scanAll(text)).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, y', 'say "hi"'],
      ['2', 'two\nlines', ''],
      ['3', '', '";'],
    ]);
    expect(scanAll('a;b\n"1;2";3\n', ';')).toEqual([
      ['a', 'b'],
      ['1;2', '3'],
    ]);
    expect(scanAll('a\tb\nc\td', '\t')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('keeps papaparse’s leniencies: stray quotes are text, an unclosed quote runs to the end', () => {
    expect(scanAll('a,b"c,d\n')).toEqual([['a', 'b"c', 'd']]);
    expect(scanAll('"ab"c",d\n')).toEqual([['ab"c', 'd']]);
    expect(scanAll('1,"open\n2,3')).toEqual([['1', 'open\n2,3']]);
    expect(scanAll('\n\nx\n')).toEqual([[''], [''], ['x']]);
  });

  it('gives the rows papaparse gives, on Vietnamese text with every quoting case', () => {
    const cells = ['Phan Rang–Tháp Chàm', '"Vụ Đông Xuân, 2024"', '"1.234,5"', '""', '"a ""b"" c"', '"dòng 1\r\ndòng 2"', '', 'x"y', '15/03/2023'];
    let seed = 7;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (const [newline, delimiter] of [
      ['\n', ','],
      ['\r\n', ','],
      ['\r\n', ';'],
    ] as const) {
      let text = '';
      for (let r = 0; r < 300; r++) text += Array.from({ length: 4 }, () => cells[Math.floor(rnd() * cells.length)]).join(delimiter) + newline;
      expect(scanAll(text, delimiter)).toEqual(papa(text, delimiter).slice(0, -1)); // papaparse adds [''] after the last line end
    }
  });

  it('reads the same rows wherever the chunks are cut, even inside a quoted cell or a CRLF', () => {
    const text = 'id,ghi_chu\r\n1,"Đạt, ""tốt""\r\nlắm"\r\n2,Ngô\r\n';
    const whole = scanAll(text);
    const n = Buffer.byteLength(text);
    for (let cut = 1; cut < n; cut++) expect(scanAll(text, ',', [cut]), `cut at ${cut}`).toEqual(whole);
  });

  it('is the reader of text files: rows cross the decoder’s chunks, the head rows come as text', async () => {
    const lines = ['ma,ten', ...Array.from({ length: 6000 }, (_, i) => `${i},"Xã ${i}\nghi chú"`)];
    const bytes = Buffer.from(lines.join('\r\n'), 'utf8');
    const source = {
      name: 'x.csv',
      size: bytes.length,
      open: () =>
        Readable.from(
          (function* () {
            for (let i = 0; i < bytes.length; i += 4099) yield bytes.subarray(i, i + 4099);
          })(),
        ),
    };
    const { rows, meta } = await delimitedRows(source);
    const got: string[][] = [];
    let kinds = '';
    for await (const b of rows.open()) {
      if (b.rows) {
        kinds += 'T';
        got.push(...b.rows);
      } else {
        if (!kinds.endsWith('S')) kinds += 'S';
        while (b.scan.next()) got.push(b.scan.strings());
      }
    }
    expect(kinds).toBe('TS');
    expect(meta).toEqual({ encoding: 'utf-8', delimiter: ',' });
    expect(got).toHaveLength(6001);
    expect(got[5999]).toEqual(['5998', 'Xã 5998\nghi chú']);
    expect(got[6000]).toEqual(['5999', 'Xã 5999\nghi chú']);
  });
});
