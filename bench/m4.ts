import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { BENCH_DIR, ROOT } from './lib.js';

/**
 * Evaluation harness for forecasts on M4 Hourly (414 series, horizon 48, m = 24), with the
 * competition's sMAPE and MASE (Mcompetitions/M4-methods, "Benchmarks and Evaluation.R", and the
 * M4 paper). The data has no stated licence: it is read in place from ../shared (or
 * `BENCH_M4_DIR`), never copied into the repo.
 */

/** One M4 series: its in-sample values and the 48 values to forecast. */
export interface M4Series {
  id: string;
  train: number[];
  test: number[];
}

export const M4_HOURLY_HORIZON = 48;
export const M4_HOURLY_PERIOD = 24;

/** The directory holding M4_Hourly-train.csv and M4_Hourly-test.csv. */
export function m4Dir(dir?: string): string {
  return dir ?? process.env.BENCH_M4_DIR ?? path.resolve(ROOT, '..', 'shared', 'data', 'forecasting_m4');
}

/** Reads a wide M4 file (header row, then id and values, ragged rows padded with ""). */
function readWide(file: string): Map<string, number[]> {
  const rows = parse(fs.readFileSync(file, 'utf8'), { relax_column_count: true }) as string[][];
  const out = new Map<string, number[]>();
  for (const row of rows.slice(1)) {
    const [id, ...cells] = row;
    if (!id) continue;
    const values: number[] = [];
    for (const c of cells) {
      if (c === '') break;
      const v = Number(c);
      if (!Number.isFinite(v)) throw new Error(`${file}: ${id} has a non-numeric value ${JSON.stringify(c)}`);
      values.push(v);
    }
    out.set(id, values);
  }
  return out;
}

/** The 414 M4 Hourly series, in file order (H1, H2, …), each with its train and test values. */
export function readM4Hourly(dir?: string): M4Series[] {
  const d = m4Dir(dir);
  const train = readWide(path.join(d, 'M4_Hourly-train.csv'));
  const test = readWide(path.join(d, 'M4_Hourly-test.csv'));
  const series: M4Series[] = [];
  for (const [id, values] of train) {
    const t = test.get(id);
    if (!t) throw new Error(`M4 Hourly: ${id} is in the train file but not in the test file`);
    series.push({ id, train: values, test: t });
  }
  if (series.length !== test.size) throw new Error('M4 Hourly: the train and test files hold different series');
  return series;
}

function checkLengths(actual: number[], forecast: number[]): void {
  if (actual.length !== forecast.length || actual.length === 0) {
    throw new Error(`forecast has ${forecast.length} values for ${actual.length} actual ones`);
  }
}

/** sMAPE of one series, in percent: mean over the horizon of 200·|y − ŷ| / (|y| + |ŷ|). */
export function smape(actual: number[], forecast: number[]): number {
  checkLengths(actual, forecast);
  let sum = 0;
  for (let i = 0; i < actual.length; i++) {
    const y = actual[i] as number;
    const f = forecast[i] as number;
    sum += (200 * Math.abs(y - f)) / (Math.abs(y) + Math.abs(f));
  }
  return sum / actual.length;
}

/**
 * MASE of one series: the mean absolute error over the horizon divided by the in-sample mean
 * absolute seasonal difference, mean over t = m+1…n of |y_t − y_{t−m}| (m = 24 for hourly).
 */
export function mase(insample: number[], actual: number[], forecast: number[], m: number): number {
  checkLengths(actual, forecast);
  if (insample.length <= m) throw new Error(`MASE needs more than ${m} in-sample values`);
  let scale = 0;
  for (let t = m; t < insample.length; t++) scale += Math.abs((insample[t] as number) - (insample[t - m] as number));
  scale /= insample.length - m;
  let mae = 0;
  for (let i = 0; i < actual.length; i++) mae += Math.abs((actual[i] as number) - (forecast[i] as number));
  return mae / actual.length / scale;
}

/** Seasonal naive: the last m in-sample values repeated over h steps. */
export function seasonalNaive(train: number[], h: number, m: number): number[] {
  if (train.length < m) throw new Error(`seasonal naive needs at least ${m} values`);
  const last = train.slice(-m);
  return Array.from({ length: h }, (_, i) => last[i % m] as number);
}

/** sMAPE and MASE (m = 24) averaged over all series, as the M4 results report them. */
export function scoreAll(series: M4Series[], forecasts: number[][], m = M4_HOURLY_PERIOD): { smape: number; mase: number } {
  if (forecasts.length !== series.length) throw new Error(`${forecasts.length} forecasts for ${series.length} series`);
  let s = 0;
  let q = 0;
  series.forEach((x, i) => {
    const f = forecasts[i] as number[];
    s += smape(x.test, f);
    q += mase(x.train, x.test, f, m);
  });
  return { smape: s / series.length, mase: q / series.length };
}

/** What bench/m4_holt_winters.py writes to stdout. */
export interface HoltWintersResult {
  /** One forecast of 48 per series, in file order (as `readM4Hourly` returns them). */
  forecasts: number[][];
  ids: string[];
  /** Fitting and forecasting all series, timed inside python. */
  seconds: number;
  /** Interpreter start, imports, reading the file and the JSON round trip included. */
  wallSeconds: number;
  importSeconds: number;
  config: string;
  /** Series statsmodels failed on, forecast by seasonal naive instead. */
  failed: string[];
  /** Fits that raised a ConvergenceWarning (kept quiet, forecasts still used). */
  convergenceWarnings: number;
}

/** Debian's python (statsmodels from python3-statsmodels), unless `BENCH_PYTHON` names another. */
function python(): string {
  return process.env.BENCH_PYTHON ?? (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
}

/**
 * statsmodels Holt-Winters (additive seasonality, m = 24, no trend, default fit) on every M4
 * Hourly series, by bench/m4_holt_winters.py in Debian's python (`BENCH_PYTHON` for another).
 */
export function runStatsmodels(dir?: string): Promise<HoltWintersResult> {
  const script = path.join(BENCH_DIR, 'm4_holt_winters.py');
  const file = path.join(m4Dir(dir), 'M4_Hourly-train.csv');
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(python(), [script, file], { maxBuffer: 256 * 2 ** 20 }, (err, stdout, stderr) => {
      const wallSeconds = (performance.now() - started) / 1000;
      if (err) {
        reject(new Error(`${script} failed: ${err.message}\n${stderr}`));
        return;
      }
      try {
        const out = JSON.parse(stdout) as Omit<HoltWintersResult, 'wallSeconds'>;
        if (out.forecasts.length !== out.ids.length || out.forecasts.some((f) => f.length !== M4_HOURLY_HORIZON)) {
          throw new Error(`expected ${M4_HOURLY_HORIZON} values for each of ${out.ids.length} series`);
        }
        resolve({ ...out, wallSeconds });
      } catch (e) {
        reject(new Error(`${script} wrote no JSON: ${(e as Error).message}\n${stderr}`));
      }
    });
  });
}
