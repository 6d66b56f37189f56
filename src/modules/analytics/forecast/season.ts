/** Seasonality: the autocorrelation test M4's benchmarks use, and classical decomposition. */

/** Autocorrelations of y at lags 0..maxLag. */
export function acf(y: ArrayLike<number>, maxLag: number): number[] {
  const n = y.length;
  let mu = 0;
  for (let i = 0; i < n; i++) mu += y[i]!;
  mu /= n;
  let c0 = 0;
  for (let i = 0; i < n; i++) c0 += (y[i]! - mu) ** 2;
  const out = [1];
  for (let k = 1; k <= maxLag; k++) {
    let c = 0;
    for (let i = k; i < n; i++) c += (y[i]! - mu) * (y[i - k]! - mu);
    out.push(c0 > 0 ? c / c0 : 0);
  }
  return out;
}

/**
 * Whether y is seasonal at period m: the lag-m autocorrelation exceeds its 90 % limit under the
 * hypothesis of none (1.645 × the Bartlett standard error), as M4's seasonality test.
 */
export function isSeasonal(y: ArrayLike<number>, m: number): boolean {
  if (m < 2 || y.length < 3 * m) return false;
  const r = acf(y, m);
  let sum = 0;
  for (let k = 1; k < m; k++) sum += r[k]! ** 2;
  const limit = 1.645 * Math.sqrt((1 + 2 * sum) / y.length);
  return Math.abs(r[m]!) > limit;
}

/** The seasonal period among candidates that the series shows most strongly, or 1. */
export function detectPeriod(y: ArrayLike<number>, candidates: number[]): number {
  let best = 1;
  let bestR = 0;
  for (const m of candidates) {
    if (!isSeasonal(y, m)) continue;
    const r = acf(y, m)[m]!;
    if (r > bestR) [best, bestR] = [m, r];
  }
  return best;
}

/**
 * Classical decomposition's seasonal indices (length m, position t mod m): multiplicative when every
 * value is positive (mean 1), additive otherwise (mean 0).
 */
export function seasonalIndices(y: ArrayLike<number>, m: number): { indices: Float64Array; multiplicative: boolean } {
  const n = y.length;
  let multiplicative = true;
  for (let i = 0; i < n; i++) if (!(y[i]! > 0)) multiplicative = false;
  // Centred moving average of order m (2×m when m is even).
  const half = Math.floor(m / 2);
  const sums = new Float64Array(m);
  const counts = new Float64Array(m);
  for (let t = half; t < n - half; t++) {
    let s = 0;
    if (m % 2 === 0) {
      for (let k = -half; k <= half; k++) s += y[t + k]! * (Math.abs(k) === half ? 0.5 : 1);
      s /= m;
    } else {
      for (let k = -half; k <= half; k++) s += y[t + k]!;
      s /= m;
    }
    const i = t % m;
    sums[i] = sums[i]! + (multiplicative ? y[t]! / s : y[t]! - s);
    counts[i] = counts[i]! + 1;
  }
  const indices = new Float64Array(m);
  let total = 0;
  for (let i = 0; i < m; i++) {
    indices[i] = counts[i] ? sums[i]! / counts[i]! : multiplicative ? 1 : 0;
    total += indices[i]!;
  }
  for (let i = 0; i < m; i++) indices[i] = multiplicative ? (indices[i]! * m) / total : indices[i]! - total / m;
  return { indices, multiplicative };
}
