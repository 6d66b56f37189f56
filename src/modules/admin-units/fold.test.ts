import { describe, expect, it } from 'vitest';
import { foldVi, parseUnitName } from './fold.js';

describe('foldVi', () => {
  it('removes accents and maps đ/Đ to d', () => {
    expect(foldVi('Ninh Thuận')).toBe('ninh thuan');
    expect(foldVi('Đà Lạt')).toBe('da lat');
    expect(foldVi('ĐẮK LẮK')).toBe('dak lak');
  });

  it('gives the same key for NFC and NFD input', () => {
    const nfd = 'Ninh Thuận'.normalize('NFD');
    expect(nfd.length).toBe(12);
    expect(foldVi(nfd)).toBe(foldVi('Ninh Thuận'));
  });

  it('collapses whitespace and unifies dashes', () => {
    expect(foldVi('  Phan   Rang  ')).toBe('phan rang');
    for (const s of [
      'Phan Rang-Tháp Chàm',
      'Phan Rang - Tháp Chàm',
      'Phan Rang–Tháp Chàm',
      'Phan Rang — Tháp Chàm',
      'Phan Rang ‑ Tháp Chàm',
      'Phan Rang−Tháp Chàm',
      'Phan Rang ‐Tháp Chàm',
    ]) {
      expect(foldVi(s)).toBe('phan rang-thap cham');
    }
  });
});

describe('parseUnitName', () => {
  it.each([
    ['TP. Phan Rang-Tháp Chàm', 'Thành phố', 'phan rang thap cham'],
    ['Thành phố Phan Rang - Tháp Chàm', 'Thành phố', 'phan rang thap cham'],
    ['TP Hồ Chí Minh', 'Thành phố', 'ho chi minh'],
    ['T.P. Hồ Chí Minh', 'Thành phố', 'ho chi minh'],
    ['phan rang thap cham', null, 'phan rang thap cham'],
    ['PHAN RANG–THÁP CHÀM', null, 'phan rang thap cham'],
    ['H. Ninh Hải', 'Huyện', 'ninh hai'],
    ['Huyện Ninh Hải', 'Huyện', 'ninh hai'],
    ['Q. 1', 'Quận', '1'],
    ['Q.1', 'Quận', '1'],
    ['Quận 01', 'Quận', '1'],
    ['TX. Ninh Hòa', 'Thị xã', 'ninh hoa'],
    ['Thị xã Ninh Hòa', 'Thị xã', 'ninh hoa'],
    ['P. Đô Vinh', 'Phường', 'do vinh'],
    ['Phường 01', 'Phường', '1'],
    ['Phường 1', 'Phường', '1'],
    ['X. Phước Hòa', 'Xã', 'phuoc hoa'],
    ['Xã A Dơi', 'Xã', 'a doi'],
    ['TT. Tân Sơn', 'Thị trấn', 'tan son'],
    ['Thị trấn Tân Sơn', 'Thị trấn', 'tan son'],
    ['Tỉnh Ninh Thuận', 'Tỉnh', 'ninh thuan'],
    ['Đặc khu Côn Đảo', 'Đặc khu', 'con dao'],
    ["Xã Đạ M'ri", 'Xã', 'da m ri'],
    ['Xã Đạ M’ri', 'Xã', 'da m ri'],
  ])('%s → %s / %s', (input, type, key) => {
    const p = parseUnitName(input);
    expect(p.type).toBe(type);
    expect(p.key).toBe(key);
  });

  it('keeps a name that only looks like a prefix', () => {
    expect(parseUnitName('Xuân Hải')).toMatchObject({ type: null, key: 'xuan hai' });
    expect(parseUnitName('A Lưới')).toMatchObject({ type: null, key: 'a luoi' });
    expect(parseUnitName('Phường')).toMatchObject({ type: null, key: 'phuong' });
  });

  it('keeps accents in the accented key, with either tone placement', () => {
    expect(parseUnitName('Xã Phước Hoà').accented).toBe(parseUnitName('xã phước hòa').accented);
    expect(parseUnitName('Thuỷ').accented).toBe(parseUnitName('Thủy').accented);
    expect(parseUnitName('Phước Hòa').accented).not.toBe(parseUnitName('Phuoc Hoa').accented);
    expect(parseUnitName('P. Đô Vinh'.normalize('NFD')).accented).toBe(parseUnitName('Đô Vinh').accented);
  });
});
