/**
 * Scoring of the Numenta Anomaly Benchmark (NAB v1.1), written afresh from the rules of numenta/NAB
 * (nab/sweeper.py, nab/optimizer.py, nab/scorer.py, nab/runner.py, config/profiles.json).
 *
 * Outline: each row of a file gets a "sweep score" S(t), the score a detection at that row would earn (inside a
 * window, a scaled sigmoid of its position, weighted by tpWeight; outside, a negative one weighted by fpWeight).
 * For a threshold, the detections are the rows whose anomaly score is ≥ threshold; each window scores its best
 * (earliest) detection, or −fnWeight when it has none, and every detection outside a window adds its S(t).
 * The threshold is chosen over all files together, and the total is normalised between the null detector (0)
 * and the perfect one (100).
 *
 * Two per-row views are returned: `sweep` (what NAB's current code writes as S(t)) and `contribution` (what the
 * S(t) columns of NAB's published results files hold, written by its pre-2019 scorer; same totals).
 */
import fs from 'node:fs';
import path from 'node:path';

/** One NAB data file: its name relative to the data dir, and its rows. */
export interface NabFile {
  /** e.g. 'realKnownCause/nyc_taxi.csv' */
  name: string;
  /** as written in the CSV, 'YYYY-MM-DD HH:MM:SS' */
  timestamps: string[];
  values: number[];
}

/** Anomaly windows per file, as in labels/combined_windows.json: [start, end] timestamps, both inclusive. */
export type NabWindows = Record<string, [string, string][]>;

/** A NAB application profile (config/profiles.json). tnWeight is listed there but NAB never uses it. */
export interface CostMatrix {
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
  tnWeight: number;
}

export type ProfileName = 'standard' | 'reward_low_FP_rate' | 'reward_low_FN_rate';

/** The three profiles of NAB's config/profiles.json. */
export const PROFILES: Readonly<Record<ProfileName, Readonly<CostMatrix>>> = {
  standard: { tpWeight: 1.0, fnWeight: 1.0, fpWeight: 0.11, tnWeight: 1.0 },
  reward_low_FP_rate: { tpWeight: 1.0, fnWeight: 1.0, fpWeight: 0.22, tnWeight: 1.0 },
  reward_low_FN_rate: { tpWeight: 1.0, fnWeight: 2.0, fpWeight: 0.11, tnWeight: 1.0 },
};

/** NAB's default share of each file that is probationary (not scored). */
export const PROBATIONARY_PERCENT = 0.15;

/** The threshold NAB's sweep starts from (above every anomaly score, so nothing is detected). */
export const NO_DETECTION_THRESHOLD = 1.1;

export interface ScoreOptions {
  /** share of each file not scored at its start; NAB's default 0.15 */
  probationaryPercent?: number;
}

/** Reads a plain comma-separated file with a header line (NAB's files have no quoting). */
export function readCsvTable(file: string): { header: string[]; rows: string[][] } {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const [head, ...rest] = lines;
  if (head === undefined) throw new Error(`${file}: empty file`);
  return { header: head.split(','), rows: rest.map((l) => l.split(',')) };
}

