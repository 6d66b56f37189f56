import type { App } from '../platform/http/index.js';

/** Ninh Thuận's GSO code, and a date before the 1 July 2025 reform when it still had districts. */
const PROVINCE = '58';
const BEFORE_REFORM = '2025-03-01';
const TTL_MS = 10 * 60_000;

export interface UnitCounts {
  districts: number;
  communes: number;
}

async function children(app: App, parent: string): Promise<{ code: string }[]> {
  const res = await app.inject({ method: 'GET', url: `/api/v1/admin-units?parent=${parent}&at=${BEFORE_REFORM}` });
  if (res.statusCode !== 200) throw new Error(`admin-units answered ${res.statusCode}`);
  const body = res.json() as { items?: { code: string }[] };
  return Array.isArray(body.items) ? body.items : [];
}

/**
 * Counts the province's district- and commune-level units through the public JSON API (the web
 * shell needs no module internals). Cached briefly; null when the API is unavailable.
 */
export function adminUnitCounter(app: App): () => Promise<UnitCounts | null> {
  let cached: { at: number; value: UnitCounts } | undefined;
  return async () => {
    if (cached && Date.now() - cached.at < TTL_MS) return cached.value;
    try {
      const districts = await children(app, PROVINCE);
      const communes = await Promise.all(districts.map((d) => children(app, d.code)));
      const value = { districts: districts.length, communes: communes.reduce((n, c) => n + c.length, 0) };
      if (value.districts > 0) cached = { at: Date.now(), value };
      return value.districts > 0 ? value : null;
    } catch (e) {
      app.log.warn({ err: e }, 'admin unit counts unavailable');
      return null;
    }
  };
}
