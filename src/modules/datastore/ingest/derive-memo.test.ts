import { describe, expect, it } from 'vitest';
import { CopyOut } from './copy-out.js';
import { DeriveMemo } from './derive-memo.js';

/** The memo's answer for a cell (with bytes around it, as in a chunk), as the COPY text it wrote. */
const ask = (memo: DeriveMemo, s: string, missing = false) => {
  const b = Buffer.from(`xx${s}yy`, 'utf8');
  const out = new CopyOut();
  memo.write(out, b, 2, b.length - 2, missing);
  return out.since(0);
};

describe('DeriveMemo', () => {
  it('answers each distinct cell once, by its bytes, and keeps a missing cell apart', () => {
    const calls: (string | null)[] = [];
    const memo = new DeriveMemo((c) => {
      calls.push(c);
      return c === null ? 'none' : c === 'Phước Dinh' ? '22801' : null;
    });
    expect(ask(memo, 'Phước Dinh')).toBe('22801');
    expect(ask(memo, 'Phước Bình')).toBe('\\N');
    expect(ask(memo, 'Phước Dinh')).toBe('22801');
    expect(ask(memo, 'Phước Bình')).toBe('\\N');
    expect(ask(memo, 'Phước Dinh', true)).toBe('none');
    expect(ask(memo, '', true)).toBe('none');
    expect(calls).toEqual(['Phước Dinh', 'Phước Bình', null]);
  });

  it('gives answers as COPY text', () => {
    const memo = new DeriveMemo((c) => `${c}\ttab\\`);
    expect(ask(memo, 'a')).toBe('a\\ttab\\\\');
  });

  it('stays right for cells whose hashes share a slot and past its bound', () => {
    let calls = 0;
    const memo = new DeriveMemo((c) => {
      calls++;
      return `#${c}`;
    });
    for (let round = 0; round < 2; round++) for (let i = 0; i < 25_000; i++) expect(ask(memo, String(i))).toBe(`#${i}`);
    // The first 20,000 distinct cells are kept; the 5,000 after them are computed on each round.
    expect(calls).toBe(25_000 + 5_000);
  });

  it('does not keep a cell longer than a name, however often it comes', () => {
    let calls = 0;
    const memo = new DeriveMemo((c) => {
      calls++;
      return String(c?.length);
    });
    const long = 'x'.repeat(300);
    for (let i = 0; i < 3; i++) expect(ask(memo, long)).toBe('300');
    expect(ask(memo, 'Phước Dinh')).toBe('10');
    expect(ask(memo, 'Phước Dinh')).toBe('10');
    expect(calls).toBe(3 + 1);
  });
});
