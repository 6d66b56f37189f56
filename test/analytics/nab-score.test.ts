import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  PROFILES,
  probationaryLength,
  readCsvTable,
  readNabData,
  readWindows,
  scaledSigmoid,
  scoreDetector,
  scoreFile,
  sweepFile,
  sweepThresholds,
  type NabFile,
  type ProfileName,
} from '../../bench/nab-score.js';

/** NAB's own output for its numenta detector on nyc_taxi (test/fixtures/nab/README.md). */
const FIX = 'test/fixtures/nab';
const NYC = 'realKnownCause/nyc_taxi.csv';
const results = readCsvTable(path.join(FIX, 'numenta_nyc_taxi.csv'));
const col = (name: string): string[] => {
  const i = results.header.indexOf(name);
  if (i < 0) throw new Error(`no column ${name}`);
  return results.rows.map((r) => r[i] ?? '');
};
const nyc: NabFile = { name: NYC, timestamps: col('timestamp'), values: col('value').map(Number) };
const anomaly = col('anomaly_score').map(Number);
const windows = readWindows(path.join(FIX, 'combined_windows.json'), [NYC]);
const nycWindows = windows[NYC] ?? [];
const thresholds = JSON.parse(fs.readFileSync(path.join(FIX, 'thresholds.json'), 'utf8')) as Record<string, Record<ProfileName, { threshold: number }>>;
const published = readCsvTable(path.join(FIX, 'numenta_scores.csv'));
const profiles = Object.keys(PROFILES) as ProfileName[];

/** 2/(1+e^{5x}) − 1, NAB's scaled sigmoid written out, for expected values. */
const ss = (x: number) => 2 / (1 + Math.exp(5 * x)) - 1;

describe('NAB scoring against NAB’s own results for numenta on nyc_taxi', () => {
  it('has the profiles of config/profiles.json and NAB’s probationary length', () => {
    expect(PROFILES.standard).toEqual({ tpWeight: 1, fpWeight: 0.11, fnWeight: 1, tnWeight: 1 });
    expect(PROFILES.reward_low_FP_rate).toEqual({ tpWeight: 1, fpWeight: 0.22, fnWeight: 1, tnWeight: 1 });
    expect(PROFILES.reward_low_FN_rate).toEqual({ tpWeight: 1, fpWeight: 0.11, fnWeight: 2, tnWeight: 1 });
    expect(nyc.timestamps).toHaveLength(10320);
    expect(probationaryLength(10320)).toBe(750); // capped at 0.15 · 5000
    expect(probationaryLength(1882)).toBe(282); // floor(0.15 · 1882)
  });

  it('puts exactly the rows NAB labels 1 inside windows', () => {
    const points = sweepFile(NYC, nyc.timestamps, anomaly, nycWindows, PROFILES.standard);
    const inWindow = points.map((p) => (p.window === null ? '0' : '1'));
    expect(inWindow).toEqual(col('label'));
    expect(new Set(points.map((p) => p.window).filter((w) => w !== null)).size).toBe(5);
  });

  for (const profile of profiles) {
    it(`reproduces S(t)_${profile} row by row, its sum, the file's score and counts`, () => {
      const threshold = thresholds.numenta?.[profile].threshold ?? Number.NaN;
      const r = scoreFile(nyc, anomaly, nycWindows, PROFILES[profile], threshold);
      const expected = col(`S(t)_${profile}`).map(Number);
      expect(r.contribution).toHaveLength(expected.length);
      let worst = 0;
      r.contribution.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - (expected[i] ?? Number.NaN)))));
      expect(worst).toBeLessThan(1e-9);
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      expect(Math.abs(sum(r.contribution) - sum(expected))).toBeLessThan(1e-9);
      expect(Math.abs(r.raw - sum(expected))).toBeLessThan(1e-9);

      const row = published.rows.find((x) => x[1] === profile && x[2] === NYC) ?? [];
      const [score, tp, tn, fp, fn] = row.slice(4, 9).map(Number);
      expect(Math.abs(r.raw - (score ?? Number.NaN))).toBeLessThan(1e-9);
      expect({ tp: r.tp, tn: r.tn, fp: r.fp, fn: r.fn }).toEqual({ tp, tn, fp, fn });
    });
  }

  it('optimises the threshold to the best swept raw score', () => {
    const d = scoreDetector([{ name: NYC, scores: anomaly }], [nyc], windows, 'standard');
    const swept = sweepThresholds(sweepFile(NYC, nyc.timestamps, anomaly, nycWindows, PROFILES.standard), PROFILES.standard);
    expect(Math.max(...swept.map((s) => s.score))).toBeCloseTo(d.raw, 12);
    // the raw score at NAB's published (corpus-wide) threshold cannot beat the one optimised for this file
    expect(d.raw).toBeGreaterThanOrEqual(scoreFile(nyc, anomaly, nycWindows, PROFILES.standard, 0.5421876907348634).raw);
    // brute force: scoring at any anomaly score as threshold gives no more
    const candidates = [...new Set(anomaly)].sort((a, b) => a - b).filter((_, i) => i % 25 === 0);
    for (const t of candidates) expect(scoreFile(nyc, anomaly, nycWindows, PROFILES.standard, t).raw).toBeLessThanOrEqual(d.raw + 1e-12);
    expect(anomaly).toContain(d.threshold);
  });
});