/** Reads every `<category>/<file>.csv` data file (header `timestamp,value`) under a NAB data dir, sorted by name; other CSVs (results, labels) are skipped. */
export function readNabData(dir: string): NabFile[] {
  const files: NabFile[] = [];
  for (const category of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!category.isDirectory()) continue;
    for (const entry of fs.readdirSync(path.join(dir, category.name), { withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.csv')) continue;
      const { header, rows } = readCsvTable(path.join(dir, category.name, entry.name));
      if (header.join(',') !== 'timestamp,value') continue;
      files.push({ name: `${category.name}/${entry.name}`, timestamps: rows.map((r) => r[0] ?? ''), values: rows.map((r) => Number(r[1])) });
    }
  }
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Reads labels/combined_windows.json, kept to the files present: those named in `present`, or, without it, those
 * whose CSV exists in the data dir that holds the labels folder (`<dataDir>/labels/combined_windows.json`).
 */
export function readWindows(file: string, present?: readonly string[]): NabWindows {
  const all = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, [string, string][]>;
  const dataDir = path.dirname(path.dirname(file));
  const keep = present ? new Set(present) : null;
  const out: NabWindows = {};
  for (const [name, windows] of Object.entries(all)) {
    if (keep ? keep.has(name) : fs.existsSync(path.join(dataDir, name))) out[name] = windows.map(([a, b]) => [a, b]);
  }
  for (const name of keep ?? []) if (!(name in out)) throw new Error(`${file} has no windows entry for ${name}`);
  return out;
}

/** The standard logistic function. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * NAB's scaled sigmoid of a relative position: −1 (a window's first row) → 0.98661, 0 (just past its end) → 0,
 * +1 → −0.98661. Beyond +3 it is exactly −1 (a jump, not a limit: NAB's rule for far false positives).
 */
export function scaledSigmoid(relativePosition: number): number {
  if (relativePosition > 3.0) return -1.0;
  return 2 * sigmoid(-5 * relativePosition) - 1.0;
}

/** NAB's probationary length: min(floor(p · rows), p · 5000), i.e. at most 750 rows for p = 0.15. Rows with index < this are not scored. */
export function probationaryLength(numRows: number, probationaryPercent = PROBATIONARY_PERCENT): number {
  return Math.min(Math.floor(probationaryPercent * numRows), probationaryPercent * 5000);
}

/** A timestamp as a comparable key, so that '2014-11-01 19:00:00' and the windows' '2014-11-01 19:00:00.000000' match. */
function timeKey(t: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?$/.exec(t.trim());
  return m ? `${m[1]} ${m[2]}.${(m[3] ?? '').padEnd(6, '0')}` : t.trim();
}

/** One row as NAB's sweeper sees it (its AnomalyPoint). */
export interface SweepPoint {
  anomalyScore: number;
  /** S(t): what a detection at this row would add (inside a window: its TP value; outside: its FP penalty) */
  sweep: number;
  /** the window the row lies in, named `${file}|${start}` as NAB does, or null outside windows */
  window: string | null;
  /** index < probationary length: never scored */
  probationary: boolean;
}

/**
 * NAB's per-row sweep of one file (Sweeper.calcSweepScore). Surprising rules kept from NAB:
 * - a window is entered only when a row's timestamp equals the *next* window's start, and its right edge and
 *   width come from the first occurrence of its timestamps in the file (list.index);
 * - inside a window, position = −(right − i + 1)/width, so the first row earns exactly tpWeight and the last a little above 0;
 * - after a window, position = |i − prevRight|/(prevWidth − 1), measured from the *preceding* window only (rows
 *   before the next window are never scored relative to it); before any window the FP value is −fpWeight;
 * - probationary rows keep their S(t) (NAB writes it to the results file) but are never scored.
 */
export function sweepFile(
  name: string,
  timestamps: readonly string[],
  anomalyScores: readonly number[],
  windows: readonly (readonly [string, string])[],
  profile: Readonly<CostMatrix>,
  options: ScoreOptions = {},
): SweepPoint[] {
  if (timestamps.length !== anomalyScores.length) throw new Error(`${name}: ${timestamps.length} timestamps but ${anomalyScores.length} anomaly scores`);
  const keys = timestamps.map(timeKey);
  const firstIndex = new Map<string, number>();
  keys.forEach((k, i) => {
    if (!firstIndex.has(k)) firstIndex.set(k, i);
  });
  const pending = windows.map(([a, b]) => {
    const start = timeKey(a);
    const end = timeKey(b);
    const startIndex = firstIndex.get(start);
    const endIndex = firstIndex.get(end);
    if (startIndex === undefined || endIndex === undefined) throw new Error(`${name}: window [${a}, ${b}] does not match timestamps of the file`);
    return { label: a, start, end, startIndex, endIndex };
  });

  const maxTP = scaledSigmoid(-1.0);
  const probation = probationaryLength(timestamps.length, options.probationaryPercent);
  const points: SweepPoint[] = [];
  let next = 0;
  let cur: { name: string; end: string; right: number; width: number } | null = null;
  let prev: { right: number; width: number } | null = null;

  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const upcoming = pending[next];
    if (upcoming && key === upcoming.start) {
      cur = { name: `${name}|${upcoming.label}`, end: upcoming.end, right: upcoming.endIndex, width: upcoming.endIndex - upcoming.startIndex + 1 };
      next++;
    }
    let sweep: number;
    if (cur) {
      sweep = (scaledSigmoid(-(cur.right - i + 1) / cur.width) * profile.tpWeight) / maxTP;
    } else if (prev) {
      // Width 1 would divide by zero (NAB raises); here it gives +Infinity, i.e. -1.
      sweep = scaledSigmoid(Math.abs(prev.right - i) / (prev.width - 1)) * profile.fpWeight;
    } else {
      sweep = -1.0 * profile.fpWeight;
    }
    points.push({ anomalyScore: anomalyScores[i] ?? Number.NaN, sweep, window: cur ? cur.name : null, probationary: i < probation });
    if (cur && key === cur.end) {
      prev = { right: i, width: cur.width };
      cur = null;
    }
  }
  return points;
}

/** The scorable rows (not probationary) sorted by anomaly score, highest first, ties kept in row order (NAB's prepAnomalyListForScoring). */
function scorable(points: readonly SweepPoint[]): SweepPoint[] {
  return points.filter((p) => !p.probationary).sort((a, b) => b.anomalyScore - a.anomalyScore);
}

/** NAB's ThresholdScore: the raw score and row counts when detections are the rows with anomaly score ≥ threshold. */
export interface ThresholdScore {
  threshold: number;
  score: number;
  tp: number;
  tn: number;
  fp: number;
  fn: number;
  total: number;
}

/** The raw score summed as NAB does: 0 + the FP total + each window's part, in the order the windows first appear in the sorted rows. */
function total(fp: number, parts: Map<string, number>): number {
  let s = 0 + fp;
  for (const v of parts.values()) s += v;
  return s;
}

/**
 * NAB's threshold sweep (Sweeper.calcScoreByThreshold): the raw score for 1.1 (no detections) and for every
 * distinct anomaly score of the scorable rows, from the highest down. Windows with no scorable row are not counted.
 * Counts are rows: tp counts every detection in a window, not only the one that scores.
 */
export function sweepThresholds(points: readonly SweepPoint[], profile: Readonly<CostMatrix>): ThresholdScore[] {
  const rows = scorable(points);
  const parts = new Map<string, number>();
  for (const p of rows) if (p.window !== null) parts.set(p.window, -profile.fnWeight);
  let fpTotal = 0;
  let tn = rows.filter((p) => p.window === null).length;
  let fn = rows.length - tn;
  let tp = 0;
  let fp = 0;
  const out: ThresholdScore[] = [];
  let threshold = NO_DETECTION_THRESHOLD;
  for (const p of rows) {
    if (p.anomalyScore !== threshold) {
      out.push({ threshold, score: total(fpTotal, parts), tp, tn, fp, fn, total: tp + tn + fp + fn });
      threshold = p.anomalyScore;
    }
    if (p.window === null) {
      fp++;
      tn--;
      fpTotal += p.sweep;
    } else {
      tp++;
      fn--;
      parts.set(p.window, Math.max(parts.get(p.window) ?? -profile.fnWeight, p.sweep));
    }
  }
  out.push({ threshold, score: total(fpTotal, parts), tp, tn, fp, fn, total: tp + tn + fp + fn });
  return out;
}

/** NAB's optimiser: the swept threshold with the highest raw score; on a tie the higher threshold wins (NAB's stable sort). */
export function optimizeThreshold(points: readonly SweepPoint[], profile: Readonly<CostMatrix>): ThresholdScore {
  const sweep = sweepThresholds(points, profile);
  let best = sweep[0] as ThresholdScore;
  for (const s of sweep) if (s.score > best.score) best = s;
  return best;
}

/** How one window fared. */
export interface WindowResult {
  name: string;
  start: string;
  end: string;
  /** the row of the detection that scores (the earliest), or null when missed */
  detectedAt: number | null;
  /** that detection's S(t), or −fnWeight when missed; null when the window has no scorable row (entirely probationary) */
  score: number | null;
}

/** One file's score for a set of detections. */
export interface FileScore {
  name: string;
  threshold: number;
  /** raw NAB score of the file: Σ window parts + Σ FP penalties */
  raw: number;
  tp: number;
  tn: number;
  fp: number;
  fn: number;
  /** S(t) as NAB v1.1's code now writes it (Sweeper.scoreDataSet): the value a detection at each row would have, detected or not */
  sweep: number[];
  /**
   * The S(t) columns of NAB's published results files: each window's part (its earliest detection's S(t), or
   * −fnWeight when missed) at the window's first row, each counted FP's S(t) at its row, 0 elsewhere; Σ = raw.
   */
  contribution: number[];
  windows: WindowResult[];
}

/** Scores already-swept rows for the detections anomalyScore ≥ threshold; sums in NAB's order so the total matches its ThresholdScore. */
function scoreSwept(
  name: string,
  points: readonly SweepPoint[],
  windows: readonly (readonly [string, string])[],
  profile: Readonly<CostMatrix>,
  threshold: number,
): FileScore {
  const contribution = points.map(() => 0);
  const parts = new Map<string, number>();
  const best = new Map<string, number>();
  let fpTotal = 0;
  let tp = 0;
  let tn = 0;
  let fp = 0;
  let fn = 0;
  const order = points.map((p, i) => ({ p, i })).filter(({ p }) => !p.probationary);
  order.sort((a, b) => b.p.anomalyScore - a.p.anomalyScore);
  for (const { p } of order) if (p.window !== null) parts.set(p.window, -profile.fnWeight);
  for (const { p, i } of order) {
    const detected = p.anomalyScore >= threshold;
    if (p.window === null) {
      if (detected) {
        fp++;
        fpTotal += p.sweep;
        contribution[i] = p.sweep;
      } else tn++;
    } else if (detected) {
      tp++;
      // NAB keeps the window's highest S(t): the earliest detection, as S(t) falls along a window.
      const held = best.get(p.window);
      const heldSweep = held === undefined ? -Infinity : (points[held]?.sweep ?? -Infinity);
      if (p.sweep > heldSweep || (p.sweep === heldSweep && held !== undefined && i < held)) best.set(p.window, i);
      parts.set(p.window, Math.max(parts.get(p.window) ?? -profile.fnWeight, p.sweep));
    } else fn++;
  }
  // Each window's part is written at the window's first row, as NAB's published results files do.
  const firstRow = new Map<string, number>();
  points.forEach((p, i) => {
    if (p.window !== null && !firstRow.has(p.window)) firstRow.set(p.window, i);
  });
  const results: WindowResult[] = windows.map(([start, end]) => {
    const w = `${name}|${start}`;
    const score = parts.get(w) ?? null;
    const at = firstRow.get(w);
    if (score !== null && at !== undefined) contribution[at] = score;
    return { name: w, start, end, detectedAt: best.get(w) ?? null, score };
  });
  return { name, threshold, raw: total(fpTotal, parts), tp, tn, fp, fn, sweep: points.map((p) => p.sweep), contribution, windows: results };
}

/** Scores one file: per-row S(t), per-row contributions and the raw score when the detections are the rows with score ≥ threshold. */
export function scoreFile(
  file: Pick<NabFile, 'name' | 'timestamps'>,
  scores: readonly number[],
  windows: readonly (readonly [string, string])[],
  profile: Readonly<CostMatrix>,
  threshold: number,
  options: ScoreOptions = {},
): FileScore {
  return scoreSwept(file.name, sweepFile(file.name, file.timestamps, scores, windows, profile, options), windows, profile, threshold);
}

/** A detector's NAB result over a set of files. */
export interface DetectorScore {
  /** the optimised threshold (an anomaly score of the results, or 1.1 when detecting nothing is best) */
  threshold: number;
  /** normalised: 100 · (raw − null) / (perfect − null) */
  score: number;
  /** Σ of the files' raw scores at the threshold (NAB's "Totals" row) */
  raw: number;
  /** raw score of the null detector (no detections): −fnWeight per window with a scorable row */
  null: number;
  /** raw score of the perfect detector: tpWeight per window (NAB: number of windows × tpWeight) */
  perfect: number;
  perFile: FileScore[];
}

/**
 * Scores a detector as NAB's runner does: one threshold optimised over all the given files together (the summed
 * raw score), each file scored at it, then normalised against the null and perfect detectors. Only files with
 * results are scored; each must be in `files` and `windows`.
 */
export function scoreDetector(
  results: readonly { name: string; scores: readonly number[] }[],
  files: readonly NabFile[],
  windows: NabWindows,
  profile: Readonly<CostMatrix> | ProfileName,
  options: ScoreOptions = {},
): DetectorScore {
  const cm = typeof profile === 'string' ? PROFILES[profile] : profile;
  const byName = new Map(files.map((f) => [f.name, f]));
  const swept = results.map((r) => {
    const file = byName.get(r.name);
    const win = windows[r.name];
    if (!file) throw new Error(`no data file ${r.name}`);
    if (!win) throw new Error(`no windows for ${r.name}`);
    return { name: r.name, win, points: sweepFile(r.name, file.timestamps, r.scores, win, cm, options) };
  });
  const best = optimizeThreshold(
    swept.flatMap((s) => s.points),
    cm,
  );
  const perFile = swept.map((s) => scoreSwept(s.name, s.points, s.win, cm, best.threshold));
  const raw = perFile.reduce((a, f) => a + f.raw, 0);
  const nullRaw = swept.reduce((a, s) => a + scoreSwept(s.name, s.points, s.win, cm, Infinity).raw, 0);
  const perfect = swept.reduce((a, s) => a + s.win.length * cm.tpWeight, 0);
  return { threshold: best.threshold, score: (100 * (raw - nullRaw)) / (perfect - nullRaw), raw, null: nullRaw, perfect, perFile };
}
