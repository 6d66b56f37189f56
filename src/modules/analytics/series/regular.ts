import { wallParts, type TimeStyle } from './time.js';

/** The step of a regular series: a fixed duration, or a number of calendar months (months differ in length). */
export type Step = { kind: 'fixed'; ms: number } | { kind: 'months'; months: number; monthEnd: boolean };

/** A series at a regular step from `start`; a missing value (empty in the file, or a skipped time) is null. */
export interface RegularSeries {
  start: number;
  step: Step;
  values: (number | null)[];
  style: TimeStyle;
}

/** A point as read from a file: its time, its value (null when empty) and the file's row number, for errors. */
export interface RawPoint {
  at: number;
  value: number | null;
  row: number;
}

/** Why a series cannot be used as it is, naming the series and the row. */
export class SeriesError extends Error {
  constructor(
    readonly series: string,
    readonly row: number | undefined,
    readonly vi: string,
    readonly en: string,
  ) {
    super(`${series ? `series "${series}"` : 'series'}${row ? `, row ${row}` : ''}: ${en}`);
  }
}

/** More points than this after filling skipped times is refused (a typo in a year would make millions). */
export const MAX_POINTS = 1_000_000;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

function monthStep(points: RawPoint[], style: TimeStyle): Step | undefined {
  if (points.length < 2) return undefined;
  const parts = points.map((p) => wallParts(p.at, style.offsetMinutes));
  const first = parts[0]!;
  const monthEnd = parts.every((w) => w.day === daysInMonth(w.year, w.month));
  const sameDay = parts.every((w) => w.day === first.day) && first.day <= 28;
  if (!(monthEnd || sameDay) || !parts.every((w) => w.msOfDay === first.msOfDay)) return undefined;
  if (points[1]!.at - points[0]!.at < 27 * DAY) return undefined;
  const idx = parts.map((w) => w.year * 12 + w.month);
  const diffs = idx.slice(1).map((v, i) => v - idx[i]!);
  const months = mode(diffs);
  return months > 0 ? { kind: 'months', months, monthEnd: monthEnd && !sameDay } : undefined;
}

function mode(xs: number[]): number {
  const counts = new Map<number, number>();
  let best = xs[0] ?? 0;
  for (const x of xs) {
    const c = (counts.get(x) ?? 0) + 1;
    counts.set(x, c);
    if (c > (counts.get(best) ?? 0) || (c === counts.get(best) && x < best)) best = x;
  }
  return best;
}

/** The time of the i-th point of a regular series. */
export function timeAt(s: Pick<RegularSeries, 'start' | 'step' | 'style'>, i: number): number {
  if (s.step.kind === 'fixed') return s.start + i * s.step.ms;
  const w = wallParts(s.start, s.style.offsetMinutes);
  const m = w.month + i * s.step.months;
  const year = w.year + Math.floor(m / 12);
  const month = ((m % 12) + 12) % 12;
  const day = s.step.monthEnd ? daysInMonth(year, month) : w.day;
  return Date.UTC(year, month, day) + w.msOfDay - s.style.offsetMinutes * 60_000;
}

/**
 * Points in time order at one step: the step is the most common gap between consecutive times;
 * a gap that is a whole number of steps leaves missing values, anything else is an error (never a guess).
 */
export function regularize(series: string, points: RawPoint[], style: TimeStyle): RegularSeries {
  if (!points.length) throw new SeriesError(series, undefined, 'chuỗi không có điểm nào.', 'the series has no points.');
  for (let i = 1; i < points.length; i++) {
    const p = points[i]!;
    const prev = points[i - 1]!;
    if (p.at === prev.at) throw new SeriesError(series, p.row, `thời điểm trùng với dòng ${prev.row}.`, `the same time as row ${prev.row}.`);
    if (p.at < prev.at)
      throw new SeriesError(
        series,
        p.row,
        `thời điểm trước dòng ${prev.row}: các dòng phải theo thứ tự thời gian.`,
        `earlier than row ${prev.row}: rows must be in time order.`,
      );
  }
  if (points.length === 1) return { start: points[0]!.at, step: { kind: 'fixed', ms: DAY }, values: [points[0]!.value], style };
  const months = monthStep(points, style);
  if (months?.kind === 'months') {
    const base = { start: points[0]!.at, step: months, style };
    const values: (number | null)[] = [points[0]!.value];
    let i = 0;
    for (let k = 1; k < points.length; k++) {
      const p = points[k]!;
      let next = timeAt(base, i + 1);
      while (next < p.at) {
        values.push(null);
        next = timeAt(base, ++i + 1);
        if (values.length > MAX_POINTS) throw tooLong(series, p.row);
      }
      if (next !== p.at) throw irregular(series, p.row, points[k - 1]!.row);
      values.push(p.value);
      i++;
    }
    return { ...base, values };
  }
  const diffs = points.slice(1).map((p, i) => p.at - points[i]!.at);
  const ms = mode(diffs);
  const values: (number | null)[] = [points[0]!.value];
  for (let k = 1; k < points.length; k++) {
    const d = diffs[k - 1]!;
    if (d % ms !== 0) throw irregular(series, points[k]!.row, points[k - 1]!.row);
    for (let gap = d / ms - 1; gap > 0; gap--) values.push(null);
    if (values.length > MAX_POINTS) throw tooLong(series, points[k]!.row);
    values.push(points[k]!.value);
  }
  return { start: points[0]!.at, step: { kind: 'fixed', ms }, values, style };
}

const irregular = (series: string, row: number, prev: number) =>
  new SeriesError(
    series,
    row,
    `khoảng cách tới dòng ${prev} không phải là bội của bước thời gian của chuỗi: chuỗi không đều.`,
    `the gap from row ${prev} is not a whole number of the series' time steps: the series is irregular.`,
  );
const tooLong = (series: string, row: number) =>
  new SeriesError(
    series,
    row,
    `chuỗi vượt quá ${MAX_POINTS} điểm sau khi điền các thời điểm thiếu.`,
    `the series exceeds ${MAX_POINTS} points once skipped times are filled.`,
  );

/** The usual seasonal periods to look for at a step (hourly: a day and a week; daily: a week and a year; monthly: a year). */
export function candidatePeriods(step: Step): number[] {
  if (step.kind === 'months') return step.months === 1 ? [12] : step.months === 3 ? [4] : [];
  const per = (d: number) => (d % step.ms === 0 ? [d / step.ms] : []);
  if (step.ms < DAY) return [...per(DAY), ...per(7 * DAY)].filter((m) => m >= 2);
  if (step.ms === DAY) return [7, 365];
  if (step.ms === 7 * DAY) return [52];
  return [];
}
