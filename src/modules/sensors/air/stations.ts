import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.js';
import { aqiCategory, hex, wqiCategory } from '../indices/categories.js';
import { stationKind } from '../stations/service.js';
import type { StationKind } from '../stations/input.js';
import { waterSamples } from '../water/samples.js';
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
    /** Air stations are coloured by VN_AQI, water stations by their latest sample's VN_WQI. */
    kind: StationKind;
    code: string | null;
    aqi: number | null;
    wqi: number | null;
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
  kind: StationKind;
  code: string | null;
  /** The unit that runs it. */
  org: string | null;
  geometry: { type: 'Point'; coordinates: number[] };
}

/** The monitoring stations (Things whose latest Location is a point), by name; `ids`: only these. No index is computed. */
export async function stationList(db: Db, ids?: number[]): Promise<Station[]> {
  return (
    await sql<{ id: string; name: string; description: string; org_id: string | null; properties: Record<string, unknown> | null; location: unknown }>`
      select t.id, t.name, t.description, t.org_id, t.properties, l.location
        from sta_thing t
        join lateral (select l.location from sta_thing_location tl join sta_location l on l.id = tl.location_id
                       where tl.thing_id = t.id order by l.id desc limit 1) l on true
       where ${ids ? sql`t.id = any(${ids}::bigint[])` : sql`true`}
       order by t.name, t.id`.execute(db)
  ).rows
    .filter((r) => (r.location as { type?: string } | null)?.type === 'Point')
    .map((r) => ({
      id: Number(r.id),
      name: r.name,
      description: r.description,
      kind: stationKind(r.properties),
      code: typeof r.properties?.code === 'string' ? r.properties.code : null,
      org: r.org_id,
      geometry: r.location as Station['geometry'],
    }));
}

/**
 * The monitoring stations as GeoJSON Features, each with its current VN_AQI, band and colour where
 * it measures air. `ids`: only these.
 */
export async function stationFeatures(db: Db, ids?: number[]): Promise<StationFeature[]> {
  const rows = await stationList(db, ids);
  const aqi = await currentAqi(
    db,
    rows.filter((r) => r.kind === 'air').map((r) => r.id),
  );
  const water = new Map(
    (
      await waterSamples(
        db,
        rows.filter((r) => r.kind === 'water').map((r) => r.id),
        { latest: true },
      )
    ).map((s) => [s.thingId, s]),
  );
  return rows.map((r) => {
    const id = r.id;
    const a = aqi.get(id);
    const w = water.get(id);
    const c = a ? aqiCategory(a.aqi) : w?.result ? wqiCategory(w.result.wqi) : undefined;
    return {
      type: 'Feature',
      id,
      geometry: r.geometry,
      properties: {
        id,
        name: r.name,
        description: r.description,
        url: `/environment/stations/${id}`,
        kind: r.kind,
        code: r.code,
        aqi: a?.aqi ?? null,
        wqi: w?.result?.wqi ?? null,
        dominant: a?.dominant ?? null,
        category: c?.key ?? null,
        categoryName: c?.name ?? null,
        color: c ? hex(c) : null,
        at: a ? new Date(a.at).toISOString() : w ? w.at.toISOString() : null,
        stale: a?.stale ?? false,
      },
    };
  });
}
