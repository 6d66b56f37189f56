import { describe, expect, it } from 'vitest';
import { hourlyAqi, subIndex } from './aqi.js';
import { aqiCategory, hex } from './categories.js';
import { dailyAqi, dayOf, parseOffsetTime, type HourRow } from './daily.js';

describe('VN_AQI sub-indices (QĐ 1459, Bảng 2 and formula 3)', () => {
  it('meets every breakpoint of the Vietnamese table exactly', () => {
    const I = [0, 50, 100, 150, 200, 300, 400, 500];
    const pm25 = [0, 25, 50, 80, 150, 250, 350, 500];
    const o3 = [0, 160, 200, 300, 400, 800, 1000, 1200];
    pm25.forEach((c, i) => expect(subIndex('pm25', c)).toBeCloseTo(I[i]!, 9));
    o3.forEach((c, i) => expect(subIndex('o3', c)).toBeCloseTo(I[i]!, 9));
    expect(subIndex('o3_8h', 120)).toBe(100);
    expect(subIndex('co', 30000)).toBe(100);
    expect(subIndex('no2', 700)).toBe(150);
    expect(subIndex('so2', 2630)).toBe(500);
    expect(subIndex('pm10', 420)).toBe(300);
  });

  it('interpolates between breakpoints, and stops at the end of the scale', () => {
    expect(subIndex('pm25', 37.5)).toBeCloseTo(75, 9); // halfway 25–50 → 50–100
    expect(subIndex('pm10', 200)).toBeCloseTo(125, 9);
    expect(subIndex('pm25', 900)).toBe(500);
    expect(subIndex('o3_8h', 500)).toBe(300);
    expect(subIndex('pm25', -1)).toBeNull();
    expect(subIndex('pm25', null)).toBeNull();
  });

  it('follows the formula for the decision’s NO2 example (118.7 µg/m³ → 59.35 → 59, where the decision prints 60)', () => {
    expect(subIndex('no2', 118.7)).toBeCloseTo(59.35, 9);
    expect(hourlyAqi({ pm25: 10, no2: 118.7 })!.sub_indices.no2).toBe(59);
  });
});

describe('hourly VN_AQI', () => {
  it('is the largest sub-index rounded half up, naming the dominant pollutant', () => {
    // PM2.5 NowCast 30 → 50 + 50·5/25 = 60; NO2 118.7 → 59.35; O3 250 → 100 + 50·50/100 = 125.
    expect(hourlyAqi({ pm25: 30, no2: 118.7 })).toEqual({ aqi: 60, dominant: 'pm25', sub_indices: { pm25: 60, no2: 59 } });
    expect(hourlyAqi({ pm25: 30, o3: 250 })).toMatchObject({ aqi: 125, dominant: 'o3' });
    // 25.25 µg/m³ → 50.5 → 51 (half up).
    expect(hourlyAqi({ pm25: 25.25 })!.aqi).toBe(51);
  });

  it('gives no index without PM10 or PM2.5', () => {
    expect(hourlyAqi({ no2: 300, o3: 100 })).toBeNull();
  });

  it('places an index in the decision’s band with its colour and advice', () => {
    expect(aqiCategory(50).key).toBe('good');
    expect(aqiCategory(51).name.vi).toBe('Trung bình');
    expect(hex(aqiCategory(151))).toBe('#ff0000');
    expect(hex(aqiCategory(250))).toBe('#8f3f97');
    expect(aqiCategory(420)).toMatchObject({ key: 'hazardous', rgb: [126, 0, 35] });
    expect(aqiCategory(120).advice!.sensitive.vi).toMatch(/giảm các hoạt động mạnh/);
  });
});

describe('daily VN_AQI', () => {
  const at = (iso: string) => parseOffsetTime(iso)!;
  const hours = (day: string, f: (h: number) => Partial<HourRow>): HourRow[] =>
    Array.from({ length: 24 }, (_, i) => {
      const h = i + 1;
      const t = at(`${day}T${String(h).padStart(2, '0')}:00+07:00`);
      return { ...t, ...f(h) };
    });

  it('runs the day from 01:00 to 24:00 local time', () => {
    expect(dayOf(at('2026-11-14T01:00+07:00'))).toBe('2026-11-14');
    expect(dayOf(at('2026-11-14T24:00+07:00'))).toBe('2026-11-14');
    expect(dayOf(at('2026-11-15T00:00+07:00'))).toBe('2026-11-14');
    // The offset of the row decides the local day: 17:30 UTC is 00:30 on the 15th in Vietnam, still 17:30 on the 14th in UTC.
    expect(dayOf(at('2026-11-15T00:30+07:00'))).toBe('2026-11-14');
    expect(dayOf(at('2026-11-15T01:30+07:00'))).toBe('2026-11-15');
    expect(dayOf(at('2026-11-14T18:30:00Z'))).toBe('2026-11-14');
  });

  it('takes the 24-hour mean of PM, the day’s largest hour of the gases, and the larger O3 of 1 h and 8 h', () => {
    // PM2.5 alternates 20 and 40: mean 30 → 60. NO2 peaks at 118.7 → 59. O3 is 180 for hours 10–17 (8 h mean 180 → 8-hour
    // table 150 + 50·10/40 = 162.5) and 100 otherwise; its 1-hour maximum 180 → 50 + 50·20/40 = 75. So O3 = 162.5, AQI 163.
    const rows = hours('2026-11-14', (h) => ({ pm25: h % 2 ? 20 : 40, no2: h === 9 ? 118.7 : 40, o3: h >= 10 && h <= 17 ? 180 : 100 }));
    const [d] = dailyAqi(rows);
    expect(d).toMatchObject({ date: '2026-11-14', aqi: 163, dominant: 'o3', sub_indices: { pm25: 60, no2: 59, o3: 163 } });
    expect(d!.hours).toEqual({ pm25: 24, no2: 24, o3: 24 });
  });

  it('leaves out the 8-hour O3 when it exceeds 400 µg/m³, past its table', () => {
    // O3 450 all day: the 8-hour mean 450 > 400 would score 300 (the end of the 8-hour table); it is left out, so
    // only the 1-hour table counts: 200 + 100·50/400 = 212.5 → 213.
    const [d] = dailyAqi(hours('2026-11-14', () => ({ pm25: 10, o3: 450 })));
    expect(d!.sub_indices!.o3).toBe(213);
  });

  it('reports a day without PM as having no index', () => {
    const [d] = dailyAqi(hours('2026-11-14', () => ({ no2: 50 })));
    expect(d).toMatchObject({ date: '2026-11-14', aqi: null, hours: { no2: 24 } });
  });

  it('reads only real ISO times with an offset', () => {
    expect(parseOffsetTime('2026-11-14T13:00+07:00')!.offsetMinutes).toBe(420);
    expect(parseOffsetTime('2026-11-14T24:00+07:00')!.at).toBe(Date.parse('2026-11-14T17:00:00Z'));
    expect(parseOffsetTime('2026-11-14T13:00')).toBeNull();
    expect(parseOffsetTime('2026-02-30T13:00+07:00')).toBeNull();
    expect(parseOffsetTime('14/11/2026 13:00')).toBeNull();
  });
});