describe('NAB normalisation', () => {
  const starts = new Set(nycWindows.map(([a]) => a.slice(0, 19)));
  const perfect = nyc.timestamps.map((t) => (starts.has(t) ? 1 : 0));
  const none = nyc.timestamps.map(() => 0);

  for (const profile of profiles) {
    it(`gives the perfect detector 100 and the null detector 0 (${profile})`, () => {
      const cm = PROFILES[profile];
      const p = scoreDetector([{ name: NYC, scores: perfect }], [nyc], windows, profile);
      expect(p.perfect).toBe(5 * cm.tpWeight);
      expect(p.null).toBe(-5 * cm.fnWeight);
      expect(p.threshold).toBe(1);
      expect(p.raw).toBeCloseTo(5 * cm.tpWeight, 12);
      expect(p.score).toBeCloseTo(100, 10);
      const n = scoreDetector([{ name: NYC, scores: none }], [nyc], windows, profile);
      expect(n.threshold).toBe(1.1); // nothing detected beats detecting every row
      expect(n.raw).toBe(-5 * cm.fnWeight);
      expect(n.score).toBe(0);
    });
  }
});

describe('NAB window rules', () => {
  // 100 rows, 5 minutes apart; probation 10 rows; windows on rows 40–49 and 70–79.
  const ts = Array.from({ length: 100 }, (_, i) => new Date(Date.UTC(2020, 0, 1, 0, 5 * i)).toISOString().slice(0, 19).replace('T', ' '));
  const file = { name: 'synthetic/a.csv', timestamps: ts };
  const wins: [string, string][] = [
    [`${ts[40]}.000000`, `${ts[49]}.000000`],
    [`${ts[70]}.000000`, `${ts[79]}.000000`],
  ];
  const cm = PROFILES.standard;
  const opts = { probationaryPercent: 0.1 };
  const run = (rows: number[]) =>
    scoreFile(
      file,
      ts.map((_, i) => (rows.includes(i) ? 1 : 0)),
      wins,
      cm,
      0.5,
      opts,
    );
  const missed = -2 * cm.fnWeight;

  it('counts only the earliest detection in a window, and earlier is better', () => {
    expect(run([40]).raw).toBeCloseTo(cm.tpWeight - cm.fnWeight, 12);
    const both = run([40, 45, 49]);
    expect(both.raw).toBeCloseTo(cm.tpWeight - cm.fnWeight, 12);
    expect(both.tp).toBe(3);
    expect(both.windows[0]?.detectedAt).toBe(40);
    const late = run([45]).raw;
    expect(late).toBeCloseTo(ss(-5 / 10) / ss(-1) - cm.fnWeight, 12);
    expect(late).toBeLessThan(run([40]).raw);
    expect(run([49]).raw).toBeGreaterThan(missed); // even the last row of a window is a (small) TP
  });

  it('weighs FPs by their distance past the preceding window, and ignores the probationary period', () => {
    expect(run([]).raw).toBe(missed);
    expect(run([20]).raw).toBeCloseTo(missed - cm.fpWeight, 12); // before any window: −fpWeight
    expect(run([50]).raw).toBeCloseTo(missed + cm.fpWeight * ss(1 / 9), 12); // just past the end: a small penalty
    expect(run([65]).raw).toBeCloseTo(missed + cm.fpWeight * ss(16 / 9), 12); // measured from window 1, not window 2
    expect(run([99]).raw).toBeCloseTo(missed + cm.fpWeight * scaledSigmoid(20 / 9), 12);
    expect(run([5]).raw).toBe(missed); // probationary: not scored
    expect(run([5]).fp).toBe(0);
    const c = run([20, 45]).contribution;
    expect(c[40]).toBeCloseTo(ss(-0.5) / ss(-1), 12); // a window's score sits at its first row
    expect(c[45]).toBe(0);
    expect(c[70]).toBe(-cm.fnWeight);
    expect(c[20]).toBeCloseTo(-cm.fpWeight, 12);
  });
});

describe('reading a NAB data dir', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nab-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads the data files, skips results files and keeps the windows of files present', () => {
    fs.mkdirSync(path.join(dir, 'realKnownCause'));
    fs.mkdirSync(path.join(dir, 'results_numenta_realKnownCause'));
    fs.mkdirSync(path.join(dir, 'labels'));
    fs.writeFileSync(path.join(dir, 'realKnownCause', 'nyc_taxi.csv'), 'timestamp,value\n2014-07-01 00:00:00,10844\n2014-07-01 00:30:00,8127\n');
    fs.copyFileSync(path.join(FIX, 'numenta_nyc_taxi.csv'), path.join(dir, 'results_numenta_realKnownCause', 'numenta_nyc_taxi.csv'));
    fs.writeFileSync(path.join(dir, 'labels', 'combined_windows.json'), JSON.stringify({ ...windows, 'realTraffic/speed_7578.csv': [] }));
    expect(readNabData(dir)).toEqual([{ name: NYC, timestamps: ['2014-07-01 00:00:00', '2014-07-01 00:30:00'], values: [10844, 8127] }]);
    expect(Object.keys(readWindows(path.join(dir, 'labels', 'combined_windows.json')))).toEqual([NYC]);
  });
});
