import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeChunks, EncodingError } from './decode.js';
import { decodeFileInWorker } from './decode-worker.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-dw-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = (name: string, bytes: Buffer) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return p;
};
const all = async (it: AsyncIterable<Buffer>) => {
  const parts: Buffer[] = [];
  for await (const c of it) {
    expect(c[c.length - 1], 'cut at a line end').toBe(10);
    parts.push(Buffer.from(c));
  }
  return Buffer.concat(parts);
};

describe('decodeFileInWorker', () => {
  it('gives what decodeChunks gives: lines whole across reads, the BOM dropped, NFC', async () => {
    // Over 4 MB (several reads), lines of every length, decomposed Vietnamese (NFD) in one part.
    const lines: string[] = [];
    for (let i = 0; i < 120_000; i++) lines.push(`${i},Xã Phước Hậu ${'x'.repeat(i % 97)},"dòng ${i}"`);
    lines.splice(60_000, 0, 'Huyện Ninh Phước'.normalize('NFD'));
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\n')}\n`, 'utf8')]);
    expect(bytes.length).toBeGreaterThan(8 << 20);
    const p = file('vn.csv', bytes);
    let read = 0;
    const got = await all(decodeFileInWorker(p, (n) => (read = n)));
    const want = await all(decodeChunks(Readable.from([bytes]), 'utf-8'));
    expect(got.equals(want)).toBe(true);
    expect(got.toString('utf8')).toContain('Huyện Ninh Phước'.normalize('NFC'));
    expect(read).toBe(bytes.length);
    // A last line without its line end is given as it is.
    expect((await all(decodeFileInWorker(file('tail.csv', Buffer.from('a,b\n1,2\n'))))).toString()).toBe('a,b\n1,2\n');
    const parts: Buffer[] = [];
    for await (const c of decodeFileInWorker(file('open.csv', Buffer.from('a,b\n1,2')))) parts.push(Buffer.from(c));
    expect(Buffer.concat(parts).toString()).toBe('a,b\n1,2');
  });

  it('stops at the first byte that is not UTF-8, naming where it is', async () => {
    const bytes = Buffer.concat([Buffer.from('ma,ten\n'.repeat(1_000_000)), Buffer.from([0x31, 0x2c, 0xe0, 0x0a])]);
    await expect(all(decodeFileInWorker(file('bad.csv', bytes)))).rejects.toEqual(new EncodingError(bytes.length - 2));
    await expect(all(decodeFileInWorker(path.join(dir, 'none.csv')))).rejects.toThrow(/ENOENT/);
  });

  it('stops reading when the loader stops taking chunks', async () => {
    const p = file('big.csv', Buffer.from('1,2\n'.repeat(8 << 20)));
    for await (const c of decodeFileInWorker(p)) {
      expect(c.length).toBeGreaterThan(0);
      break;
    }
  });
});
