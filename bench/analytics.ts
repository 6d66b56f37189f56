import fs from 'node:fs';
import path from 'node:path';
import { detectSeries, forecast } from '../src/modules/analytics/index.js';
import { readLayout } from '../src/modules/sensors/air/import-layouts.js';
import { record, ROOT } from './lib.js';
import { M4_HOURLY_HORIZON, M4_HOURLY_PERIOD, readM4Hourly, runStatsmodels, scoreAll, seasonalNaive } from './m4.js';
import { readNabData, readWindows, scoreDetector, type ProfileName } from './nab-score.js';

const SHARED = process.env.BENCH_SHARED_DATA ?? path.resolve(ROOT, '../shared/data');
const HOUR = 3_600_000;

/** M4 Hourly (414 series, horizon 48): ours, seasonal naive and statsmodels Holt-Winters, in the same run. */
async function m4() {
  const series = readM4Hourly();
  const t0 = performance.now();
  const ours = series.map((s) => forecast(s.train, { horizon: M4_HOURLY_HORIZON, periods: [24, 168] }));
  const oursSeconds = (performance.now() - t0) / 1000;
  const models: Record<string, number> = {};
  for (const f of ours) models[f.model] = (models[f.model] ?? 0) + 1;
  const naive = series.map((s) => seasonalNaive(s.train, M4_HOURLY_HORIZON, M4_HOURLY_PERIOD));
  const hw = await runStatsmodels();
  // Interval coverage on the test horizon.
  let in80 = 0;
  let in95 = 0;
  let n = 0;
  series.forEach((s, i) =>
    s.test.forEach((v, j) => {
      n++;
      if (v >= ours[i]!.intervals[0]!.lower[j]! && v <= ours[i]!.intervals[0]!.upper[j]!) in80++;
      if (v >= ours[i]!.intervals[1]!.lower[j]! && v <= ours[i]!.intervals[1]!.upper[j]!) in95++;
    }),
  );
  return {
    series: series.length,
    ours: {
      ...scoreAll(
        series,
        ours.map((f) => f.mean),
      ),
      seconds: oursSeconds,
      models,
      coverage80: in80 / n,
      coverage95: in95 / n,
    },
    seasonalNaive: scoreAll(series, naive),
    statsmodelsHoltWinters: { ...scoreAll(series, hw.forecasts), seconds: hw.seconds, config: hw.config },
    published: { sNaive: { smape: 13.912, mase: 1.193 }, best: { smape: 8.913, mase: 0.801 } },
  };
}

/** Held-out PM2.5 of the AirNow Hanoi 2018 file (read in place: no licence to copy): 48 h from four days of each month, from the eight weeks before. */
function airnow() {
  const file = path.join(SHARED, 'air_quality/airnow_Hanoi_PM2.5_2018_YTD.csv');
  const read = readLayout('airnow', fs.readFileSync(file, 'utf8'));
  const byHour = new Map(read.values.map((v) => [v.start.getTime(), v.value]));
  const first = Math.min(...byHour.keys());
  let oursAbs = 0;
  let naiveAbs = 0;
  let origins = 0;
  for (let month = 2; month <= 11; month++)
    for (const day of [1, 8, 15, 22]) {
      const origin = Date.UTC(2018, month, day) - 7 * HOUR;
      const from = origin - 8 * 7 * 24 * HOUR;
      if (from < first) continue;
      const hist: (number | null)[] = [];
      for (let t = from; t < origin; t += HOUR) hist.push(byHour.get(t) ?? null);
      const actual: (number | undefined)[] = [];
      for (let t = origin; t < origin + 48 * HOUR; t += HOUR) actual.push(byHour.get(t));
      const f = forecast(hist, { horizon: 48, periods: [24, 168] });
      const filled = hist.slice(-24);
      actual.forEach((a, j) => {
        const sn = filled[j % 24];
        if (a === undefined || sn === null || sn === undefined) return;
        oursAbs += Math.abs(a - f.mean[j]!);
        naiveAbs += Math.abs(a - sn);
      });
      origins++;
    }
  return { origins, maeRatioToSeasonalNaive: oursAbs / naiveAbs };
}

/** NAB (the 14 files of ../shared: realKnownCause and realTraffic) scored by NAB's rules, beside NAB's published scores over 58 files. */
function nab() {
  const dir = path.join(SHARED, 'anomaly_nab');
  const files = readNabData(dir);
  const windows = readWindows(
    path.join(dir, 'labels/combined_windows.json'),
    files.map((f) => f.name),
  );
  let points = 0;
  const t0 = performance.now();
  const results = files.map((f) => {
    const times = f.timestamps.map((t) => Date.parse(`${t.replace(' ', 'T')}Z`));
    const diffs = times
      .slice(1)
      .map((t, i) => t - times[i]!)
      .sort((a, b) => a - b);
    points += times.length;
    return { name: f.name, scores: detectSeries(times, f.values, { stepMs: diffs[diffs.length >> 1]! }).levels };
  });
  const seconds = (performance.now() - t0) / 1000;
  const published = JSON.parse(fs.readFileSync(path.join(dir, 'final_results.json'), 'utf8')) as Record<string, Record<ProfileName, number>>;
  const ours = Object.fromEntries(
    (['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'] as const).map((p) => [p, Math.round(scoreDetector(results, files, windows, p).score * 10) / 10]),
  );
  return {
    files: files.length,
    points,
    pointsPerSecond: Math.round(points / seconds),
    ours,
    published: Object.fromEntries(
      Object.entries(published).map(([k, v]) => [
        k,
        v.standard === undefined
          ? v
          : {
              standard: Math.round(v.standard * 10) / 10,
              lowFP: Math.round(v.reward_low_FP_rate * 10) / 10,
              lowFN: Math.round(v.reward_low_FN_rate * 10) / 10,
            },
      ]),
    ),
  };
}

/** The streaming detector on one million points of one stream, next to the MQTT ingest budget (10,000 observations a second). */
function streaming() {
  const n = 1_000_000;
  const times = Array.from({ length: n }, (_, i) => i * 60_000);
  const values = Array.from({ length: n }, (_, i) => 30 + 10 * Math.sin(i / 200) + ((i * 7919) % 17) / 4);
  const t0 = performance.now();
  detectSeries(times, values, { stepMs: 60_000, range: { min: 0, max: 1000 } });
  return { points: n, perSecond: Math.round(n / ((performance.now() - t0) / 1000)), budget: 10_000 };
}

export async function run(): Promise<void> {
  record('analytics', { m4: await m4(), airnowHanoi2018: airnow(), nab: nab(), streaming: streaming() });
}
