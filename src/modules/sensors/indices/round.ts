/** Rounds half up to an integer (59.5 → 60), as the decisions round an index; tolerant of binary noise (59.4999999999 is 59.5). */
export const roundHalfUp = (x: number): number => Math.floor(x + 0.5 + 1e-9);

/** Linear interpolation of y at x between (x0, y0) and (x1, y1). */
export const lerp = (x: number, x0: number, y0: number, x1: number, y1: number): number => y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
