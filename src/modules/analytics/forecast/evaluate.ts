import type { Model, ModelName } from './models/model.js';

/** How a model did at the rolling origins: its MASE and its errors by origin and step. */
export interface ModelScore {
  model: ModelName;
  mase: number;
  smape: number;
  /** errors[origin][step] = actual − forecast. */
  errors: number[][];
}

export interface Evaluation {
  /** The positions of the origins (forecasts start there), earliest first. */
  origins: number[];
  horizon: number;
  scores: ModelScore[];
}

/** The mean absolute seasonal difference of y (MASE's scale); 1 when the series is flat. */
export function maseScale(y: ArrayLike<number>, m: number, to = y.length): number {
  let s = 0;
  let n = 0;
  for (let t = m; t < to; t++, n++) s += Math.abs(y[t]! - y[t - m]!);
  return n && s > 0 ? s / n : 1;
}

/** Origins for a rolling evaluation: the last h values held out, then every `stride` steps back, as many as fit after `minTrain`. */
export function originsFor(n: number, h: number, minTrain: number, count: number): number[] {
  const stride = Math.max(1, Math.round(h / 2));
  const out: number[] = [];
  for (let k = 0; k < count; k++) {
    const o = n - h - k * stride;
    if (o < minTrain) break;
    out.unshift(o);
  }
  return out;
}

/**
 * Rolling-origin evaluation: each model is fitted (its weights optimised) on the values before the
 * first origin only, then re-run with those weights from each later origin, forecasting h steps
 * that it has not seen. Combination is the mean of the other models' forecasts at each origin.
 */
export function evaluate(y: Float64Array, m: number, h: number, models: Model[], origins: number[], combine: ModelName[]): Evaluation {
  const scale = maseScale(y, m > 1 ? m : 1, origins[0]);
  const byModel = new Map<ModelName, number[][]>();
  for (const model of models) {
    const first = model.fit(y.subarray(0, origins[0]), m);
    byModel.set(
      model.name,
      origins.map((o) => (o === origins[0] ? first : model.fit(y.subarray(0, o), m, first.params)).forecast(h)),
    );
  }
  const parts = combine.filter((c) => byModel.has(c));
  if (parts.length >= 2)
    byModel.set(
      'combination',
      origins.map((_, k) => Array.from({ length: h }, (_, j) => parts.reduce((s, c) => s + byModel.get(c)![k]![j]!, 0) / parts.length)),
    );
  const scores: ModelScore[] = [];
  for (const [model, forecasts] of byModel) {
    let abs = 0;
    let sm = 0;
    let count = 0;
    const errors = forecasts.map((f, k) =>
      f.map((v, j) => {
        const actual = y[origins[k]! + j]!;
        abs += Math.abs(actual - v);
        sm += Math.abs(actual) + Math.abs(v) > 0 ? (200 * Math.abs(actual - v)) / (Math.abs(actual) + Math.abs(v)) : 0;
        count++;
        return actual - v;
      }),
    );
    scores.push({ model, mase: abs / count / scale, smape: sm / count, errors });
  }
  scores.sort((a, b) => a.mase - b.mase);
  return { origins, horizon: h, scores };
}
