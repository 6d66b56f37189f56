import { nelderMead, logistic, logit } from '../optim.js';
import { isSeasonal, seasonalIndices } from '../season.js';
import type { Model } from './model.js';

/**
 * The Theta method (Assimakopoulos & Nikolopoulos 2000, in Hyndman & Billah's form): simple
 * exponential smoothing with a drift of half the series' linear trend, on seasonally adjusted data
 * (classical decomposition when the series tests seasonal), re-seasonalised.
 */
export const theta: Model = {
  name: 'theta',
  minLength: () => 4,
  fit(y, m, params) {
    const n = y.length;
    const seasonal = m > 1 && (params ? params[1] === 1 : isSeasonal(y, m));
    const dec = seasonal ? seasonalIndices(y, m) : undefined;
    const x = Float64Array.from(y, (v, t) => (dec ? (dec.multiplicative ? v / dec.indices[t % m]! : v - dec.indices[t % m]!) : v));
    // The slope of x on time, by least squares.
    const tm = (n - 1) / 2;
    let sxy = 0;
    let sxx = 0;
    let xm = 0;
    for (let t = 0; t < n; t++) xm += x[t]!;
    xm /= n;
    for (let t = 0; t < n; t++) {
      sxy += (t - tm) * (x[t]! - xm);
      sxx += (t - tm) ** 2;
    }
    const slope = sxx > 0 ? sxy / sxx : 0;
    const ses = (a: number) => {
      let l = x[0]!;
      let sse = 0;
      for (let t = 1; t < n; t++) {
        const e = x[t]! - l;
        sse += e * e;
        l += a * e;
      }
      return { l, sse };
    };
    const p = params?.[0] ?? nelderMead((q) => ses(logistic(q[0]!, 0.0001, 0.9999)).sse, [logit(0.3, 0.0001, 0.9999)], { maxEvals: 60 }).x[0]!;
    const alpha = logistic(p, 0.0001, 0.9999);
    const { l } = ses(alpha);
    const drift = slope / 2;
    const base = (1 - (1 - alpha) ** n) / alpha;
    return {
      params: [p, seasonal ? 1 : 0],
      forecast: (h) =>
        Array.from({ length: h }, (_, j) => {
          const v = l + drift * (j + base);
          if (!dec) return v;
          const s = dec.indices[(n + j) % m]!;
          return dec.multiplicative ? v * s : v + s;
        }),
    };
  },
};
