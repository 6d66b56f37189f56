import { median } from '../median.js';
import type { AnomalyKind, Flag } from './kinds.js';

/** How a detector judges one series. */
export interface DetectorOptions {
  /** The series' step in ms: a longer wait between points is a gap. */
  stepMs: number;
  /** Values outside are flagged `range` and not learnt from. */
  range?: { min: number; max: number };
  /** Equal values in a row from which they are flagged `stuck` (default: 6, or 3 hours of points if more). */
  stuckRun?: number;
  /**
   * How extreme a jump from the recent median must be to be flagged a spike, as the normal deviate of the
   * same tail probability (default 6, i.e. a tail of about 1e-9 under the series' own residual distribution).
   */
  spikeZ?: number;
}

/** The last values of one quantity, as a ring: all a tail's state that is stored (its sorted copy and fit are derived, see `Tail`). */
export interface TailState {
  ring: number[];
  /** next slot of `ring` to overwrite once it is full */
  at: number;
}

/** A tail at work: its stored ring, the same values sorted, and the exponential fit of both tails beyond the 5 % / 95 % quantiles. */
interface Tail {
  state: TailState;
  sorted: number[];
  uHi: number;
  bHi: number;
  kHi: number;
  uLo: number;
  bLo: number;
  kLo: number;
}

/** What a detector remembers between points; plain JSON (at most about 4,100 numbers), stored per datastream between runs. */
export interface DetectorState {
  n: number;
  lastAt: number | null;
  lastValue: number | null;
  run: number;
  /** the last few accepted values: their median predicts the next one */
  recent: number[];
  /** distribution of the values */
  values: TailState;
  /** distribution of the absolute residuals against the median of `recent` */
  resid: TailState;
  /** surprisal (−ln tail) of the last few points */
  surprise: number[];
  likMean: number;
  likVar: number;
  /** the raw levels of the last REFRACTORY points (a ring) */
  prevLevels: number[];
  prevAt: number;
  fast: number;
  slow: number;
  slowVar: number;
  drifting: boolean;
}

/**
 * One point's verdict: its flags, and a continuous anomaly level (0–1) of its value — how much new evidence
 * this point brings that the series is behaving unusually. Faults of the stream itself (gaps, a stuck
 * sensor, an impossible value) are flags, not part of the level.
 */
export interface Verdict {
  flags: Flag[];
  level: number;
}

/** Values and residuals remembered for their distributions. */
const HISTORY = 2000;
/** Share of each side beyond which a tail is modelled as exponential (peaks over threshold). */
const TAIL_SHARE = 0.05;
/** Values whose median predicts the next. */
const RECENT = 5;
/** Points averaged by the likelihood (as Numenta's). */
const SHORT = 10;
/** Memory of the likelihood's running mean and variance, in points. */
const LONG = 2000;
/** Points after a level during which only a higher level counts as new (refractory period). */
const REFRACTORY = 50;
const WARMUP = 24;
/** Points before any level is reported. */
const LEVEL_WARMUP = 50;
const MIN_TAIL_POINTS = 20;
/** Surprisal is capped at a tail of 1e-10 in the short average, so that one point cannot dominate it. */
const MAX_SURPRISE = 10 * Math.LN10;
const MIN_LIK_SD = 0.05;

const newTail = (): TailState => ({ ring: [], at: 0 });

export function newState(): DetectorState {
  return {
    n: 0,
    lastAt: null,
    lastValue: null,
    run: 0,
    recent: [],
    values: newTail(),
    resid: newTail(),
    surprise: [],
    likMean: 0,
    likVar: 0,
    prevLevels: [],
    prevAt: 0,
    fast: 0,
    slow: 0,
    slowVar: 0,
    drifting: false,
  };
}

/** First index of sorted `s` whose element is ≥ x (strict: > x). */
function bound(s: number[], x: number, strict: boolean): number {
  let a = 0;
  let b = s.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (s[m]! < x || (strict && s[m]! === x)) a = m + 1;
    else b = m;
  }
  return a;
}

