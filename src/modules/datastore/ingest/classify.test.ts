import { describe, expect, it } from 'vitest';
import { classify, DATE, DATETIME, lastCanonical, NUM_EN, NUM_VN, numberBits, PADDED, WHOLE_EN, WHOLE_VN, ZONED } from './classify.js';
import { canonicalDate, canonicalDatetime, canonicalNumber, EN, VN } from './values.js';
import { fromTcvn3, fromVni, detectMojibake } from './legacy.js';
import { ColumnInference } from './infer.js';

describe('cells', () => {
  it('tells Vietnamese from English number styles, and codes from numbers', () => {
    expect(numberBits('1.234,5')).toBe(NUM_VN);
    expect(numberBits('1,234.5')).toBe(NUM_EN);
    expect(numberBits('1.234')).toBe(NUM_VN | WHOLE_VN | NUM_EN);
    expect(numberBits('12,5')).toBe(NUM_VN);
    expect(numberBits('1.234.567')).toBe(NUM_VN | WHOLE_VN);
    expect(numberBits('-999')).toBe(NUM_VN | NUM_EN | WHOLE_VN | WHOLE_EN);
    expect(numberBits('00123')).toBe(PADDED);
    expect(classify('01')).toBe(PADDED);
    expect(numberBits('1.23.4')).toBe(0);
    expect(numberBits('12,5%')).toBe(0);
    expect(canonicalNumber('1.234.567,89', VN)).toBe('1234567.89');
    expect(canonicalNumber('1,234,567.89', EN)).toBe('1234567.89');
  });

  it('reads dates day first and rejects impossible ones', () => {
    expect(classify('15/03/2023')).toBe(DATE);
    expect(lastCanonical.text).toBe('2023-03-15');
    expect(classify('29/2/2016')).toBe(DATE);
    expect(classify('29/02/2023')).toBe(0);
    expect(classify('13/13/2023')).toBe(0);
    expect(classify('2016-01-01 01:00 PM')).toBe(DATETIME);
    expect(lastCanonical.text).toBe('2016-01-01 13:00:00');
    expect(classify('2025-05-01T00:01:24.089233+07:00')).toBe(DATETIME | ZONED);
    expect(canonicalDatetime('2016-01-01 12:00 AM')?.text).toBe('2016-01-01 00:00:00');
  });
});

describe('legacy fonts', () => {
  it('converts TCVN3 and VNI as the spec’s examples read', () => {
    expect(fromTcvn3('Céng hoµ x· héi chñ nghÜa ViÖt Nam')).toBe('Cộng hoà xã hội chủ nghĩa Việt Nam');
    expect(fromVni('Vieät Nam, Ninh Thuaän')).toBe('Việt Nam, Ninh Thuận');
    expect(fromVni('ñöôøng')).toBe('đường');
    expect(detectMojibake('Uû ban nh©n d©n tØnh')).toBe('tcvn3');
    expect(detectMojibake('Sôû Khoa hoïc vaø Coâng ngheä')).toBe('vni');
    expect(detectMojibake('Sở Khoa học và Công nghệ')).toBeNull();
    expect(detectMojibake('Café São Paulo')).toBeNull();
  });
});

describe('inference over all values', () => {
  it('keeps a column numeric with one bad value (a type error), but makes it text with many', () => {
    const one = new ColumnInference();
    for (let i = 0; i < 5000; i++) one.add(classify(String(i)));
    one.add(classify('khoảng 12'));
    expect(one.result(false)).toMatchObject({ type: 'integer', misfits: 1 });
    const many = new ColumnInference();
    for (let i = 0; i < 500; i++) many.add(classify(i % 2 ? String(i) : `mã ${i}`));
    expect(many.result(false).type).toBe('string');
  });

  it('keeps codes with leading zeros as text, even when one comes last (AirNow 2019 "Month")', () => {
    const month = new ColumnInference();
    for (const v of [...Array.from({ length: 700 }, () => '10'), '11', '12', '01']) month.add(classify(v));
    expect(month.result(false).type).toBe('string');
  });
});

describe('dates as bytes', () => {
  it('reads day-first dates of every separator and width, and refuses the rest', () => {
    const ok: [string, string][] = [
      ['1/03/2023', '2023-03-01'],
      ['01/3/2023', '2023-03-01'],
      ['1.3.2023', '2023-03-01'],
      ['31-12-1999', '1999-12-31'],
      ['2023-3-5', '2023-03-05'],
      ['2023/12/31', '2023-12-31'],
      ['29/02/2000', '2000-02-29'],
    ];
    for (const [v, want] of ok) expect([v, canonicalDate(v)]).toEqual([v, want]);
    for (const v of ['1/03-2023', '12/3/20234', '2023.03.05', '29/02/1900', '31/04/2023', '1/1/999', '123/1/2023', '2023-003-01', '1/ 3/2023'])
      expect([v, canonicalDate(v)]).toEqual([v, null]);
  });
});
