import { describe, expect, it } from 'vitest';
import { geometryProblem } from './geometry.js';

const ring = [
  [108.9, 11.5],
  [109.2, 11.5],
  [109.2, 11.7],
  [108.9, 11.5],
];

describe('geometryProblem', () => {
  it('accepts the geometries of RFC 7946, in features and collections', () => {
    for (const g of [
      { type: 'Point', coordinates: [108.99, 11.56] },
      { type: 'Point', coordinates: [108.99, 11.56, 12] },
      {
        type: 'MultiPoint',
        coordinates: [
          [1, 2],
          [3, 4],
        ],
      },
      {
        type: 'LineString',
        coordinates: [
          [1, 2],
          [3, 4],
        ],
      },
      {
        type: 'MultiLineString',
        coordinates: [
          [
            [1, 2],
            [3, 4],
          ],
        ],
      },
      { type: 'Polygon', coordinates: [ring, ring] },
      { type: 'MultiPolygon', coordinates: [[ring]] },
      { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [1, 2] }] },
      { type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring] }, properties: { ten: 'Phan Rang' } },
      { type: 'Feature', geometry: null, properties: {} },
      { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [1, 2] } }] },
    ])
      expect(geometryProblem(g), JSON.stringify(g)).toBeNull();
  });

  it('names what is wrong, in both languages', () => {
    const cases: [unknown, RegExp][] = [
      [{ type: 'Polygon', coordinates: [ring.slice(0, 3).concat([[108.9, 11.7]])] }, /not closed/],
      [{ type: 'MultiPolygon', coordinates: [[ring], [ring.slice(1)]] }, /fewer than four|not closed/],
      [{ type: 'Polygon', coordinates: [] }, /no coordinates/],
      [{ type: 'Point', coordinates: [1, Number.NaN] }, /finite/],
      [{ type: 'Point', coordinates: ['1', 2] }, /finite/],
      [{ type: 'Point', coordinates: [1, 2, 3, 4] }, /two or three/],
      [{ type: 'LineString', coordinates: [[1, 2]] }, /fewer than two/],
      [{ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [] }] }, /two or three/],
      [{ type: 'GeometryCollection' }, /lists its parts/],
      [{ type: 'Circle' }, /not a GeoJSON type/],
      [{ coordinates: [1, 2] }, /no GeoJSON "type"/],
      [[1, 2], /not a GeoJSON object/],
    ];
    for (const [g, why] of cases) {
      const p = geometryProblem(g);
      expect(p?.en, JSON.stringify(g)).toMatch(why);
      expect(p?.vi.length, JSON.stringify(g)).toBeGreaterThan(5);
    }
    let deep: unknown = { type: 'Point', coordinates: [1, 2] };
    for (let i = 0; i < 10; i++) deep = { type: 'GeometryCollection', geometries: [deep] };
    expect(geometryProblem(deep)?.en).toMatch(/too deeply/);
  });
});
