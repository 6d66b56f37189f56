/**
 * One CSV cell (RFC 4180): empty for null, JSON for objects, quoted when it holds the separator, a
 * quote or a line break. One rule for every CSV the platform writes.
 */
export function csvCell(v: unknown, sep = ','): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return s.includes(sep) || /["\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
