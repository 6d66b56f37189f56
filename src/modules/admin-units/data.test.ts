import { describe, expect, it } from 'vitest';
import { readLinkRows, readUnitRows } from './data-files.js';

const units = readUnitRows();
const links = readLinkRows();
const OLD = '-infinity';
const NEW = '2025-07-01';
const count = (from: string, level: string) => units.filter((r) => r[6] === from && r[3] === level).length;

describe('committed admin-units data', () => {
  it('has the pre-reform tree of 01/03/2025', () => {
    expect(count(OLD, 'province')).toBe(63);
    expect(count(OLD, 'district')).toBe(696);
    expect(count(OLD, 'commune')).toBe(10047);
    expect(units.filter((r) => r[6] === OLD).every((r) => r[7] === NEW)).toBe(true);
  });

  it('has Ninh Thuận with 7 districts and 62 communes', () => {
    const districts = units.filter((r) => r[6] === OLD && r[5] === '58');
    expect(districts.map((r) => `${r[0]} ${r[1]}`)).toEqual([
      '582 Thành phố Phan Rang-Tháp Chàm',
      '584 Huyện Bác Ái',
      '585 Huyện Ninh Sơn',
      '586 Huyện Ninh Hải',
      '587 Huyện Ninh Phước',
      '588 Huyện Thuận Bắc',
      '589 Huyện Thuận Nam',
    ]);
    const codes = new Set(districts.map((r) => r[0]));
    expect(units.filter((r) => r[6] === OLD && r[5] !== null && codes.has(r[5])).length).toBe(62);
  });

  it('has the two-level tree from 1 July 2025', () => {
    expect(count(NEW, 'province')).toBe(34);
    expect(count(NEW, 'commune')).toBe(3321);
    expect(count(NEW, 'district')).toBe(0);
    expect(units.filter((r) => r[6] === NEW).every((r) => r[7] === 'infinity')).toBe(true);
  });

  it('links Khánh Hòa to old Khánh Hòa and Ninh Thuận', () => {
    const kh = units.filter((r) => r[6] === NEW && r[5] === '56');
    expect(kh.length).toBe(65);
    expect(links.filter((l) => l[2] === '56' && l[3] === NEW).map((l) => `${l[0]} ${l[4]}`)).toEqual(['56 full', '58 full']);
    const ntDistricts = new Set(units.filter((r) => r[6] === OLD && r[5] === '58').map((r) => r[0]));
    const ntCommunes = new Set(units.filter((r) => r[6] === OLD && r[5] !== null && ntDistricts.has(r[5])).map((r) => r[0]));
    const onNt = kh.filter((r) => links.some((l) => l[2] === r[0] && ntCommunes.has(l[0])));
    // merges.json (dvhcvn/20250701) puts all 62 old communes into 24 new ones (the brief said 27)
    expect(onNt.length).toBe(24);
    expect(links.filter((l) => l[2] === '22759').map((l) => l[0])).toEqual(['22750', '22759', '22762', '22765']);
    expect([...ntCommunes].every((c) => links.some((l) => l[0] === c))).toBe(true);
  });

  it('identifies versions by (code, valid_from) and reuses codes across the reform', () => {
    const keys = units.map((r) => `${r[0]}@${r[6]}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(units.filter((r) => r[0] === '56').map((r) => r[6])).toEqual([OLD, NEW]);
    expect(units.filter((r) => r[0] === '22738').map((r) => r[5])).toEqual(['582', '56']);
  });

  it('has parents in the same period, NFC text and known types', () => {
    const byPeriod = new Set(units.map((r) => `${r[0]}@${r[6]}`));
    for (const r of units) {
      if (r[5] !== null) expect(byPeriod.has(`${r[5]}@${r[6]}`), r[0]).toBe(true);
      expect(r[1]).toBe(r[1].normalize('NFC'));
      expect(r[1].startsWith(`${r[4]} `)).toBe(true);
    }
  });

  it('places the 12 communes missing from thanglequoc', () => {
    const added = units.filter((r) => r[8] === 'dvhcvn2025-splits');
    expect(added.length).toBe(12);
    expect(added.find((r) => r[0] === '18448')?.[5]).toBe('445');
    expect(added.find((r) => r[0] === '07693')?.[5]).toBe('213');
  });

  it('links every old commune and every new unit', () => {
    const linkedFrom = new Set(links.map((l) => l[0]));
    const linkedTo = new Set(links.map((l) => l[2]));
    expect(units.filter((r) => r[6] === OLD && r[3] === 'commune').every((r) => linkedFrom.has(r[0]))).toBe(true);
    expect(units.filter((r) => r[6] === NEW).every((r) => linkedTo.has(r[0]))).toBe(true);
    expect(new Set(links.map((l) => l[4]))).toEqual(new Set(['full', 'partial']));
  });
});
