import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, setMember } from '../../src/modules/organizations/index.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.js';
import { systemPrincipal } from '../../src/platform/auth/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Loose = any;

/** Constructed in the layout of a real export (see test/fixtures/sensors/README.md): two samples whose VN_WQI is 100 and 27. */
const LAB = fs.readFileSync('test/fixtures/sensors/lab-results.csv');

describe('the monitoring network: station metadata and laboratory water results', () => {
  let t: TestApp;
  let editor: Record<string, string>;
  let other: Record<string, string>;
  let orgId: string;
  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, auth?: Record<string, string>, type?: string) => {
    const r = await t.app.inject({
      method,
      url,
      headers: { 'accept-language': 'en', ...(type ? { 'content-type': type } : {}), ...(auth ?? {}) },
      ...(payload === undefined ? {} : { payload: payload as string }),
    });
    return { status: r.statusCode, json: () => r.json() as Loose, body: r.body };
  };
  const count = async (sql: string) => Number((await t.db.pool.query(sql)).rows[0].n);

  beforeAll(async () => {
    t = await createTestApp();
    const mk = async (slug: string) =>
      (await createOrganization(t.db.db, systemPrincipal(), SYSTEM_ACTOR, { name: slug, slug, kind: 'department', email: `${slug}@example.gov.vn` })).id;
    const mkUser = async (email: string, org: string) => {
      const u = await t.userWithToken({ email });
      await setMember(t.db.db, systemPrincipal(), SYSTEM_ACTOR, org, u.id, 'editor');
      return u.auth;
    };
    orgId = await mk('qt-nuoc');
    editor = await mkUser('tram@example.gov.vn', orgId);
    other = await mkUser('khac-tram@example.gov.vn', await mk('khac-tram'));
  }, 60_000);
  afterAll(async () => t?.close());

  it('adds a station with every bad field named at once, and the unit resolved to its official code', async () => {
    const bad = await call(
      'POST',
      '/api/v1/sensors/stations',
      { org: 'qt-nuoc', name: '', code: 'có dấu cách', kind: 'soil', mode: 'auto', longitude: '200', latitude: 'x' },
      editor,
    );
    expect(bad.status).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: Loose) => e.field)
        .sort(),
    ).toEqual(['code', 'kind', 'latitude', 'longitude', 'mode', 'name']);
    const unknownUnit = await call(
      'POST',
      '/api/v1/sensors/stations',
      { org: 'qt-nuoc', name: 'Trạm A', code: 'A', kind: 'air', mode: 'automatic', longitude: 108.99, latitude: 11.56, adminUnit: 'Xã Không Có Thật Ở Đâu' },
      editor,
    );
    expect(unknownUnit.status).toBe(400);
    expect(unknownUnit.json().field).toBe('adminUnit');
    const made = await call(
      'POST',
      '/api/v1/sensors/stations',
      {
        org: 'qt-nuoc',
        name: 'Trạm không khí Đô Vinh',
        code: 'NT-KK-01',
        kind: 'air',
        mode: 'automatic',
        operator: 'Trung tâm Quan trắc',
        longitude: '108,9874',
        latitude: '11,5978',
        adminUnit: '22738',
      },
      editor,
    );
    expect(made.status, made.body).toBe(201);
    expect(made.json()).toMatchObject({
      name: 'Trạm không khí Đô Vinh',
      code: 'NT-KK-01',
      kind: 'air',
      mode: 'automatic',
      operator: 'Trung tâm Quan trắc',
      longitude: 108.9874,
      latitude: 11.5978,
      adminUnit: { code: '22738' },
    });
    expect(made.json().adminUnit.name).toMatch(/Đô Vinh/);
    // It is a SensorThings Thing with its Location and a HistoricalLocation.
    const id = made.json().id;
    const thing = (await call('GET', `/v1.1/Things(${id})?$expand=Locations,HistoricalLocations`)).json();
    expect(thing.properties).toMatchObject({ code: 'NT-KK-01', kind: 'air', adminUnit: '22738' });
    expect(thing.Locations[0].location).toEqual({ type: 'Point', coordinates: [108.9874, 11.5978] });
    expect(thing.HistoricalLocations).toHaveLength(1);
    // And a public dataset of its unit in the catalog, found by CKAN's API, linking to its data.
    const ds = (await call('GET', `/api/3/action/package_show?id=${thing.properties.dataset}`)).json().result;
    expect(ds).toMatchObject({ title: 'Số liệu quan trắc không khí — Trạm không khí Đô Vinh', private: false, organization: { name: 'qt-nuoc' } });
    expect(ds.resources.map((r: Loose) => new URL(r.url).pathname)).toEqual([
      `/v1.1/Things(${id})`,
      `/api/v1/air/locations/${id}/latest`,
      `/environment/stations/${id}`,
    ]);
    // A JSON number where text belongs is a named field, not a crash.
    const typed = await call(
      'POST',
      '/api/v1/sensors/stations',
      { org: 'qt-nuoc', name: 5, code: 'X', kind: 'air', mode: 'automatic', longitude: 1, latitude: 1 },
      editor,
    );
    expect(typed.status).toBe(400);
    expect(typed.json().field).toBe('name');
    // The code is the unit's own: a second station may not take it.
    const twice = await call('POST', '/api/v1/sensors/stations', { ...made.json(), org: 'qt-nuoc', id: undefined, adminUnit: '' }, editor);
    expect(twice.status).toBe(400);
    expect(twice.json().field).toBe('code');
  });

  it('changes a station: moved coordinates are a new Location and HistoricalLocation; other units and anonymous callers are refused', async () => {
    const made = await call(
      'POST',
      '/api/v1/sensors/stations',
      { org: 'qt-nuoc', name: 'Trạm B', code: 'NT-KK-02', kind: 'air', mode: 'automatic', longitude: 108.9, latitude: 11.5 },
      editor,
    );
    const id = made.json().id;
    const body = { name: 'Trạm B (đã dời)', code: 'NT-KK-02', kind: 'air', mode: 'periodic', longitude: 108.95, latitude: 11.52 };
    expect((await call('PUT', `/api/v1/sensors/stations/${id}`, body)).status).toBe(401);
    expect((await call('PUT', `/api/v1/sensors/stations/${id}`, body, other)).status).toBe(403);
    const changed = await call('PUT', `/api/v1/sensors/stations/${id}`, body, editor);
    expect(changed.status, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ name: 'Trạm B (đã dời)', mode: 'periodic', longitude: 108.95, latitude: 11.52 });
    const thing = (await call('GET', `/v1.1/Things(${id})?$expand=Locations,HistoricalLocations`)).json();
    expect(thing.Locations).toHaveLength(2);
    expect(thing.HistoricalLocations).toHaveLength(2);
    const bad = await call('PUT', `/api/v1/sensors/stations/${id}`, { ...body, latitude: '95' }, editor);
    expect(bad.status).toBe(400);
    expect(bad.json().field).toBe('latitude');
    expect((await call('GET', `/api/v1/sensors/stations/${id}`)).json().latitude).toBe(11.52);
    // A resource the unit adds to the station's dataset survives the next edit of the station.
    const dsName = (await call('GET', `/v1.1/Things(${id})`)).json().properties.dataset;
    const added = await call(
      'POST',
      '/api/3/action/resource_create',
      { package_id: dsName, name: 'Báo cáo hiệu chuẩn', url: 'https://example.gov.vn/hieu-chuan.pdf', format: 'PDF' },
      editor,
      'application/json',
    );
    expect(added.status, added.body).toBe(200);
    await call('PUT', `/api/v1/sensors/stations/${id}`, { ...body, name: 'Trạm B (đã dời)', operator: 'Trung tâm' }, editor);
    const kept = (await call('GET', `/api/3/action/package_show?id=${dsName}`)).json().result;
    expect(kept.resources.map((r: Loose) => r.name)).toContain('Báo cáo hiệu chuẩn');
    expect(kept.resources).toHaveLength(4);
    // The station's dataset follows its name, and stays one dataset.
    const found = (await call('GET', `/api/3/action/package_search?q=${encodeURIComponent('Trạm B')}`)).json().result;
    expect(found.results.map((d: Loose) => d.title)).toEqual(['Số liệu quan trắc không khí — Trạm B (đã dời)']);
    expect((await call('GET', '/api/v1/sensors/stations/999999')).status).toBe(404);
  });

  it('imports laboratory results: stations matched or added, µg/L converted, KPH left out, VN_WQI per sample, nothing stored twice', async () => {
    const url = '/api/v1/sensors/water/results?org=qt-nuoc';
    const unknown = await call('POST', url, LAB, editor, 'text/csv');
    expect(unknown.status).toBe(400);
    expect(unknown.json().detail).toMatch(/NT-SD-01, NT-SD-02/);
    expect(await count(`select count(*) n from sta_thing where properties->>'kind' = 'water'`)).toBe(0);
    expect((await call('POST', `${url}&create_stations=true`, LAB, other, 'text/csv')).status).toBe(403);

    const first = await call('POST', `${url}&create_stations=true`, LAB, editor, 'text/csv');
    expect(first.status, first.body).toBe(200);
    const r = first.json();
    expect(r).toMatchObject({
      samples: 2,
      stored: 13,
      alreadyStored: 0,
      stationsCreated: ['NT-SD-01', 'NT-SD-02'],
      notDetected: 1,
      ignored: ['Matram', 'TSS'],
    });
    expect(r.columns.find((c: Loose) => c.parameter === 'As')).toEqual({ header: 'As', parameter: 'As', unit: 'µg/L', stored: 'mg/L' });
    expect(r.columns.find((c: Loose) => c.parameter === 'T').unit).toBe('°C');
    expect(r.wqi.map((s: Loose) => [s.station, s.date, s.wqi])).toEqual([
      ['NT-SD-01', '2026-03-15', 100],
      ['NT-SD-02', '2026-03-15', 27],
    ]);
    // The stations: water, periodic, at the file's coordinates, named from it.
    const geo = (await call('GET', '/api/v1/sensors/stations.geojson')).json();
    const sd2 = geo.features.find((f: Loose) => f.properties.code === 'NT-SD-02');
    expect(sd2.properties).toMatchObject({
      kind: 'water',
      name: 'Sông Dinh – đập Lâm Cấm',
      wqi: 27,
      aqi: null,
      category: 'bad',
      color: expect.stringMatching(/^#/),
    });
    expect(sd2.geometry.coordinates).toEqual([108.9501, 11.5712]);
    // As is stored in mg/L, on the day's interval in Vietnam's calendar.
    const as = (await call('GET', `/v1.1/Things(${sd2.id})/Datastreams?$filter=name eq 'As'&$expand=Observations`)).json().value[0];
    expect(as.unitOfMeasurement.symbol).toBe('mg/L');
    expect(as.Observations[0]).toMatchObject({ result: 0.02, phenomenonTime: '2026-03-14T17:00:00.000Z/2026-03-15T17:00:00.000Z' });
    const samples = (await call('GET', `/api/v1/sensors/stations/${sd2.id}/water-samples`)).json().results;
    expect(samples).toHaveLength(1);
    expect(samples[0]).toMatchObject({ wqi: 27, parameters: { As: 75, BOD5: 62.5, COD: 17.5, 'N-NH4': 75, Coliform: 25, pH: 100 } });
    expect(samples[0].values['P-PO4']).toBeUndefined();

    // An air station's code takes no water results.
    await call(
      'POST',
      '/api/v1/sensors/stations',
      { org: 'qt-nuoc', name: 'Trạm KK', code: 'KK-9', kind: 'air', mode: 'automatic', longitude: 108.9, latitude: 11.5 },
      editor,
    );
    const onAir = await call('POST', url, LAB.toString('utf8').replace('NT-SD-01', 'KK-9'), editor, 'text/csv');
    expect(onAir.status).toBe(400);
    expect(onAir.json().code).toBe('not_water_stations');
    const again = await call('POST', url, LAB, editor, 'text/csv');
    expect(again.json()).toMatchObject({ stored: 0, alreadyStored: 13, stationsCreated: [] });
    expect(await count(`select count(*) n from sta_observation`)).toBe(13);
  });

  it('takes the same file as XLSX, and refuses a file with a bad cell whole, naming its line and column', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Đợt 2');
    const lines = LAB.toString('utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    for (const l of lines) ws.addRow(l.split(',').map((c) => (/^-?\d+(\.\d+)?$/.test(c) ? Number(c) : c)));
    // The second round: the same stations a month later.
    ws.getRow(4).getCell(6).value = '15/4/2026';
    ws.getRow(5).getCell(6).value = '15/4/2026';
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const ok = await call(
      'POST',
      '/api/v1/sensors/water/results?org=qt-nuoc',
      xlsx,
      editor,
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(ok.status, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ samples: 2, stored: 13, alreadyStored: 0 });
    expect(ok.json().wqi.map((s: Loose) => s.wqi)).toEqual([100, 27]);

    const before = await count('select count(*) n from sta_observation');
    const broken = LAB.toString('utf8')
      .replace('10.5,100', 'mười,100')
      .replace('15/3/2026', '31/2/2026')
      .replace(/15\/3\/2026/g, '15/5/2026');
    const bad = await call('POST', '/api/v1/sensors/water/results?org=qt-nuoc', broken, editor, 'text/csv');
    expect(bad.status).toBe(400);
    expect(bad.json().problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 4, column: 'Date' }),
        expect.objectContaining({ line: 5, column: 'BOD5', message: expect.stringMatching(/mười/) }),
      ]),
    );
    expect(await count('select count(*) n from sta_observation')).toBe(before);
    const badUnits = await call('POST', '/api/v1/sensors/water/results?org=qt-nuoc&units=As:furlongs', LAB, editor, 'text/csv');
    expect(badUnits.status).toBe(400);
    expect(badUnits.json().field).toBe('units');
  });

  it('tells the live map of a water import and of a station’s edit, once committed', async () => {
    // The map's event stream for five seconds, while a new round of samples comes in and, once the map has been told of it
    // (the feed gathers a second of changes), a station is renamed.
    const stream = t.app.inject({ method: 'GET', url: '/api/v1/sensors/live?seconds=5' });
    await new Promise((r) => setTimeout(r, 300));
    const round2 = LAB.toString('utf8').replaceAll('15/3/2026', '15/6/2026').replace(',10.5,100,0.3,KPH,10000,', ',4,10,0.29,KPH,2500,');
    const imported = await call('POST', '/api/v1/sensors/water/results?org=qt-nuoc', round2, editor, 'text/csv');
    expect(imported.json()).toMatchObject({ stored: 13, alreadyStored: 0 });
    const sd1 = (await call('GET', '/api/v1/sensors/stations.geojson')).json().features.find((f: Loose) => f.properties.code === 'NT-SD-01');
    await new Promise((r) => setTimeout(r, 1500));
    const renamed = await call(
      'PUT',
      `/api/v1/sensors/stations/${sd1.id}`,
      { ...(await call('GET', `/api/v1/sensors/stations/${sd1.id}`)).json(), name: 'Sông Dinh – cầu Đạo Long (mới)' },
      editor,
    );
    expect(renamed.status, renamed.body).toBe(200);
    const events = (await stream).body
      .split('\n\n')
      .filter((e) => e.startsWith('event: station'))
      .map((e) => JSON.parse(e.slice(e.indexOf('data: ') + 6)) as Loose);
    const sd2 = events.filter((f) => f.properties.code === 'NT-SD-02');
    // The second station's new sample (the cleaner one) recolours it; the renamed one shows its new name.
    expect(sd2.at(-1).properties.wqi).toBeGreaterThan(27);
    expect(events.some((f) => f.properties.code === 'NT-SD-01' && f.properties.name === 'Sông Dinh – cầu Đạo Long (mới)')).toBe(true);
  });
});
