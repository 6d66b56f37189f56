import { describe, expect, it } from 'vitest';
import { pollutantOf, toMicrogramFactor } from './pollutants.js';

describe('the VN_AQI pollutant of an ObservedProperty', () => {
  it('reads the formulas and names as monitoring networks write them', () => {
    expect(['PM2.5', 'Bụi PM2,5', 'pm25', 'PM 2.5'].map((n) => pollutantOf(n))).toEqual(['pm25', 'pm25', 'pm25', 'pm25']);
    expect(['PM10', 'Bụi PM10'].map((n) => pollutantOf(n))).toEqual(['pm10', 'pm10']);
    expect(['O3', 'O₃', 'Ôzôn'].map((n) => pollutantOf(n))).toEqual(['o3', 'o3', 'o3']);
    expect(['NO2', 'NO₂', 'Nitơ điôxit'].map((n) => pollutantOf(n))).toEqual(['no2', 'no2', 'no2']);
    expect(['SO2', 'SO₂'].map((n) => pollutantOf(n))).toEqual(['so2', 'so2']);
    expect(['CO', 'Carbon monoxide'].map((n) => pollutantOf(n))).toEqual(['co', 'co']);
  });

  it('does not take other parameters for pollutants ("số 2" is not SO2, CO2 is not CO)', () => {
    expect(['Thông số 2', 'Thông số 10', 'CO2', 'Nhiệt độ', 'Độ ẩm', 'Tốc độ gió', 'PM1', 'NO', 'COD'].map((n) => pollutantOf(n))).toEqual(
      Array.from({ length: 9 }, () => undefined),
    );
  });

  it('converts µg/m³ and mg/m³, and nothing else', () => {
    expect([
      toMicrogramFactor('µg/m³'),
      toMicrogramFactor('ug/m3'),
      toMicrogramFactor('mg/m³'),
      toMicrogramFactor('ppm'),
      toMicrogramFactor(undefined),
    ]).toEqual([1, 1, 1000, undefined, undefined]);
  });
});
