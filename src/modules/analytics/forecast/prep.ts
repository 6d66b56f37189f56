import { median } from '../median.js';

/**
 * Making a series with gaps and outliers fit to model: missing values filled (linearly within a
 * season, from the season before for longer gaps), isolated outliers replaced by the local median.
 * A run of unusual values longer than two points is kept: it is a level shift, not an outlier.
 */

export interface Prepared {
  y: Float64Array;
  /** Values at the start that were missing (dropped), and at the end (forecast over). */
  leading: number;
  trailing: number;
  filled: number;
  outliers: number;
}

export function prepare(values: readonly (number | null)[], m: number): Prepared | undefined {
  let a = 0;
  let b = values.length;
  while (a < b && values[a] === null) a++;
  while (b > a && values[b - 1] === null) b--;
  if (a === b) return undefined;
  const y = new Float64Array(b - a);
  const missing: boolean[] = [];
  let filled = 0;
  for (let i = a; i < b; i++) {
    const v = values[i];
    missing.push(v === null || v === undefined);
    y[i - a] = v ?? NaN;
  }
  // Fill gaps: linear for short ones; longer than half a season, the value a season earlier shifted to the gap's ends.
  for (let i = 0; i < y.length; i++) {
    if (!Number.isNaN(y[i]!)) continue;
    let j = i;
    while (Number.isNaN(y[j]!)) j++;
    const left = y[i - 1]!;
    const right = y[j]!;
    const len = j - i;
    const seasonal = m > 1 && len > m / 2 && i - 1 - m >= 0;
    const dLeft = seasonal ? left - y[i - 1 - m]! : 0;
    const dRight = seasonal && j - m < i ? right - y[j - m]! : dLeft;
    for (let k = i; k < j; k++) {
      const t = (k - i + 1) / (len + 1);
      y[k] = seasonal ? y[k - m]! + dLeft + (dRight - dLeft) * t : left + (right - left) * t;
    }
    filled += len;
    i = j;
  }
  // Isolated outliers: far (8 robust deviations) from the median of their neighbourhood.
  const w = Math.max(3, Math.min(12, Math.floor(m / 4)));
  const resid = new Float64Array(y.length);
  const local = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const win: number[] = [];
    for (let k = Math.max(0, i - w); k <= Math.min(y.length - 1, i + w); k++) if (k !== i) win.push(y[k]!);
    local[i] = win.length ? median(win) : y[i]!;
    resid[i] = y[i]! - local[i]!;
  }
  const mad = 1.4826 * median(Array.from(resid, Math.abs));
  let outliers = 0;
  if (mad > 0 && y.length > 2 * w + 1) {
    const far = Array.from(resid, (r) => Math.abs(r) > 8 * mad);
    for (let i = 0; i < y.length; i++) {
      if (!far[i] || missing[i]) continue;
      let j = i;
      while (j < y.length && far[j]) j++;
      if (j - i <= 2) for (let k = i; k < j; k++, outliers++) y[k] = local[k]!;
      i = j;
    }
  }
  return { y, leading: a, trailing: values.length - b, filled, outliers };
}
