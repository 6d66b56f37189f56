/**
 * Nelder–Mead minimisation of a function of a few parameters (the smoothing weights of ETS). Written
 * here because the npm packages that offer it (fmin, optimization-js) are unmaintained or untyped,
 * and the method is forty lines; parameters are optimised on an unbounded scale (see `logistic`).
 */
export function nelderMead(
  f: (x: number[]) => number,
  x0: number[],
  opts: { maxEvals?: number; step?: number; tol?: number } = {},
): { x: number[]; fx: number } {
  const n = x0.length;
  const maxEvals = opts.maxEvals ?? 200 * n;
  const tol = opts.tol ?? 1e-7;
  const step = opts.step ?? 0.5;
  let evals = 0;
  const F = (x: number[]) => {
    evals++;
    const v = f(x);
    return Number.isFinite(v) ? v : Number.MAX_VALUE;
  };
  const simplex: { x: number[]; fx: number }[] = [{ x: x0.slice(), fx: F(x0) }];
  for (let i = 0; i < n; i++) {
    const x = x0.slice();
    x[i] = x[i]! + step;
    simplex.push({ x, fx: F(x) });
  }
  const combine = (a: number[], b: number[], t: number) => a.map((v, i) => v + t * (b[i]! - v));
  while (evals < maxEvals) {
    simplex.sort((a, b) => a.fx - b.fx);
    const best = simplex[0]!;
    const worst = simplex[n]!;
    if (Math.abs(worst.fx - best.fx) <= tol * (Math.abs(best.fx) + tol)) break;
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] = centroid[j]! + simplex[i]!.x[j]! / n;
    const xr = combine(centroid, worst.x, -1);
    const fr = F(xr);
    if (fr < best.fx) {
      const xe = combine(centroid, worst.x, -2);
      const fe = F(xe);
      simplex[n] = fe < fr ? { x: xe, fx: fe } : { x: xr, fx: fr };
    } else if (fr < simplex[n - 1]!.fx) {
      simplex[n] = { x: xr, fx: fr };
    } else {
      const outside = fr < worst.fx;
      const xc = combine(centroid, worst.x, outside ? -0.5 : 0.5);
      const fc = F(xc);
      if (fc < (outside ? fr : worst.fx)) simplex[n] = { x: xc, fx: fc };
      else
        for (let i = 1; i <= n; i++) {
          const x = combine(best.x, simplex[i]!.x, 0.5);
          simplex[i] = { x, fx: F(x) };
        }
    }
  }
  simplex.sort((a, b) => a.fx - b.fx);
  return simplex[0]!;
}

/** Maps the real line onto (lo, hi): optimised parameters stay inside their bounds. */
export const logistic = (x: number, lo = 0, hi = 1) => lo + (hi - lo) / (1 + Math.exp(-x));
/** The inverse of `logistic`. */
export const logit = (p: number, lo = 0, hi = 1) => {
  const q = Math.min(Math.max((p - lo) / (hi - lo), 1e-6), 1 - 1e-6);
  return Math.log(q / (1 - q));
};
