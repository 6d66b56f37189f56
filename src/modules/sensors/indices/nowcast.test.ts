import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nowcast } from './nowcast.js';

describe('NowCast (QĐ 1459, formulas 1–2)', () => {
  it('weights the hours by w = Cmin/Cmax, at least 1/2', () => {
    // Steady air: w = 1, the plain mean.
    expect(nowcast([30, 30, 30, 30])).toBeCloseTo(30, 9);
    // w* = 30/40 = 0.75: (40 + 0.75·30) / 1.75.
    expect(nowcast([40, 30])).toBeCloseTo(62.5 / 1.75, 9);
    // w* = 10/100 < 1/2 → w = 1/2: (100 + 5) / 1.5 = 70.
    expect(nowcast([100, 10])).toBeCloseTo(70, 9);
    // A missing hour weighs nothing: (20 + 0.25·10) / 1.25 with w = 1/2 (hours 1 and 3).
    expect(nowcast([20, null, 10])).toBeCloseTo(22.5 / 1.25, 9);
    expect(nowcast([0, 0, 0])).toBe(0);
  });

  it('needs 2 of the 3 most recent hours', () => {
    expect(nowcast([null, null, 30, 30, 30])).toBeNull();
    expect(nowcast([30, null, null, 30])).toBeNull();
    expect(nowcast([null, 30, 30])).toBeCloseTo(30, 9);
    expect(() => nowcast(new Array(13).fill(1))).toThrow(RangeError);
  });

  it('agrees with AirNow’s published NowCast over a real year of the US Embassy monitor in Hanoi', () => {
    // data/demo/airnow (US-government data, see THIRD_PARTY_DATA.md). AirNow's PM NowCast is the same algorithm. Compared
    // where all 12 hours are in the file and valid (AirNow drops hours its QC rejects, and uses values the export hides as
    // -999); AirNow starts from unrounded concentrations, the file keeps one decimal, hence the 0.15 µg/m³ tolerance.
    for (const year of [2016, 2017]) {
      const rows = fs
        .readFileSync(`data/demo/airnow/airnow_Hanoi_PM2.5_${year}_YTD.csv`, 'utf8')
        .split(/\r?\n/)
        .slice(1)
        .filter(Boolean)
        .map((l) => l.split(','));
      const hour = (r: string[]) => Date.UTC(Number(r[3]), Number(r[4]) - 1, Number(r[5]), Number(r[6])) / 3_600_000;
      const raw = new Map<number, number | null>();
      const published = new Map<number, number>();
      for (const r of rows) {
        raw.set(hour(r), Number(r[10]) >= 0 && r[13] === 'Valid' ? Number(r[10]) : null);
        if (Number(r[7]) >= 0) published.set(hour(r), Number(r[7]));
      }
      let compared = 0;
      const off: string[] = [];
      for (const h of raw.keys()) {
        const window = Array.from({ length: 12 }, (_, i) => raw.get(h - i) ?? null);
        if (window.some((v) => v === null) || !published.has(h)) continue;
        compared++;
        const ours = nowcast(window)!;
        if (Math.abs(ours - published.get(h)!) > 0.15) off.push(`${new Date(h * 3_600_000).toISOString()}: ours ${ours}, AirNow ${published.get(h)}`);
      }
      expect(compared).toBeGreaterThan(7500);
      expect(off).toEqual([]);
    }
  });
});
