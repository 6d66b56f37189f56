import { describe, expect, it } from 'vitest';
import { DOC_TYPES, docTypeOf, nextStatuses } from './codes.js';
import { backoffMs } from './delivery.js';

describe('the status flow of a received document', () => {
  it('moves processing forward, steps may be skipped, never back', () => {
    expect(nextStatuses('01', false)).toEqual(['02', '03', '04', '05', '06']);
    expect(nextStatuses('03', false)).toEqual(['04', '05', '06']);
    expect(nextStatuses('05', false)).toEqual(['06']);
    expect(nextStatuses('06', false)).toEqual([]);
  });
  it('refuses (02) only before registering, and ends there', () => {
    expect(nextStatuses('03', false)).not.toContain('02');
    expect(nextStatuses('02', false)).toEqual([]);
  });
  it('answers a pending recall or update with 15 or 16 only; a recalled copy is done', () => {
    expect(nextStatuses('05', true)).toEqual(['15', '16']);
    expect(nextStatuses('15', false)).toEqual([]);
  });
});

describe('document types', () => {
  it('numbers the administrative types in the order of Decree 30/2020 (Công văn is 18) and the legal ones apart', () => {
    expect(docTypeOf('1', '18')?.name).toBe('Công văn');
    expect(docTypeOf('1', '10')?.name).toBe('Kế hoạch');
    expect(docTypeOf('2', '3')?.name).toBe('Nghị định');
    expect(docTypeOf('1', '30')).toBeUndefined();
    expect(new Set(DOC_TYPES.map((t) => `${t.type}.${t.detail}`)).size).toBe(DOC_TYPES.length);
  });
});

describe('retry waits', () => {
  it('draws a full-jitter wait under a cap that doubles per attempt, at most an hour', () => {
    expect(backoffMs(1, 30_000, () => 1)).toBe(30_000);
    expect(backoffMs(3, 30_000, () => 1)).toBe(120_000);
    expect(backoffMs(3, 30_000, () => 0.5)).toBe(60_000);
    expect(backoffMs(30, 30_000, () => 1)).toBe(3_600_000);
    expect(backoffMs(2, 30_000, () => 0)).toBe(0);
  });
});
