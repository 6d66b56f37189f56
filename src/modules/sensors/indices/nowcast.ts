/**
 * NowCast of PM10 or PM2.5 (QĐ 1459/QĐ-TCMT, formulas 1–2): the weighted mean of the last 12
 * hourly means, most recent first (`hours[0]` is the current hour, `hours[11]` eleven hours
 * earlier; `null` or `undefined` is a missing hour, weighted 0). w* = Cmin / Cmax over the hours
 * present; w = w* when w* > 1/2, else 1/2; NowCast = Σ w^(i−1)·cᵢ / Σ w^(i−1). At least 2 of the 3
 * most recent hours must exist: otherwise there is no NowCast (null).
 */
export function nowcast(hours: readonly (number | null | undefined)[]): number | null {
  if (hours.length > 12) throw new RangeError('NowCast takes at most 12 hours');
  const present = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
  if (hours.slice(0, 3).filter(present).length < 2) return null;
  const values = hours.filter(present);
  const max = Math.max(...values);
  const min = Math.min(...values);
  if (max === 0) return 0;
  const w = Math.max(min / max, 0.5);
  let num = 0;
  let den = 0;
  hours.forEach((c, i) => {
    if (!present(c)) return;
    num += w ** i * c;
    den += w ** i;
  });
  return num / den;
}
