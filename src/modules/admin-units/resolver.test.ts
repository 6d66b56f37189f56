import { beforeAll, describe, expect, it } from 'vitest';
import { unitRecordsFromFile } from './data-files.js';
import { buildResolverIndex, editDistance, resolveName, type ResolverIndex } from './resolver.js';
import type { UnitRecord } from './tables.js';

type Period = Pick<UnitRecord, 'validFrom' | 'validTo'>;
const OLD: Period = { validFrom: null, validTo: '2025-07-01' };
const NEW: Period = { validFrom: '2025-07-01', validTo: null };
const u = (code: string, name: string, type: string, level: UnitRecord['level'], parentCode: string | null, period: Period = OLD): UnitRecord => ({
  code,
  name,
  nameEn: null,
  level,
  type,
  parentCode,
  ...period,
});

/** A small hand-made tree: old Ninh Thuận pieces, a namesake elsewhere, and the new Khánh Hòa. */
const SMALL: UnitRecord[] = [
  u('58', 'Tỉnh Ninh Thuận', 'Tỉnh', 'province', null),
  u('582', 'Thành phố Phan Rang-Tháp Chàm', 'Thành phố', 'district', '58'),
  u('584', 'Huyện Bác Ái', 'Huyện', 'district', '58'),
  u('586', 'Huyện Ninh Hải', 'Huyện', 'district', '58'),
  u('22738', 'Phường Đô Vinh', 'Phường', 'commune', '582'),
  u('22786', 'Xã Phước Hòa', 'Xã', 'commune', '584'),
  u('52', 'Tỉnh Bình Định', 'Tỉnh', 'province', null),
  u('540', 'Huyện Tuy Phước', 'Huyện', 'district', '52'),
  u('21967', 'Xã Phước Hòa', 'Xã', 'commune', '540'),
  u('56', 'Tỉnh Khánh Hòa', 'Tỉnh', 'province', null, NEW),
  u('22738', 'Phường Đô Vinh', 'Phường', 'commune', '56', NEW),
  u('22759', 'Phường Phan Rang', 'Phường', 'commune', '56', NEW),
];

describe('resolveName on a small list', () => {
  const idx = buildResolverIndex(SMALL);
  const OLD_DAY = '2025-03-01';

  it('matches full names, abbreviations, dashes, case and missing accents', () => {
    for (const name of ['TP. Phan Rang-Tháp Chàm', 'Thành phố Phan Rang - Tháp Chàm', 'phan rang thap cham', 'PHAN RANG–THÁP CHÀM']) {
      const r = resolveName(idx, { name, at: OLD_DAY });
      expect(r.match?.code, name).toBe('582');
      expect(r.ambiguous).toBe(false);
    }
  });

  it('ranks the exact spelling highest', () => {
    const exact = resolveName(idx, { name: 'Thành phố Phan Rang-Tháp Chàm', at: OLD_DAY }).match!.score;
    const plain = resolveName(idx, { name: 'phan rang thap cham', at: OLD_DAY }).match!.score;
    expect(exact).toBe(1);
    expect(plain).toBeLessThan(exact);
    expect(plain).toBeGreaterThanOrEqual(0.85);
  });

  it('picks the version valid on the date', () => {
    expect(resolveName(idx, { name: 'P. Đô Vinh', parent: '582', at: OLD_DAY }).match?.code).toBe('22738');
    expect(resolveName(idx, { name: 'P. Đô Vinh', parent: '582', at: '2026-11-26' }).match).toBeNull();
    expect(resolveName(idx, { name: 'P. Đô Vinh', parent: '56', at: '2026-11-26' }).match?.label).toBe('Phường Đô Vinh, Tỉnh Khánh Hòa');
    expect(resolveName(idx, { name: 'Phan Rang-Tháp Chàm', at: '2026-11-26' }).match).toBeNull();
  });

  it('returns candidates instead of guessing when names tie', () => {
    const r = resolveName(idx, { name: 'Xã Phước Hòa', at: OLD_DAY });
    expect(r.match).toBeNull();
    expect(r.ambiguous).toBe(true);
    expect(r.alternatives.map((c) => c.code).sort()).toEqual(['21967', '22786']);
    expect(r.alternatives[0]!.label).toMatch(/Xã Phước Hòa, Huyện/);
    expect(resolveName(idx, { name: 'Xã Phước Hòa', parent: '58', at: OLD_DAY }).match?.code).toBe('22786');
  });

  it('tolerates a typo with a lower score', () => {
    const r = resolveName(idx, { name: 'Phan Rang Thap Chma', at: OLD_DAY });
    expect(r.match?.code).toBe('582');
    expect(r.match!.score).toBeLessThan(0.9);
    expect(resolveName(idx, { name: 'Huyen Ninh Hia', at: OLD_DAY }).match?.code).toBe('586');
  });

  it('returns no match for unknown names', () => {
    expect(resolveName(idx, { name: 'Xã Không Có', at: OLD_DAY })).toMatchObject({ match: null, ambiguous: false, alternatives: [] });
    expect(resolveName(idx, { name: '  ', at: OLD_DAY }).match).toBeNull();
  });

  it('does not match a unit of another level on its name alone', () => {
    const r = resolveName(idx, { name: 'Tỉnh Phan Rang', at: '2026-11-26' });
    expect(r.match).toBeNull();
    expect(r.alternatives[0]?.code).toBe('22759');
  });
});