/** Refits both tails: the 5 % / 95 % quantiles and the mean excess beyond them (floored at 2 % of the spread between). */
function refit(t: Tail): void {
  const s = t.sorted;
  const n = s.length;
  const hi = Math.floor((1 - TAIL_SHARE) * (n - 1));
  const lo = Math.ceil(TAIL_SHARE * (n - 1));
  t.uHi = s[hi]!;
  t.uLo = s[lo]!;
  const floor = 0.02 * Math.max(t.uHi - t.uLo, 1e-9 * (Math.abs(t.uHi) + 1));
  let a = 0;
  let b = 0;
  for (let j = hi + 1; j < n; j++) a += s[j]! - t.uHi;
  for (let j = 0; j < lo; j++) b += t.uLo - s[j]!;
  t.kHi = n - 1 - hi;
  t.kLo = lo;
  t.bHi = Math.max(t.kHi ? a / t.kHi : 0, floor);
  t.bLo = Math.max(t.kLo ? b / t.kLo : 0, floor);
}

/** A stored ring at work: sorted and fitted again, exactly as it was when stored. */
function tailOf(state: TailState): Tail {
  const t: Tail = { state, sorted: state.ring.slice().sort((a, b) => a - b), uHi: 0, bHi: 0, kHi: 0, uLo: 0, bLo: 0, kLo: 0 };
  if (t.sorted.length >= MIN_TAIL_POINTS) refit(t);
  return t;
}

function learn(t: Tail, x: number): void {
  const ring = t.state;
  if (ring.ring.length < HISTORY) ring.ring.push(x);
  else {
    const old = ring.ring[ring.at]!;
    ring.ring[ring.at] = x;
    ring.at = (ring.at + 1) % HISTORY;
    t.sorted.splice(bound(t.sorted, old, false), 1);
  }
  t.sorted.splice(bound(t.sorted, x, false), 0, x);
  if (t.sorted.length >= MIN_TAIL_POINTS) refit(t);
}

/** ln P(X ≥ x): empirical up to the upper threshold, exponential beyond it. */
function logTailHi(t: Tail, x: number): number {
  const n = t.sorted.length;
  if (x > t.uHi) return Math.log((t.kHi + 1) / (n + 1)) - (x - t.uHi) / t.bHi;
  return Math.log((n - bound(t.sorted, x, false) + 1) / (n + 1));
}

/** ln P(X ≤ x), likewise. */
function logTailLo(t: Tail, x: number): number {
  const n = t.sorted.length;
  if (x < t.uLo) return Math.log((t.kLo + 1) / (n + 1)) - (t.uLo - x) / t.bLo;
  return Math.log((bound(t.sorted, x, true) + 1) / (n + 1));
}

/**
 * log Q(x), the log of the standard normal upper tail: through erfc for moderate x (Numerical
 * Recipes' erfcc, fractional error below 1.2e-7), its asymptotic series beyond 5 where erfc underflows
 * the precision that matters here (tails down to 1e-10).
 */
export function logUpperTail(x: number): number {
  if (x > 5) return -(x * x) / 2 - Math.log(x * Math.sqrt(2 * Math.PI)) + Math.log(1 - 1 / (x * x) + 3 / x ** 4);
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return Math.log(x >= 0 ? erfc / 2 : 1 - erfc / 2);
}

/** The anomaly level of a tail probability on a log scale, as Numenta's: 0.5 at 1e-5, 1 at 1e-10. */
const logLevel = (logQ: number) => Math.min(1, Math.max(0, Math.log(Math.exp(logQ) + 1e-10) / Math.log(1e-10)));

/**
 * Checks points one at a time, in time order, in small constant time each: gaps in time, values outside the
 * physical range, runs of one value (a stuck sensor), spikes and drift. The level combines, on Numenta's log
 * scale, (a) how improbable this point is — the smaller of its value's two-sided tail in the last 2,000 values
 * and its jump from the median of the last 5 in the last 2,000 jumps, each tail empirical up to its 5 %
 * quantile and exponential beyond (peaks over threshold) — and (b) Numenta's anomaly likelihood of the mean
 * surprisal of the last 10 points. It then reports only what is new: the excess of that over the highest
 * level of the previous 50 points (a refractory period: a continuing anomaly is not reported again and again).
 */
export class StreamDetector {
  readonly state: DetectorState;
  private readonly stuckRun: number;
  private readonly spikeLogTail: number;
  private readonly values: Tail;
  private readonly resid: Tail;

  constructor(
    private readonly opts: DetectorOptions,
    state?: DetectorState,
  ) {
    this.state = state ?? newState();
    this.values = tailOf(this.state.values);
    this.resid = tailOf(this.state.resid);
    this.stuckRun = opts.stuckRun ?? Math.max(6, Math.ceil((3 * 3_600_000) / opts.stepMs));
    this.spikeLogTail = logUpperTail(opts.spikeZ ?? 6);
  }

