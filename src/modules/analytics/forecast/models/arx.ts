import { Matrix, solve } from 'ml-matrix';
import type { Model } from './model.js';

/**
 * A linear autoregression on recent and seasonal lags with Fourier terms of the season (a regression
 * on calendar and lagged features), fitted by ridge least squares (ml-matrix) and forecast
 * recursively. `long` is a second, longer period (a week of hourly values) used as a lag when the
 * series covers it three times.
 */
export function arx(long?: number): Model {
  const lagsFor = (m: number, withLong: boolean) => {
    const lags = new Set([1, 2, 3]);
    if (m > 1) for (const l of [m - 1, m, m + 1, 2 * m]) if (l > 3) lags.add(l);
    if (long && withLong) lags.add(long);
    return [...lags].sort((a, b) => a - b);
  };
  const harmonics = (m: number) => (m > 2 ? Math.min(2, Math.floor(m / 2)) : 0);
  const row = (get: (t: number) => number, t: number, lags: number[], m: number) => {
    const r = [1];
    for (const l of lags) r.push(get(t - l));
    for (let k = 1; k <= harmonics(m); k++) r.push(Math.sin((2 * Math.PI * k * (t % m)) / m), Math.cos((2 * Math.PI * k * (t % m)) / m));
    return r;
  };
  return {
    name: 'arx',
    minLength: (m) => Math.max(4 * m, 30),
    fit(y, m, params) {
      const n = y.length;
      const withLong = params ? params[0] === 1 : !!long && long > 2 * m && n >= 3 * long;
      const lags = lagsFor(m, withLong);
      const maxLag = lags[lags.length - 1]!;
      let beta = params?.slice(1);
      if (!beta) {
        const X: number[][] = [];
        const Y: number[] = [];
        for (let t = maxLag; t < n; t++) {
          X.push(row((i) => y[i]!, t, lags, m));
          Y.push(y[t]!);
        }
        const xm = new Matrix(X);
        const xtx = xm.transpose().mmul(xm);
        let trace = 0;
        for (let i = 0; i < xtx.rows; i++) trace += xtx.get(i, i);
        const lambda = (1e-4 * trace) / xtx.rows;
        for (let i = 1; i < xtx.rows; i++) xtx.set(i, i, xtx.get(i, i) + lambda);
        const xty = xm.transpose().mmul(Matrix.columnVector(Y));
        beta = solve(xtx, xty).getColumn(0);
      }
      const b = beta;
      return {
        params: [withLong ? 1 : 0, ...b],
        forecast(h) {
          const ext = Float64Array.from({ length: n + h }, (_, i) => (i < n ? y[i]! : 0));
          for (let t = n; t < n + h; t++) {
            const r = row((i) => ext[i]!, t, lags, m);
            let v = 0;
            for (let k = 0; k < r.length; k++) v += r[k]! * b[k]!;
            ext[t] = v;
          }
          return Array.from(ext.subarray(n));
        },
      };
    },
  };
}
