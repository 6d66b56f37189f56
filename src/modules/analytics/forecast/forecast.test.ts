import { describe, expect, it } from 'vitest';
import { SeriesError } from '../series/regular.js';
import { forecast } from './forecast.js';
import { snaive } from './models/naive.js';

/** A deterministic pseudo-random stream (so the test gives the same series every run). */
const rng = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;

/** Hourly values with a daily cycle, a weekly one, a slow trend and noise. */
function hourly(n: number, seed = 7): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, t) => 50 + 0.01 * t + 15 * Math.sin((2 * Math.PI * t) / 24) + 5 * Math.sin((2 * Math.PI * t) / 168) + 3 * r());
}
const mae = (a: number[], f: number[]) => a.reduce((s, v, i) => s + Math.abs(v - f[i]!), 0) / a.length;

describe('forecast', () => {
  it('beats seasonal naive on held-out data and covers about as often as its intervals say', () => {
    let ours = 0;
    let naive = 0;
    let in80 = 0;
    let in95 = 0;
    let count = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const y = hourly(24 * 30 + 48, seed);
      const train = y.slice(0, -48);
      const test = y.slice(-48);
      const f = forecast(train, { horizon: 48, periods: [24, 168] });
      expect(f.season).toBe(24);
      expect(f.evaluation!.scores.map((s) => s.model)).toContain('snaive');
      ours += mae(test, f.mean);
      naive += mae(test, snaive.fit(Float64Array.from(train), 24).forecast(48));
      const [i80, i95] = f.intervals;
      test.forEach((v, j) => {
        count++;
        if (v >= i80!.lower[j]! && v <= i80!.upper[j]!) in80++;
        if (v >= i95!.lower[j]! && v <= i95!.upper[j]!) in95++;
        expect(i95!.lower[j]!).toBeLessThanOrEqual(i80!.lower[j]!);
      });
    }
    expect(ours).toBeLessThan(0.8 * naive);
    expect(in80 / count).toBeGreaterThan(0.65);
    expect(in95 / count).toBeGreaterThan(0.85);
    expect(in95).toBeGreaterThan(in80);
  });

  it('fills missing values, sets an isolated outlier aside, and forecasts from the last time even when the last values are missing', () => {
    const y: (number | null)[] = hourly(24 * 20);
    for (let i = 100; i < 110; i++) y[i] = null;
    y[300] = 10_000;
    y[y.length - 1] = null;
    y[y.length - 2] = null;
    const f = forecast(y, { horizon: 24, periods: [24] });
    expect(f.filled).toBe(10);
    expect(f.outliers).toBe(1);
    expect(f.mean).toHaveLength(24);
    expect(Math.max(...f.mean)).toBeLessThan(100);
  });

  it('follows a level shift instead of averaging over it', () => {
    const y = hourly(24 * 20).map((v, t) => (t >= 24 * 16 ? v + 200 : v));
    const f = forecast(y, { horizon: 24, periods: [24] });
    expect(Math.min(...f.mean)).toBeGreaterThan(200);
  });

  it('uses a simpler model for a short series and says so; refuses a season the series is too short for, naming the series', () => {
    const f = forecast([3, 4, 5, 4, 6], { horizon: 3 }, 'ngan');
    expect(f.evaluation).toBeNull();
    expect(f.model).toBe('naive');
    expect(f.note!.en).toMatch(/only 5 values/);
    expect(f.mean).toEqual([6, 6, 6]);
    expect(() => forecast([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { horizon: 2, season: 24 }, 'ngan')).toThrow(SeriesError);
    expect(() => forecast([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { horizon: 2, season: 24 }, 'ngan')).toThrow(/"ngan".*too short for a season of 24/);
    expect(() => forecast([null, null], { horizon: 2 })).toThrow(/no values/);
  });
});