  push(at: number, value: number | null): Verdict {
    const s = this.state;
    const flags: Flag[] = [];
    const flag = (kind: AnomalyKind, score: number) => flags.push({ at, kind, score: Math.round(Math.min(1, Math.max(0, score)) * 1000) / 1000 });
    if (value === null) return { flags, level: 0 };
    if (s.lastAt !== null && at - s.lastAt > 1.5 * this.opts.stepMs) {
      const missing = Math.round((at - s.lastAt) / this.opts.stepMs) - 1;
      flag('gap', 1 - Math.exp(-missing / 3));
    }
    s.lastAt = at;
    const r = this.opts.range;
    if (r && (value < r.min || value > r.max)) {
      flag('range', 1);
      return { flags, level: 0 };
    }
    // A stuck sensor repeats itself exactly.
    s.run = value === s.lastValue ? s.run + 1 : 1;
    s.lastValue = value;
    if (s.run >= this.stuckRun && s.n > WARMUP) flag('stuck', 0.5 + Math.min(0.5, (s.run - this.stuckRun) / (2 * this.stuckRun)));

    // How improbable is this point: its value, and its jump from the recent median (ln tail ≤ 0).
    let logValue = 0;
    let logJump = 0;
    let jump = 0;
    if (this.values.sorted.length >= MIN_TAIL_POINTS) logValue = Math.min(0, Math.LN2 + Math.min(logTailHi(this.values, value), logTailLo(this.values, value)));
    if (s.recent.length > 0) {
      jump = Math.abs(value - median(s.recent));
      if (this.resid.sorted.length >= MIN_TAIL_POINTS) logJump = logTailHi(this.resid, jump);
    }
    const logPoint = Math.min(logValue, logJump);
    if (s.n > WARMUP && logJump <= this.spikeLogTail) flag('spike', logLevel(logJump));

    // The anomaly likelihood: the mean surprisal of the last few points, against its own long-run distribution.
    s.surprise.push(Math.min(MAX_SURPRISE, -logPoint));
    if (s.surprise.length > SHORT) s.surprise.shift();
    const avg = s.surprise.reduce((a, b) => a + b, 0) / s.surprise.length;
    let raw = 0;
    if (s.n > LEVEL_WARMUP) {
      const sd = Math.max(MIN_LIK_SD, Math.sqrt(s.likVar));
      raw = Math.max(logLevel(logUpperTail((avg - s.likMean) / sd)), logLevel(logPoint));
    }
    const a = 1 / Math.min(s.n + 1, LONG);
    const d = avg - s.likMean;
    s.likMean += a * d;
    s.likVar = (1 - a) * (s.likVar + a * d * d);

    // Refractory: only the excess over the highest level of the last REFRACTORY points is new.
    let prevMax = 0;
    for (const l of s.prevLevels) if (l > prevMax) prevMax = l;
    const level = Math.max(0, raw - prevMax);
    if (s.prevLevels.length < REFRACTORY) s.prevLevels.push(raw);
    else {
      s.prevLevels[s.prevAt] = raw;
      s.prevAt = (s.prevAt + 1) % REFRACTORY;
    }

    // Drift: the fast mean (about 50 points) leaves the slow one (about 1,000 points) by two of its deviations (a flag, not part of the level).
    if (s.n === 0) s.fast = s.slow = value;
    s.fast += (value - s.fast) / Math.min(s.n + 1, 50);
    const ds = value - s.slow;
    const b = 1 / Math.min(s.n + 1, 1000);
    s.slow += b * ds;
    s.slowVar = (1 - b) * (s.slowVar + b * ds * ds);
    const dz = s.slowVar > 0 ? Math.abs(s.fast - s.slow) / Math.sqrt(s.slowVar) : 0;
    if (s.n > 1000 && dz > 2) {
      if (!s.drifting) flag('drift', Math.min(1, dz / 4));
      s.drifting = true;
    } else if (dz < 1) s.drifting = false;

    learn(this.values, value);
    if (s.recent.length > 0) learn(this.resid, jump);
    s.recent.push(value);
    if (s.recent.length > RECENT) s.recent.shift();
    s.n++;
    return { flags, level };
  }
}
