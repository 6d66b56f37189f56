import { SeriesError } from '../series/regular.js';
import { evaluate, originsFor, type Evaluation } from './evaluate.js';
import { arx } from './models/arx.js';
import { ets } from './models/ets.js';
import type { Model, ModelName } from './models/model.js';
import { naive, snaive } from './models/naive.js';
import { theta } from './models/theta.js';
import { normalQuantile } from './normal.js';
import { prepare } from './prep.js';
import { detectPeriod } from './season.js';

export interface ForecastOptions {
  horizon: number;
  /** The seasonal period in steps; detected among `periods` when not given. */
  season?: number;
  /** Candidate periods to detect (e.g. 24 and 168 for hourly values). */
  periods?: number[];
  /** Interval levels in percent (default 80 and 95). */
  levels?: number[];
  /** Rolling origins to evaluate at (default 4). */
  origins?: number;
  /** Only the last values are modelled (default 4,032: 24 weeks of hourly values). */
  maxHistory?: number;
}

export interface Interval {
  level: number;
  lower: number[];
  upper: number[];
}

export interface Forecast {
  model: ModelName;
  season: number;
  mean: number[];
  intervals: Interval[];
  /** The rolling-origin evaluation the model was chosen by (without the per-step errors); null when there was too little history. */
  evaluation: (Omit<Evaluation, 'scores'> & { scores: { model: ModelName; mase: number; smape: number }[] }) | null;
  /** Said when the series was too short for the evaluation and a simpler model forecast it. */
  note?: { vi: string; en: string };
  /** Values filled in and outliers set aside before modelling. */
  filled: number;
  outliers: number;
}

const COMBINED: ModelName[] = ['ets', 'theta', 'arx'];

/** Step-by-step standard deviations of the errors, pooled over neighbouring steps and never shrinking with the horizon. */
function spread(errors: number[][], h: number): number[] {
  const w = Math.max(1, Math.round(h / 8));
  const out: number[] = [];
  let prev = 0;
  for (let j = 0; j < h; j++) {
    let s = 0;
    let n = 0;
    for (const row of errors)
      for (let k = Math.max(0, j - w); k <= Math.min(h - 1, j + w); k++) {
        s += row[k]! ** 2;
        n++;
      }
    prev = Math.max(prev, Math.sqrt(s / Math.max(1, n)));
    out.push(prev);
  }
  return out;
}

function intervals(mean: number[], sd: number[], levels: number[]): Interval[] {
  return levels.map((level) => {
    const z = normalQuantile(0.5 + level / 200);
    return { level, lower: mean.map((v, j) => v - z * sd[j]!), upper: mean.map((v, j) => v + z * sd[j]!) };
  });
}

/**
 * Point forecasts with prediction intervals for h steps after the series' last time. The model is
 * the one with the lowest MASE at rolling origins (seasonal naive, ETS, Theta, the lag regression
 * and their combination); the intervals come from that model's own out-of-sample errors there.
 */
export function forecast(values: readonly (number | null)[], opts: ForecastOptions, name = ''): Forecast {
  const { horizon } = opts;
  const levels = opts.levels ?? [80, 95];
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > 10_000)
    throw new SeriesError(name, undefined, 'tầm dự báo phải là số nguyên từ 1 đến 10.000.', 'the horizon must be a whole number from 1 to 10,000.');
  const history = values.slice(-(opts.maxHistory ?? 4032));
  const rough = prepare(history, 1);
  if (!rough) throw new SeriesError(name, undefined, 'chuỗi không có giá trị nào.', 'the series has no values.');
  let m = opts.season ?? 1;
  if (opts.season !== undefined) {
    if (!Number.isInteger(m) || m < 1)
      throw new SeriesError(name, undefined, 'chu kỳ mùa phải là số nguyên dương.', 'the season must be a positive whole number.');
    if (rough.y.length < 2 * m)
      throw new SeriesError(
        name,
        undefined,
        `chuỗi có ${rough.y.length} giá trị, quá ngắn cho chu kỳ mùa ${m} (cần ít nhất ${2 * m}).`,
        `the series has ${rough.y.length} values, too short for a season of ${m} (at least ${2 * m} are needed).`,
      );
  } else
    m = detectPeriod(
      rough.y,
      (opts.periods ?? []).filter((p) => rough.y.length >= 3 * p),
    );
  const prep = prepare(history, m)!;
  const { y } = prep;
  // Values missing at the end are forecast too: the horizon counts from the series' last time.
  const h = horizon + prep.trailing;
  const long = opts.periods?.find((p) => p > m && p % m === 0);
  const models: Model[] = [m > 1 ? snaive : naive, ets, theta, arx(long)];
  const minTrain = (model: Model) => model.minLength(m);
  const origins = originsFor(y.length, h, Math.max(minTrain(ets), 2 * m, 8), opts.origins ?? 4);
  const usable = origins.length ? models.filter((mo) => minTrain(mo) <= origins[0]!) : [];
  const base = { season: m, filled: prep.filled, outliers: prep.outliers };
  if (usable.length < 2) {
    const simple = m > 1 && y.length >= m ? snaive : naive;
    const mean = simple.fit(y, m).forecast(h);
    // One-step errors of the simple model in the sample, growing with the square root of the step.
    const lag = simple === snaive ? m : 1;
    let s = 0;
    for (let t = lag; t < y.length; t++) s += (y[t]! - y[t - lag]!) ** 2;
    const sd1 = y.length > lag ? Math.sqrt(s / (y.length - lag)) : 0;
    const sd = mean.map((_, j) => sd1 * Math.sqrt(simple === snaive ? Math.floor(j / m) + 1 : j + 1));
    return {
      ...base,
      model: simple.name,
      mean: mean.slice(prep.trailing),
      intervals: intervals(mean, sd, levels).map((i) => ({ ...i, lower: i.lower.slice(prep.trailing), upper: i.upper.slice(prep.trailing) })),
      evaluation: null,
      note: {
        vi: `chuỗi chỉ có ${y.length} giá trị, không đủ để đánh giá các mô hình: dự báo bằng mô hình đơn giản (${simple.name}).`,
        en: `the series has only ${y.length} values, too few to evaluate the models: forecast by a simpler model (${simple.name}).`,
      },
    };
  }
  const evaluation = evaluate(y, m, h, usable, origins, COMBINED);
  const best = evaluation.scores[0]!;
  const fitFull = (model: Model) => model.fit(y, m).forecast(h);
  const mean =
    best.model === 'combination'
      ? (() => {
          const parts = usable.filter((mo) => COMBINED.includes(mo.name)).map(fitFull);
          return Array.from({ length: h }, (_, j) => parts.reduce((s, f) => s + f[j]!, 0) / parts.length);
        })()
      : fitFull(usable.find((mo) => mo.name === best.model)!);
  const sd = spread(best.errors, h);
  const cut = <T>(xs: T[]) => xs.slice(prep.trailing);
  return {
    ...base,
    model: best.model,
    mean: cut(mean),
    intervals: intervals(mean, sd, levels).map((i) => ({ ...i, lower: cut(i.lower), upper: cut(i.upper) })),
    evaluation: {
      origins: evaluation.origins,
      horizon: evaluation.horizon,
      scores: evaluation.scores.map(({ model, mase, smape }) => ({ model, mase, smape })),
    },
  };
}
