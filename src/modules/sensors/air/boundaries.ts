import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../../platform/root.js';

interface GisUnit {
  name: string;
  type: string;
  coordinates: unknown;
  level1_id?: string;
  level2_id?: string;
  level2s?: GisUnit[];
}

const FILE = path.join(ROOT, 'data/boundaries/dvhcvn_gis_58.json');
let cached: string | undefined;

/**
 * Ninh Thuận's boundary and its seven (former) districts' as a GeoJSON FeatureCollection, from
 * the dvhcvn file shipped in data/boundaries (GPL-3.0, see THIRD_PARTY_DATA.md), which is not
 * GeoJSON itself. Read once; served by us, so the map needs no online tiles.
 */
export function boundariesGeoJson(): string {
  if (cached) return cached;
  const p = JSON.parse(fs.readFileSync(FILE, 'utf8')) as GisUnit;
  const feature = (u: GisUnit, level: 1 | 2) => ({
    type: 'Feature',
    properties: { code: level === 1 ? u.level1_id : u.level2_id, name: u.name, level, until: '2025-07-01' },
    geometry: { type: u.type, coordinates: u.coordinates },
  });
  cached = JSON.stringify({ type: 'FeatureCollection', features: [feature(p, 1), ...(p.level2s ?? []).map((d) => feature(d, 2))] });
  return cached;
}
