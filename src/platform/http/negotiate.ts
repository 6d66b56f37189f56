/**
 * Proactive content negotiation (RFC 9110 §12.5.1): the offer the Accept header prefers, by its
 * quality, then by how specifically a range names it (type/subtype over type/* over * / *), then
 * by the order of `offers` (the server's preference). Undefined when the header accepts none.
 * An absent or empty header accepts everything (the first offer wins).
 */
export function negotiate<T extends string>(accept: string | undefined, offers: readonly T[]): T | undefined {
  if (!accept || !accept.trim()) return offers[0];
  const ranges = accept.split(',').map((part) => {
    const [range = '', ...params] = part.split(';').map((x) => x.trim().toLowerCase());
    const qp = params.find((x) => x.startsWith('q='));
    const q = qp ? Number(qp.slice(2)) : 1;
    return { range, q: Number.isFinite(q) && q >= 0 && q <= 1 ? q : 0 };
  });
  let best: { offer: T; q: number; spec: number } | undefined;
  for (const offer of offers) {
    const [type] = offer.split('/');
    let q = 0;
    let spec = -1;
    for (const r of ranges) {
      const s = r.range === offer ? 2 : r.range === `${type}/*` ? 1 : r.range === '*/*' ? 0 : -1;
      if (s > spec) [spec, q] = [s, r.q];
    }
    if (spec < 0 || q <= 0) continue;
    if (!best || q > best.q || (q === best.q && spec > best.spec)) best = { offer, q, spec };
  }
  return best?.offer;
}
