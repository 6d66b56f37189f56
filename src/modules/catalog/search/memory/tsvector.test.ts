import { describe, expect, it } from 'vitest';
import { parseTsvector, readVec, scoreOf, vecSize, writeVec, type Vec } from './tsvector.js';

const ids = new Map<string, number>();
const intern = (l: string) => {
  if (!ids.has(l)) ids.set(l, ids.size);
  return ids.get(l)!;
};
const vec = (text: string): Vec => {
  const parsed = parseTsvector(text, intern);
  const buf = new Int32Array(vecSize(parsed) + 3);
  writeVec(buf, 3, parsed);
  const v: Vec = { buf, t: 0, n: 0, s: 0, p: 0, length: 0 };
  expect(readVec(buf, 3, v)).toBe(buf.length);
  return v;
};
const t = (l: string) => ids.get(l)!;

describe('tsvector in the in-memory index', () => {
  it('parses PostgreSQL text output: weights, stripped lexemes, escaped quotes', () => {
    const v = vec(`'nuoc':1A,5C 'thai':2A 'o''neil':9 'stripped'`);
    expect(v.n).toBe(4);
    expect(v.length).toBe(4);
    expect(ids.has("o'neil")).toBe(true);
  });

  it('scores phrase, exact accents and field weight in tiers', () => {
    const folded = vec(`'nuoc':1A 'thai':2A 'cong':3B`);
    const scattered = vec(`'nuoc':1A 'cong':2A 'thai':3C`);
    const exact = vec(`'nước':1 'thải':2`);
    const noExact = vec(`'nuoc':1 'thai':2`);
    const q = [t('nuoc'), t('thai')];
    const e = [t('nước'), t('thải')];
    const phraseExact = scoreOf(folded, q, exact, e);
    const phraseOnly = scoreOf(folded, q, noExact, e);
    const neither = scoreOf(scattered, q, noExact, e);
    expect(Math.floor(phraseExact)).toBe(16);
    expect(Math.floor(phraseOnly)).toBe(10);
    expect(Math.floor(neither)).toBe(0);
    expect(neither).toBeGreaterThan(0);
    expect(scoreOf(folded, [t('nuoc')], noExact, null)).toBeGreaterThan(scoreOf(vec(`'nuoc':1D 'x':2`), [t('nuoc')], noExact, null));
  });
});
