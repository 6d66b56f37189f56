/** The longest lifetime a token may be given (ten years). */
export const MAX_DURATION_MS = 10 * 365 * 86400e3;

/** Parses "90d", "12h", "30m", "1y" into milliseconds, at most MAX_DURATION_MS; undefined input means "never expires". */
export function parseDuration(text: string): number {
  const m = /^(\d{1,6})\s*([smhdwy])$/.exec(text.trim());
  if (!m) throw new Error(`Invalid duration "${text}" (use e.g. 30m, 12h, 90d, 1y)`);
  const unit = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3, y: 365 * 86400e3 }[m[2] as 's'];
  const ms = Number(m[1]) * unit;
  if (ms > MAX_DURATION_MS) throw new Error(`Duration "${text}" is longer than ten years`);
  return ms;
}