describe('editDistance', () => {
  it('counts transpositions as one edit', () => {
    expect(editDistance('cham', 'chma', 2)).toBe(1);
    expect(editDistance('ninh hai', 'ninh hia', 2)).toBe(1);
    expect(editDistance('abc', 'xyz', 1)).toBe(2);
  });
});

describe('resolveName on the committed data', () => {
  let idx: ResolverIndex;
  beforeAll(() => {
    idx = buildResolverIndex(unitRecordsFromFile());
  });
  const OLD_DAY = '2025-03-01';
  const code = (name: string, parent?: string, at = OLD_DAY) => resolveName(idx, { name, parent, at }).match?.code ?? null;

  it('resolves Phan Rang-Tháp Chàm however it is written', () => {
    const nfd = 'Thành phố Phan Rang - Tháp Chàm'.normalize('NFD');
    for (const name of ['TP. Phan Rang-Tháp Chàm', 'Thành phố Phan Rang - Tháp Chàm', 'phan rang thap cham', 'PHAN RANG–THÁP CHÀM', nfd]) {
      expect(code(name), name).toBe('582');
    }
  });

  it('resolves abbreviated types', () => {
    expect(code('H. Ninh Hải')).toBe('586');
    expect(code('Huyện Ninh Hải')).toBe('586');
    expect(code('P. Đô Vinh', '582')).toBe('22738');
    expect(code('TT. Tân Sơn')).toBe('22810');
    expect(code('TT. Tân Sơn', '58')).toBe('22810');
    expect(code('Tỉnh Ninh Thuận')).toBe('58');
  });

  it('treats Phường 01 as Phường 1', () => {
    expect(code('Phường 1', '770')).toBe('27160');
    expect(code('Phường 01', '770')).toBe('27160');
    expect(code('P. 01', '770')).toBe('27160');
  });

  it('restricts to descendants at any depth', () => {
    expect(code('Phường Đô Vinh', '58')).toBe('22738');
    expect(code('Phường Đô Vinh', '60')).toBeNull();
  });

  it('uses the new tree after 1 July 2025', () => {
    expect(code('Phường Phan Rang', undefined, '2026-11-26')).toBe('22759');
    expect(code('Phường Đô Vinh', '56', '2026-11-26')).toBe('22738');
    expect(code('Huyện Ninh Hải', undefined, '2026-11-26')).toBeNull();
    expect(code('Tỉnh Ninh Thuận', undefined, '2026-11-26')).toBeNull();
    expect(code('Tỉnh Khánh Hòa', undefined, '2026-11-26')).toBe('56');
  });

  it('defaults to today', () => {
    const r = resolveName(idx, { name: 'Phường Phan Rang' });
    expect(r.at).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('tolerates a typo', () => {
    const r = resolveName(idx, { name: 'Phan Rang Thap Chma', at: OLD_DAY });
    expect(r.match?.code).toBe('582');
    expect(r.match!.score).toBeLessThan(0.9);
  });

  it('lists namesakes when ambiguous', () => {
    const r = resolveName(idx, { name: 'Xã Phước Hòa', at: OLD_DAY });
    expect(r).toMatchObject({ match: null, ambiguous: true });
    expect(r.alternatives.map((c) => c.code)).toContain('22786');
    expect(r.alternatives.length).toBeGreaterThan(1);
    const top = r.alternatives.filter((c) => c.score === r.alternatives[0]!.score);
    expect(top.length).toBeGreaterThanOrEqual(4); // Ninh Thuận, Bình Định, Quảng Nam, Bình Dương …
    expect(top.every((c) => c.name.startsWith('Xã Phước H'))).toBe(true);
  });

  it('returns null for an unknown name', () => {
    expect(resolveName(idx, { name: 'Xã Không Tồn Tại Ở Đâu', at: OLD_DAY })).toMatchObject({ match: null, ambiguous: false });
  });
});
