import { describe, expect, it } from 'vitest';
import { wqiCategory } from './categories.js';
import { computeWqi, doSaturation, parameterIndex, WqiDataError } from './wqi.js';

describe('VN_WQI parameter indices (QĐ 1460, Bảng 1–4)', () => {
  it('takes q at each breakpoint and interpolates between them', () => {
    expect(parameterIndex('BOD5', 4)).toBe(100);
    expect(parameterIndex('BOD5', 6)).toBe(75);
    expect(parameterIndex('BOD5', 10.5)).toBeCloseTo(62.5, 9); // halfway 6–15 → 75–50
    expect(parameterIndex('BOD5', 50)).toBe(10);
    expect(parameterIndex('BOD5', 80)).toBe(10);
    expect(parameterIndex('COD', 100)).toBeCloseTo(17.5, 9); // halfway 50–150 → 25–10
    expect(parameterIndex('P-PO4', 0)).toBe(100);
  });

  it('reads "<a" as strictly below a and ">b" as strictly above b', () => {
    // N-NH4: < 0.3 → 100, at 0.3 → 75.
    expect(parameterIndex('N-NH4', 0.29)).toBe(100);
    expect(parameterIndex('N-NH4', 0.3)).toBe(75);
    expect(parameterIndex('Hg', 0.001)).toBe(75);
    expect(parameterIndex('Hg', 0.0009)).toBe(100);
    expect(parameterIndex('Cd', 0.005)).toBe(75);
    // N-NO3: 15 → 25, > 15 → 10; N-NO2 has only ≤ 0.05 → 100 and > 0.05 → 10.
    expect(parameterIndex('N-NO3', 15)).toBe(25);
    expect(parameterIndex('N-NO3', 15.01)).toBe(10);
    expect(parameterIndex('N-NO2', 0.05)).toBe(100);
    expect(parameterIndex('N-NO2', 0.051)).toBe(10);
    expect(parameterIndex('Coliform', 10000)).toBe(25);
    expect(parameterIndex('E.coli', 201)).toBe(10);
  });

  it('scores pH, DO (as % saturation at the water’s temperature) and pesticides by their own tables', () => {
    expect(parameterIndex('pH', 7)).toBe(100);
    expect(parameterIndex('pH', 5.75)).toBeCloseTo(75, 9);
    expect(parameterIndex('pH', 8.88)).toBeCloseTo(62, 9);
    expect(parameterIndex('pH', 9.1)).toBe(10);
    expect(doSaturation(25)).toBeCloseTo(8.1757, 3);
    // 7.095 mg/L at 25 °C is 86.78 % → 75 + 25·(86.78 − 75)/13.
    expect(parameterIndex('DO', 7.095, 25)).toBeCloseTo(97.658, 2);
    expect(parameterIndex('DO', 100, 25)).toBe(10); // supersaturated beyond 200 %
    expect(() => parameterIndex('DO', 7)).toThrow(/temperature/);
    expect(parameterIndex('BHC', 0.02)).toBe(100);
    expect(parameterIndex('BHC', 0.021)).toBe(10);
  });
});

describe('VN_WQI of a sample (formula 3)', () => {
  // A real sample's values (a Mekong station, 29/02/2016), metals in mg/L.
  const sample = {
    pH: 8.88,
    Aldrin: 0.021,
    BHC: 0.048,
    Dieldrin: 0.047,
    DDTs: 0.052,
    Heptachlor: 0.053,
    As: 0.021,
    Cd: 0.004,
    Pb: 0.009,
    Cr6: 0.007,
    Cu: 0.001,
    Zn: 0.074,
    Hg: 0.002,
    DO: 7.095,
    T: 25,
    BOD5: 8.28,
    COD: 23.253,
    TOC: 17.855,
    'N-NH4': 0.163,
    'N-NO3': 0.93,
    'N-NO2': 0.18,
    'P-PO4': 0,
    Coliform: 1300,
    'E.coli': 92,
  };

  it('multiplies the group factors as the decision writes them', () => {
    const r = computeWqi(sample);
    // I: 62/100. II: (100·10·100·100·100)^(1/5)/100 = 0.1^(1/5). III: (74.17·100⁵·25)^(1/7)/100.
    // IV: the mean of DO 97.66, BOD5 68.67, COD 61.25, TOC 42.86, N-NH4 100, N-NO3 100, N-NO2 10, P-PO4 100. V: (100 + 54)/2.
    const iii = ((74 + 1 / 6) * 100 ** 5 * 25) ** (1 / 7) / 100;
    const iv = (97.657739 + (75 - (25 * 2.28) / 9) + (75 - (25 * 8.253) / 15) + (50 - (25 * 2.855) / 10) + 100 + 100 + 10 + 100) / 8;
    const expected = 0.62 * 0.1 ** 0.2 * iii * Math.sqrt(iv * 77);
    expect(r.wqi_exact).toBeCloseTo(expected, 4);
    expect(r.wqi).toBe(23);
    expect(r.groups.IV).toBeCloseTo(iv, 4);
    expect(wqiCategory(r.wqi)).toMatchObject({ key: 'poor', name: { vi: 'Kém' } });
  });

  it('leaves out the factor of a group not measured, and weighs organics more with formula 5', () => {
    const { pH, DO, T, BOD5, COD, Coliform } = sample;
    const r = computeWqi({ pH, DO, T, BOD5, COD, Coliform, 'E.coli': sample['E.coli'] });
    const iv = (parameterIndex('DO', DO, T) + parameterIndex('BOD5', BOD5) + parameterIndex('COD', COD)) / 3;
    expect(r.wqi_exact).toBeCloseTo(0.62 * Math.sqrt(iv * 77), 9);
    expect(computeWqi({ pH, DO, T, BOD5, COD, Coliform, 'E.coli': sample['E.coli'] }, { organic: true }).wqi_exact).toBeCloseTo(
      0.62 * (iv ** 2 * 77) ** (1 / 3),
      9,
    );
    // Without group V the last factor is group IV's mean alone.
    expect(computeWqi({ pH, DO, T, BOD5, COD, As: 0.021 }).wqi_exact).toBeCloseTo(0.62 * (parameterIndex('As', 0.021) / 100) * iv, 9);
  });

  it('refuses a sample short of the decision’s minimum data, saying what is missing', () => {
    expect(() => computeWqi({ pH: 7, BOD5: 3, COD: 8 })).toThrow(WqiDataError);
    expect(() => computeWqi({ pH: 7, BOD5: 3, COD: 8 })).toThrow(/group IV .* at least 3 parameters, the sample has 2/);
    expect(() => computeWqi({ BOD5: 3, COD: 8, TOC: 2, Coliform: 100 })).toThrow(/at least 3 of the 5 groups .* has 2/);
    // DO without a temperature cannot count.
    const r = computeWqi({ pH: 7, DO: 6, BOD5: 3, COD: 8, TOC: 2, Coliform: 100 });
    expect(r.notes).toEqual(['DO left out: it needs the water temperature T (°C)']);
    expect(r.parameters.DO).toBeUndefined();
  });

  it('bands an index as the decision does', () => {
    expect(wqiCategory(91).key).toBe('very-good');
    expect(wqiCategory(90).key).toBe('good');
    expect(wqiCategory(51).key).toBe('medium');
    expect(wqiCategory(26).key).toBe('bad');
    expect(wqiCategory(10).key).toBe('poor');
    expect(wqiCategory(9)).toMatchObject({ key: 'very-heavily-polluted', rgb: [126, 0, 35] });
  });
});
