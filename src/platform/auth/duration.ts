/** Parses "90d", "12h", "30m", "1y" into milliseconds; undefined input means "never expires". */
export function parseDuration(text: string): number {
  const m = /^(\d+)\s*([smhdwy])$/.exec(text.trim());
  if (!m) throw new Error(`Invalid duration "${text}" (use e.g. 30m, 12h, 90d, 1y)`);
  const unit = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3, y: 365 * 86400e3 }[m[2] as 's'];
  return Number(m[1]) * unit;
}
