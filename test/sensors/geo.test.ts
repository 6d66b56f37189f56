import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, setMember } from '../../src/modules/organizations/index.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.js';
import { systemPrincipal } from '../../src/platform/auth/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { pm25Stream, stationThing } from '../helpers/stations.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Loose = any;

/** A box around Phan Rang – Tháp Chàm; station A inside it, C on its east edge, B outside. */
const BOX = 'POLYGON((108.9 11.5, 109.2 11.5, 109.2 11.7, 108.9 11.7, 108.9 11.5))';
const AT = { A: [108.99, 11.56], B: [108.5, 11.9], C: [109.2, 11.6] } as const;

describe('SensorThings geo functions (PostGIS where installed, else the plain versions, with the same answers)', () => {
  let t: TestApp;
  let postgis = false;
  let auth: Record<string, string> = {};
  const get = async (url: string) => {
    const r = await t.app.inject({ method: 'GET', url: encodeURI(url), headers: { 'accept-language': 'en' } });
    return { status: r.statusCode, json: () => r.json() as Loose };
  };
  const names = async (filter: string, set = 'Locations') => {
    const r = await get(`/v1.1/${set}?$filter=${filter}&$orderby=name&$select=name`);
    expect(r.status, JSON.stringify(r.json())).toBe(200);
    return r.json().value.map((x: Loose) => x.name as string);
  };

  beforeAll(async () => {
    t = await createTestApp();
    postgis = (await sql<{ n: number }>`select count(*)::int n from pg_extension where extname = 'postgis'`.execute(t.db.db)).rows[0]!.n > 0;
    const org = (
      await createOrganization(t.db.db, systemPrincipal(), SYSTEM_ACTOR, { name: 'geo', slug: 'geo', kind: 'department', email: 'geo@example.gov.vn' })
    ).id;
    const u = await t.userWithToken({ email: 'geo@example.gov.vn' });
    await setMember(t.db.db, systemPrincipal(), SYSTEM_ACTOR, org, u.id, 'editor');
    auth = u.auth;
    for (const [name, [lon, lat]] of Object.entries(AT)) {
      const body = stationThing(name, { lon, lat, datastreams: [pm25Stream(name, [{ phenomenonTime: '2026-11-20T01:00:00Z', result: 10 }])] });
      const r = await t.app.inject({ method: 'POST', url: '/v1.1/Things', headers: u.auth, payload: body });
      expect(r.statusCode, r.body).toBe(201);
    }
  }, 60_000);
  afterAll(async () => t?.close());

  it('answers the predicates for points against a polygon: the boundary is neither within nor disjoint', async () => {
    expect(await names(`st_within(location, geography'${BOX}')`)).toEqual(['A']);
    expect(await names(`st_contains(geography'${BOX}', location)`)).toEqual(['A']);
    expect(await names(`st_intersects(location, geography'${BOX}')`)).toEqual(['A', 'C']);
    expect(await names(`geo.intersects(location, geography'${BOX}')`)).toEqual(['A', 'C']);
    expect(await names(`st_touches(location, geography'${BOX}')`)).toEqual(['C']);
    expect(await names(`st_disjoint(location, geography'${BOX}')`)).toEqual(['B']);
    expect(await names(`st_equals(location, geography'POINT(108.5 11.9)')`)).toEqual(['B']);
    expect(await names(`st_overlaps(location, geography'${BOX}') or st_crosses(location, geography'${BOX}')`)).toEqual([]);
    expect(await names(`not st_within(location, geography'${BOX}') and st_intersects(location, geography'${BOX}')`)).toEqual(['C']);
  });

  it('measures distance and length in the coordinates’ own units (degrees), as PostGIS geometry does', async () => {
    expect(await names(`geo.distance(location, geography'POINT(108.99 11.56)') lt 0.01`)).toEqual(['A']);
    // C is 0.21 east of A; B is sqrt(0.49² + 0.34²) ≈ 0.596 away.
    expect(
      await names(`geo.distance(location, geography'POINT(108.99 11.56)') gt 0.2 and geo.distance(location, geography'POINT(108.99 11.56)') lt 0.3`),
    ).toEqual(['C']);
    // B to the box's north-west corner (108.9 11.7): sqrt(0.4² + 0.2²) ≈ 0.447; A and C touch it.
    expect(await names(`geo.distance(location, geography'${BOX}') gt 0.44 and geo.distance(location, geography'${BOX}') lt 0.45`)).toEqual(['B']);
    expect(await names(`geo.distance(location, geography'${BOX}') eq 0`)).toEqual(['A', 'C']);
    expect(await names(`geo.length(geography'LINESTRING(0 0, 3 4, 3 5)') eq 6`)).toEqual(['A', 'B', 'C']);
  });

  it('filters observations through their FeatureOfInterest, and nested in $expand', async () => {
    const obs = await get(`/v1.1/Observations?$filter=st_within(FeatureOfInterest/feature, geography'${BOX}')&$expand=FeatureOfInterest($select=name)`);
    expect(obs.status).toBe(200);
    expect(obs.json().value.map((o: Loose) => o.FeatureOfInterest.name)).toEqual(['A']);
    const things = await get(`/v1.1/Things?$expand=Locations($filter=st_intersects(location, geography'${BOX}'))&$orderby=name`);
    expect(things.json().value.map((x: Loose) => x.Locations.length)).toEqual([1, 0, 1]);
  });

  it('refuses what it cannot read, naming it; two non-point geometries need PostGIS for within and relate', async () => {
    const bad = await get(`/v1.1/Locations?$filter=st_within(location, geography'POLYGON((1 2, x))')`);
    expect(bad.status).toBe(400);
    expect(bad.json().detail).toMatch(/not well-known text/);
    // A ring that does not end where it starts is no polygon (PostGIS would refuse it; the plain versions would answer for another shape).
    const open = await get(`/v1.1/Locations?$filter=st_within(location, geography'POLYGON((108.9 11.5, 109.2 11.5, 109.2 11.7, 108.9 11.7))')`);
    expect(open.status).toBe(400);
    expect(open.json().detail).toMatch(/not closed/);
    for (const [location, why] of [
      [
        {
          type: 'Polygon',
          coordinates: [
            [
              [108.9, 11.5],
              [109.2, 11.5],
              [109.2, 11.7],
              [108.9, 11.7],
            ],
          ],
        },
        /not closed/,
      ],
      [
        {
          type: 'Polygon',
          coordinates: [
            [
              [108.9, 11.5],
              [109.2, 11.5],
              [108.9, 11.5],
            ],
          ],
        },
        /fewer than four/,
      ],
      [{ type: 'Point', coordinates: [108.9] }, /two or three finite numbers/],
      [{ type: 'Feature', geometry: { type: 'LineString', coordinates: [[1, 2]] }, properties: {} }, /fewer than two/],
      [{ type: 'Circle', coordinates: [1, 2] }, /not a GeoJSON type/],
    ] as const) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/v1.1/Locations',
        headers: { ...auth, 'accept-language': 'en' },
        payload: { name: 'Sai', description: 'x', encodingType: 'application/geo+json', location },
      });
      expect(r.statusCode, JSON.stringify(location)).toBe(400);
      expect(r.json().detail, JSON.stringify(location)).toMatch(why);
      expect(r.json().detail).toMatch(/location/);
    }
    const notGeom = await get(`/v1.1/Locations?$filter=st_within(name, geography'${BOX}')`);
    expect(notGeom.status).toBe(400);
    expect(notGeom.json().detail).toMatch(/takes a geometry/);
    expect((await get(`/v1.1/Locations?$filter=location eq geography'POINT(1 2)'`)).status).toBe(400);
    expect((await get(`/v1.1/Locations?$filter=constructor(location) eq 1`)).status).toBe(400);
    const many = Array.from({ length: 600 }, (_, i) => `${i} ${i}`).join(', ');
    expect((await get(`/v1.1/Locations?$filter=st_intersects(location, geography'LINESTRING(${many})')`)).json().detail).toMatch(/at most 500 positions/);
    const arity = await get(`/v1.1/Locations?$filter=geo.length(location, location) eq 0`);
    expect(arity.status).toBe(400);
    const two = await get(`/v1.1/Locations?$filter=st_within(geography'POLYGON((109 11.55, 109.1 11.55, 109.1 11.6, 109 11.55))', geography'${BOX}')`);
    const relate = await get(`/v1.1/Locations?$filter=st_relate(location, geography'${BOX}', 'T********')`);
    if (postgis) {
      expect(two.status).toBe(200);
      expect(two.json().value).toHaveLength(3);
      expect(
        relate
          .json()
          .value.map((x: Loose) => x.name)
          .sort(),
      ).toEqual(['A']);
    } else {
      expect(two.status).toBe(400);
      expect(two.json().detail).toMatch(/st_within\(\) of two geometries neither of which is a single point needs PostGIS/);
      expect(relate.status).toBe(400);
    }
  });

  it('gives the plain versions the same answers as PostGIS, on every pair of a set of geometries', async (ctx) => {
    if (!postgis) return ctx.skip();
    const SQUARE = [
      [0, 0],
      [4, 0],
      [4, 4],
      [0, 4],
      [0, 0],
    ];
    const geoms: Record<string, object> = {
      square: { type: 'Polygon', coordinates: [SQUARE] },
      holed: {
        type: 'Polygon',
        coordinates: [
          SQUARE,
          [
            [1, 1],
            [3, 1],
            [3, 3],
            [1, 3],
            [1, 1],
          ],
        ],
      },
      concave: {
        type: 'Polygon',
        coordinates: [
          [
            [10, 0],
            [14, 0],
            [14, 4],
            [12, 4],
            [12, 2],
            [10, 2],
            [10, 0],
          ],
        ],
      },
      multi: {
        type: 'MultiPolygon',
        coordinates: [
          [
            [
              [20, 0],
              [21, 0],
              [21, 1],
              [20, 0],
            ],
          ],
          [
            [
              [2, 2],
              [2.5, 2],
              [2.5, 2.5],
              [2, 2],
            ],
          ],
        ],
      },
      crossing: {
        type: 'LineString',
        coordinates: [
          [-1, 2],
          [5, 2],
        ],
      },
      inside: {
        type: 'LineString',
        coordinates: [
          [0.5, 0.5],
          [0.9, 0.5],
        ],
      },
      edge: {
        type: 'LineString',
        coordinates: [
          [0, 0],
          [4, 0],
        ],
      },
      far: {
        type: 'LineString',
        coordinates: [
          [30, 30],
          [31, 32],
          [33, 31],
        ],
      },
      ring: {
        type: 'LineString',
        coordinates: [
          [11, 0.5],
          [13, 0.5],
          [13, 1.5],
          [11, 0.5],
        ],
      },
      lines: {
        type: 'MultiLineString',
        coordinates: [
          [
            [2, -1],
            [2, 5],
          ],
          [
            [12, 3],
            [13, 3],
          ],
        ],
      },
    };
    const points: Record<string, number[]> = {
      centre: [2, 2],
      inHole: [2, 2.5],
      holeEdge: [1, 2],
      vertex: [0, 0],
      edgeMid: [4, 1],
      outside: [-3, 7],
      notch: [11, 3],
      lineEnd: [-1, 2],
      lineMid: [0.7, 0.5],
      ringVertex: [13, 0.5],
      onMulti: [20.5, 0.25],
    };
    for (const [k, c] of Object.entries(points)) geoms[`pt:${k}`] = { type: 'Point', coordinates: c };
    geoms['mpt'] = {
      type: 'MultiPoint',
      coordinates: [
        [2, 2],
        [2, 2],
      ],
    };
    const list = Object.entries(geoms);
    const rows = JSON.stringify(list.map(([name, g]) => ({ name, g })));
    const diffs: string[] = [];
    // Every pair at once, per function, in one statement.
    for (const fn of ['intersects', 'disjoint', 'distance', 'within', 'contains', 'touches', 'equals', 'overlaps', 'crosses']) {
      const plain =
        fn === 'disjoint'
          ? 'not tinhso_geo_intersects_plain(a.g, b.g)'
          : ['intersects', 'distance'].includes(fn)
            ? `tinhso_geo_${fn}_plain(a.g, b.g)`
            : `tinhso_geo_point_rel('st_${fn}', a.g, b.g)`;
      const pointed = ['intersects', 'disjoint', 'distance'].includes(fn) ? 'true' : `(a.name like 'pt:%' or b.name like 'pt:%')`;
      const r = await t.db.pool.query(
        `with g as (select x->>'name' as name, x->'g' as g from jsonb_array_elements($1::jsonb) x)
         select a.name an, b.name bn, ${plain} ours, st_${fn}(st_geomfromgeojson(a.g), st_geomfromgeojson(b.g)) theirs
           from g a, g b where ${pointed}`,
        [rows],
      );
      for (const { an, bn, ours, theirs } of r.rows)
        if (fn === 'distance' ? Math.abs(ours - theirs) > 1e-9 : ours !== theirs) diffs.push(`${fn}(${an}, ${bn}): ours ${ours}, PostGIS ${theirs}`);
      expect(r.rows.length).toBeGreaterThan(40);
    }
    const lengths = await t.db.pool.query(
      `select x->>'name' n, tinhso_geo_length_plain(x->'g') ours, st_length(st_geomfromgeojson(x->'g')) theirs from jsonb_array_elements($1::jsonb) x`,
      [rows],
    );
    for (const { n, ours, theirs } of lengths.rows) if (Math.abs(ours - theirs) > 1e-9) diffs.push(`length(${n}): ours ${ours}, PostGIS ${theirs}`);
    expect(diffs).toEqual([]);
  }, 120_000);
});
