import { logistic, logit, nelderMead } from '../optim.js';
import { mean, type Fit, type Model } from './model.js';

/**
 * Exponential smoothing in error-correction form, additive errors: level, an optional damped trend
 * and an optional additive season (ETS(A,N,N), (A,Ad,N), (A,N,A), (A,Ad,A) — Holt–Winters). The
 * weights minimise the one-step squared errors; the two forms with and without trend are compared by
 * AIC. No maintained npm package fits ETS (the `arima` package does ARIMA only), so it is written here.
 */
interface Weights {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

/** The weights from the optimiser's unbounded parameters: alpha, then beta and phi with a trend, then gamma with a season. */
function weights(p: number[], trend: boolean, seasonal: boolean): Weights {
  const alpha = logistic(p[0]!, 0.0001, 0.9999);
  const g = trend ? 3 : 1;
  return {
    alpha,
    beta: trend ? alpha * logistic(p[1]!, 0.0001, 0.9999) : 0,
    phi: trend ? logistic(p[2]!, 0.8, 0.98) : 0,
    gamma: seasonal ? (1 - alpha) * logistic(p[g]!, 0.0001, 0.9999) : 0,
  };
}

function start(trend: boolean, seasonal: boolean): number[] {
  const p = [logit(0.3, 0.0001, 0.9999)];
  if (trend) p.push(logit(0.1, 0.0001, 0.9999), logit(0.9, 0.8, 0.98));
  if (seasonal) p.push(logit(0.1, 0.0001, 0.9999));
  return p;
}

interface State {
  l: number;
  b: number;
  s: Float64Array;
}

function initial(y: Float64Array, m: number, trend: boolean): State {
  const s = new Float64Array(m);
  if (m === 1) return { l: y[0]!, b: trend && y.length > 1 ? y[1]! - y[0]! : 0, s };
  const seasons = Math.min(Math.floor(y.length / m), 3);
  const l = mean(y, 0, m);
  const b = trend && seasons >= 2 ? (mean(y, m, 2 * m) - l) / m : 0;
  for (let k = 0; k < seasons; k++) {
    const c = mean(y, k * m, (k + 1) * m);
    for (let i = 0; i < m; i++) s[i] = s[i]! + (y[k * m + i]! - c) / seasons;
  }
  return { l, b, s };
}

/** Runs the filter over y; returns the one-step SSE and the final state. */
function run(y: Float64Array, m: number, w: Weights, st0: State): { sse: number; state: State } {
  let { l, b } = st0;
  const s = Float64Array.from(st0.s);
  let sse = 0;
  const { alpha, beta, gamma, phi } = w;
  for (let t = 0; t < y.length; t++) {
    const i = t % m;
    const e = y[t]! - (l + phi * b + s[i]!);
    sse += e * e;
    l = l + phi * b + alpha * e;
    b = phi * b + beta * e;
    s[i] = s[i]! + gamma * e;
  }
  return { sse, state: { l, b, s } };
}

function fitForm(y: Float64Array, m: number, trend: boolean, params?: number[]): { fit: Fit; aic: number } {
  const seasonal = m > 1;
  const st0 = initial(y, m, trend);
  const objective = (p: number[]) => run(y, m, weights(p, trend, seasonal), st0).sse;
  const p = params ?? nelderMead(objective, start(trend, seasonal), { maxEvals: 300 }).x;
  const w = weights(p, trend, seasonal);
  const { sse, state } = run(y, m, w, st0);
  const n = y.length;
  const k = 1 + (trend ? 2 : 0) + (seasonal ? 1 : 0) + 1 + (trend ? 1 : 0) + (seasonal ? m - 1 : 0);
  return {
    aic: n * Math.log(Math.max(sse, 1e-12) / n) + 2 * k,
    fit: {
      params: [trend ? 1 : 0, ...p],
      forecast(h) {
        const out = new Array<number>(h);
        let damp = 0;
        for (let j = 1; j <= h; j++) {
          damp += w.phi ** j;
          out[j - 1] = state.l + damp * state.b + state.s[(n + j - 1) % m]!;
        }
        return out;
      },
    },
  };
}

export const ets: Model = {
  name: 'ets',
  minLength: (m) => (m > 1 ? 2 * m : 4),
  fit(y, m, params) {
    if (params) return fitForm(y, m, params[0] === 1, params.slice(1)).fit;
    const flat = fitForm(y, m, false);
    const damped = fitForm(y, m, true);
    return (damped.aic < flat.aic ? damped : flat).fit;
  },
};
