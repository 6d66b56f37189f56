/**
 * What is wrong with a GeoJSON geometry (RFC 7946 §3.1), in English and Vietnamese, or null: a
 * position is two or three finite numbers, a line has at least two positions, a polygon's ring at
 * least four and ends where it starts (a closed ring; PostGIS refuses an open one, and the
 * computation without it would answer for a shape that is not there). Features and collections
 * are checked through. One rule for stored locations and `geography'…'` literals alike.
 */
export function geometryProblem(g: unknown, depth = 0): { en: string; vi: string } | null {
  if (!g || typeof g !== 'object' || Array.isArray(g)) return { en: 'is not a GeoJSON object', vi: 'không phải đối tượng GeoJSON' };
  const o = g as { type?: unknown; coordinates?: unknown; geometry?: unknown; geometries?: unknown; features?: unknown };
  if (depth > 4) return { en: 'nests too deeply', vi: 'lồng quá sâu' };
  switch (o.type) {
    case 'Feature':
      return o.geometry === null ? null : geometryProblem(o.geometry, depth + 1);
    case 'FeatureCollection':
    case 'GeometryCollection': {
      const parts = o.type === 'FeatureCollection' ? o.features : o.geometries;
      if (!Array.isArray(parts)) return { en: `a ${o.type} lists its parts`, vi: `${o.type} phải liệt kê các phần` };
      for (const p of parts) {
        const problem = geometryProblem(p, depth + 1);
        if (problem) return problem;
      }
      return null;
    }
    case 'Point':
      return position(o.coordinates) ? null : BAD_POSITION;
    case 'MultiPoint':
      return list(o.coordinates, (c) => (position(c) ? null : BAD_POSITION));
    case 'LineString':
      return line(o.coordinates);
    case 'MultiLineString':
      return list(o.coordinates, line);
    case 'Polygon':
      return polygon(o.coordinates);
    case 'MultiPolygon':
      return list(o.coordinates, polygon);
    default:
      return typeof o.type === 'string'
        ? { en: `"${o.type.slice(0, 40)}" is not a GeoJSON type`, vi: `“${o.type.slice(0, 40)}” không phải kiểu GeoJSON` }
        : { en: 'has no GeoJSON "type"', vi: 'thiếu “type” của GeoJSON' };
  }
}

const BAD_POSITION = { en: 'has a position that is not two or three finite numbers', vi: 'có toạ độ không phải hai hoặc ba số' };

const position = (c: unknown): c is number[] =>
  Array.isArray(c) && (c.length === 2 || c.length === 3) && c.every((n) => typeof n === 'number' && Number.isFinite(n));

function list(c: unknown, each: (x: unknown) => { en: string; vi: string } | null): { en: string; vi: string } | null {
  if (!Array.isArray(c) || c.length === 0) return { en: 'has no coordinates', vi: 'không có toạ độ' };
  for (const x of c) {
    const problem = each(x);
    if (problem) return problem;
  }
  return null;
}

function line(c: unknown): { en: string; vi: string } | null {
  if (!Array.isArray(c) || c.length < 2) return { en: 'has a line of fewer than two positions', vi: 'có đường ít hơn hai điểm' };
  return c.every(position) ? null : BAD_POSITION;
}

function polygon(c: unknown): { en: string; vi: string } | null {
  return list(c, (ring) => {
    if (!Array.isArray(ring) || ring.length < 4) return { en: 'has a ring of fewer than four positions', vi: 'có vòng ít hơn bốn điểm' };
    if (!ring.every(position)) return BAD_POSITION;
    const [a, z] = [ring[0] as number[], ring[ring.length - 1] as number[]];
    return a.length === z.length && a.every((n, i) => n === z[i])
      ? null
      : { en: 'has a ring that does not end where it starts (not closed)', vi: 'có vòng không khép kín (điểm cuối khác điểm đầu)' };
  });
}
