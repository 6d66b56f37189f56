import { describe, expect, it } from 'vitest';
import { ByteMemo } from './byte-memo.js';

describe('ByteMemo', () => {
  it('remembers values by the bytes of a range, telling apart ranges with the same hash', () => {
    const b = Buffer.from('Phước Dinh|Phước Bình|Phước Dinh');
    const memo = new ByteMemo<string | null>();
    const first = [0, Buffer.byteLength('Phước Dinh')] as const;
    const h = ByteMemo.hash(b, ...first);
    expect(memo.get(b, ...first, h)).toBeUndefined();
    memo.set(b, ...first, h, '58...');
    const at = b.lastIndexOf('Phước Dinh');
    expect(memo.get(b, at, at + first[1], ByteMemo.hash(b, at, at + first[1]))).toMatchObject({ value: '58...' });
    // A forced collision: same hash, other bytes.
    const other = b.indexOf('Phước Bình');
    expect(memo.get(b, other, other + Buffer.byteLength('Phước Bình'), h)).toBeUndefined();
    memo.set(b, other, other + Buffer.byteLength('Phước Bình'), h, null);
    expect(memo.get(b, other, other + Buffer.byteLength('Phước Bình'), h)).toMatchObject({ value: null });
    expect(memo.get(b, ...first, h)).toMatchObject({ value: '58...' });
  });

  it('stops remembering past its size', () => {
    const memo = new ByteMemo<number>(1);
    const b = Buffer.from('ab');
    memo.set(b, 0, 1, 1, 1);
    memo.set(b, 1, 2, 2, 2);
    expect(memo.get(b, 1, 2, 2)).toBeUndefined();
  });
});
