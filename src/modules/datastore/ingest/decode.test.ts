import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { decodeChunks, EncodingError, maybeNotNfc } from './decode.js';

const utf8 = (s: string) => Buffer.from(s, 'utf8');

describe('decodeChunks', () => {
  it('passes NFC UTF-8 through and normalises a chunk with combining marks', async () => {
    const decomposed = 'Vie\u0323\u0302t Nam\nkho\u0302ng\n';
    const out: Buffer[] = [];
    for await (const c of decodeChunks(Readable.from([utf8('\uFEFFmã,tên\n'), utf8(decomposed)]), 'utf-8')) out.push(c);
    expect(Buffer.concat(out).toString('utf8')).toBe('mã,tên\nViệt Nam\nkhông\n');
  });

  it('names the byte where UTF-8 goes wrong', async () => {
    const bad = Buffer.concat([utf8('a,b\nđúng\n'), Buffer.from([0x53, 0xe0, 0x20, 0x0a])]);
    const read = async () => {
      for await (const _ of decodeChunks(Readable.from([bad]), 'utf-8'));
    };
    await expect(read()).rejects.toThrow(EncodingError);
    await read().catch((e: EncodingError) => expect(e.byteOffset).toBe(utf8('a,b\nđúng\nS').length));
  });

  it('only calls text NFC when NFC leaves it as it is (every character the fast check lets through)', () => {
    const ranges = [
      [0x80, 0x2ff],
      [0x1e00, 0x1eff],
      [0x2002, 0x20bf],
    ];
    for (const [from, to] of ranges)
      for (let cp = from!; cp <= to!; cp++) {
        const ch = String.fromCodePoint(cp);
        for (const s of [ch, `a${ch}`, `ư${ch}e`, `${ch}\u0301`.slice(0, ch.length)])
          if (!maybeNotNfc(utf8(s))) expect(s.normalize('NFC'), `U+${cp.toString(16)}`).toBe(s);
      }
    expect(maybeNotNfc(utf8('Thành phố Phan Rang–Tháp Chàm, “Đạt” 1.234,5 ₫'))).toBe(false);
    expect(maybeNotNfc(utf8('Vie\u0323\u0302t'))).toBe(true);
    expect(maybeNotNfc(utf8('\u2000'))).toBe(true); // a singleton NFC replaces
    expect(maybeNotNfc(utf8('\u212b'))).toBe(true);
  });
});
