import type { Model } from './model.js';

/** The last value, repeated. */
export const naive: Model = {
  name: 'naive',
  minLength: () => 1,
  fit: (y) => ({ params: [], forecast: (h) => new Array<number>(h).fill(y[y.length - 1]!) }),
};

/** The value one season earlier (the benchmark every model must beat). */
export const snaive: Model = {
  name: 'snaive',
  minLength: (m) => m,
  fit: (y, m) => ({
    params: [],
    forecast: (h) => Array.from({ length: h }, (_, j) => y[y.length - m + (j % m)]!),
  }),
};
