import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { detectEncoding, readCsvHead } from './csv.js';
import { PREVIEW_LIMITS } from './limits.js';

const read = (buf: Buffer, maxRows = 100, maxBytes = 1 << 20) => readCsvHead(Readable.from([buf]), { ...PREVIEW_LIMITS, maxRows, maxBytes });

describe('readCsvHead', () => {
  it('parses quoted fields, doubled quotes, newlines inside quotes, CRLF and ragged rows', async () => {
    const csv = 'Tên,Ghi chú\r\n"Phan Rang, Tháp Chàm","dòng 1\ndòng 2"\r\n"nói ""xin chào""",x,thừa\r\n';
    const { rows, encoding, delimiter } = await read(Buffer.from(`\uFEFF${csv}`));
    expect(encoding).toBe('utf-8');
    expect(delimiter).toBe(',');
    expect(rows).toEqual([
      ['Tên', 'Ghi chú'],
      ['Phan Rang, Tháp Chàm', 'dòng 1\ndòng 2'],
      ['nói "xin chào"', 'x', 'thừa'],
    ]);
  });

  it('finds the semicolon of Vietnamese Excel exports and reads Windows-1258 text', async () => {
    // Windows-1258 writes tone marks as combining characters after the base letter:
    // ả = a + 0xD2, ậ = â (0xE2) + 0xF2, ắ = ă (0xE3) + 0xEC, ệ = ê (0xEA) + 0xF2, ố = ô (0xF4) + 0xEC.
    const bytes = (s: string) => Buffer.from(s, 'latin1');
    const buf = Buffer.concat([bytes('Huy\xea\xf2n;D\xe2n s\xf4\xec\n'), bytes('Ninh Ha\xd2i;96.000\nThu\xe2\xf2n B\xe3\xecc;42.500\n')]);
    expect(detectEncoding(buf, false)).toBe('windows-1258');
    const { rows, encoding, delimiter } = await read(buf);
    expect([encoding, delimiter]).toEqual(['windows-1258', ';']);
    // Decoded and stored NFC: one code point per Vietnamese letter.
    expect(rows).toEqual([
      ['Huyện', 'Dân số'],
      ['Ninh Hải', '96.000'],
      ['Thuận Bắc', '42.500'],
    ]);
    expect(iconv.decode(buf, 'windows-1258').length).toBeGreaterThan(rows.flat().join(';\n').length);
  });

  it('reads no more than the byte limit and drops the row the limit cut', async () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `${i},hàng số ${i}`).join('\n');
    const head = await read(Buffer.from(lines), 10_000, 100);
    expect(head.truncated).toBe(true);
    expect(head.rows.length).toBeGreaterThan(3);
    expect(head.rows.every((r) => r.length === 2 && r[1] === `hàng số ${r[0]}`)).toBe(true);
  });

  it('stops at the rows asked for', async () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `${i}`).join('\n');
    const head = await read(Buffer.from(lines), 5);
    expect(head.rows).toEqual([['0'], ['1'], ['2'], ['3'], ['4']]);
    expect(head.truncated).toBe(true);
  });
});
