import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { StripRowIds } from './strip-row-ids.js';

async function strip(chunks: string[]): Promise<{ out: string; stripped: boolean }> {
  const t = new StripRowIds();
  const out = (await buffer(Readable.from(chunks.map((c) => Buffer.from(c))).pipe(t))).toString('utf8');
  return { out, stripped: t.stripped };
}

describe('StripRowIds', () => {
  it('cuts a CKAN dump’s leading _id column, whatever the chunking, quotes and line ends', async () => {
    const dump = '\ufeff_id,ten,ghi_chu\r\n1,"Phan Rang, Tháp Chàm","dòng 1\n2,giả"\r\n22,Ninh Hải,""\r\n';
    const want = { out: '\ufefften,ghi_chu\r\n"Phan Rang, Tháp Chàm","dòng 1\n2,giả"\r\nNinh Hải,""\r\n', stripped: true };
    expect(await strip([dump])).toEqual(want);
    const bytes = Buffer.from(dump);
    for (const size of [1, 2, 3, 5, 7]) {
      const t = new StripRowIds();
      const parts: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
      const out = (await buffer(Readable.from(parts).pipe(t))).toString('utf8');
      expect({ out, stripped: t.stripped }, `chunks of ${size}`).toEqual(want);
    }
  });

  it('leaves any other file as it came', async () => {
    for (const f of ['ten,_id\n1,2\n', '_ident,x\n1,2\n', '_i', '', 'ma_xa;gio\n1;2\n']) expect(await strip([f]), f).toEqual({ out: f, stripped: false });
    expect(await strip(['_', 'id', ',a\n1,x\n'])).toEqual({ out: 'a\nx\n', stripped: true });
  });
});
