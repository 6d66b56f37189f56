import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.js';
import { aqiCategory, hex } from '../indices/categories.js';
import { currentAqi } from './station-aqi.js';

export interface StationFeature {
  type: 'Feature';
  id: number;
  geometry: unknown;
  properties: {
    id: number;
    name: string;
    description: string;
    url: string;
    aqi: number | null;
    dominant: string | null;
    category: string | null;
    categoryName: { vi: string; en: string } | null;
    color: string | null;
    at: string | null;
    stale: boolean;
  };
}

/** A monitoring station as stored: a Thing with a point Location (its latest). */
export interface Station {
  id: number;
  name: string;
  description: string;
  geometry: { type: 'Point'; coordinates: number[] };
}

/** The monitoring stations (Things whose latest Location is a point), by name; `ids`: only these. No index is computed. */
export async function stationList(db: Db, ids?: number[]): Promise<Station[]> {
  return (
    await sql<{ id: string; name: string; description: string; location: unknown }>`
      select t.id, t.name, t.description, l.location
        from sta_thing t
        join lateral (select l.location from sta_thing_location tl join sta_location l on l.id = tl.location_id
                       where tl.thing_id = t.id order by l.id desc limit 1) l on true
       where ${ids ? sql`t.id = any(${ids}::bigint[])` : sql`true`}
       order by t.name, t.id`.execute(db)
  ).rows
    .filter((r) => (r.location as { type?: string } | null)?.type === 'Point')
    .map((r) => ({ id: Number(r.id), name: r.name, description: r.description, geometry: r.location as Station['geometry'] }));
}

/**
 * The monitoring stations as GeoJSON Features, each with its current VN_AQI, band and colour where
 * it measures air. `ids`: only these.
 */
export async function stationFeatures(db: Db, ids?: number[]): Promise<StationFeature[]> {
  const rows = await stationList(db, ids);
  const aqi = await currentAqi(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => {
    const id = r.id;
    const a = aqi.get(id);
    const c = a ? aqiCategory(a.aqi) : undefined;
    return {
      type: 'Feature',
      id,
      geometry: r.geometry,
      properties: {
        id,
        name: r.name,
        description: r.description,
        url: `/environment/stations/${id}`,
        aqi: a?.aqi ?? null,
        dominant: a?.dominant ?? null,
        category: c?.key ?? null,
        categoryName: c?.name ?? null,
        color: c ? hex(c) : null,
        at: a ? new Date(a.at).toISOString() : null,
        stale: a?.stale ?? false,
      },
    };
  });
}
