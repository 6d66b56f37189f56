/** The models a forecast chooses from (by rolling-origin evaluation). */
export const MODEL_NAMES = ['naive', 'snaive', 'ets', 'theta', 'arx', 'combination'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/** A model fitted to a series: its parameters (to refit elsewhere without optimising) and its point forecast. */
export interface Fit {
  params: number[];
  forecast(h: number): number[];
}

/**
 * A forecasting model over a complete series (no missing values) with seasonal period m (1: none).
 * With `params` it reuses them instead of optimising, which the rolling-origin evaluation does at
 * every origin after the first.
 */
export interface Model {
  name: ModelName;
  /** The fewest values it needs at period m. */
  minLength(m: number): number;
  fit(y: Float64Array, m: number, params?: number[]): Fit;
}

export const mean = (y: ArrayLike<number>, from = 0, to = y.length) => {
  let s = 0;
  for (let i = from; i < to; i++) s += y[i]!;
  return s / Math.max(1, to - from);
};
