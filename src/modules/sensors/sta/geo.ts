import { wktToGeoJSON } from '@terraformer/wkt';
import { bad } from './errors.js';
import { geometryProblem } from './geometry.js';

/**
 * The geo functions of SensorThings' $filter and the database functions behind them (see
 * geo-sql.ts: PostGIS where installed, else plain PL/pgSQL, with the same answers).
 */
export const GEO_FUNCTIONS: Record<string, { sql: string; args: ('geom' | 'text')[]; returns: 'bool' | 'num' }> = {
  'geo.intersects': { sql: 'tinhso_geo_intersects', args: ['geom', 'geom'], returns: 'bool' },
  'geo.distance': { sql: 'tinhso_geo_distance', args: ['geom', 'geom'], returns: 'num' },
  'geo.length': { sql: 'tinhso_geo_length', args: ['geom'], returns: 'num' },
  st_equals: { sql: 'tinhso_geo_equals', args: ['geom', 'geom'], returns: 'bool' },
  st_disjoint: { sql: 'tinhso_geo_disjoint', args: ['geom', 'geom'], returns: 'bool' },
  st_touches: { sql: 'tinhso_geo_touches', args: ['geom', 'geom'], returns: 'bool' },
  st_within: { sql: 'tinhso_geo_within', args: ['geom', 'geom'], returns: 'bool' },
  st_overlaps: { sql: 'tinhso_geo_overlaps', args: ['geom', 'geom'], returns: 'bool' },
  st_crosses: { sql: 'tinhso_geo_crosses', args: ['geom', 'geom'], returns: 'bool' },
  st_intersects: { sql: 'tinhso_geo_intersects', args: ['geom', 'geom'], returns: 'bool' },
  st_contains: { sql: 'tinhso_geo_contains', args: ['geom', 'geom'], returns: 'bool' },
  st_relate: { sql: 'tinhso_geo_relate', args: ['geom', 'geom', 'text'], returns: 'bool' },
};

const MAX_POSITIONS = 500;
const TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon']);

/** A `geography'…'` literal's WKT as GeoJSON; a 400 naming the literal when it is not a geometry we offer. */
export function geoLiteral(wkt: string, where: string): { type: string; coordinates: unknown } {
  let g: { type: string; coordinates?: unknown };
  try {
    g = wktToGeoJSON(wkt) as { type: string; coordinates?: unknown };
  } catch {
    throw bad(
      where,
      `geography'${wkt.slice(0, 80)}' is not well-known text (e.g. POINT(108.99 11.56))`,
      `geography'${wkt.slice(0, 80)}' không phải WKT hợp lệ`,
    );
  }
  if (!TYPES.has(g.type))
    throw bad(where, `${g.type} geometries are not offered: Point, LineString, Polygon and their Multi forms`, `chưa hỗ trợ hình học ${g.type}`);
  const problem = geometryProblem(g);
  if (problem) throw bad(where, `geography'${wkt.slice(0, 80)}' ${problem.en}`, `geography'${wkt.slice(0, 80)}' ${problem.vi}`);
  // Each is compared with every stored geometry's segments: bounded, so one request cannot ask for unbounded work.
  const positions = JSON.stringify(g.coordinates).split('],[').length;
  if (positions > MAX_POSITIONS)
    throw bad(where, `a geography literal has at most ${MAX_POSITIONS} positions (this one ${positions})`, `hằng địa lý tối đa ${MAX_POSITIONS} điểm`);
  return { type: g.type, coordinates: g.coordinates };
}

/** The database's refusal of a geo function it cannot answer (see geo-sql.ts), as the client's 400. */
export function geoRefusal(e: unknown): Error | undefined {
  const m = e instanceof Error ? /^tinhso_geo: (.*)$/.exec(e.message) : null;
  return m ? bad('$filter', m[1]!, `hàm địa lý: ${m[1]!}`) : undefined;
}
