import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { pm25Stream, stationThing } from '../helpers/stations.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Loose = any;

/**
 * The OpenAQ v3-shaped API over the SensorThings data: a station is a location with its sensors,
 * latest values, raw measurements and hourly and daily means (days by Vietnam's calendar), JSON or CSV.
 */
describe('the OpenAQ-style air API', () => {
  let t: TestApp;
  let thing: number;
  let stream: number;
  const get = async (url: string) => {
    const r = await t.app.inject({ method: 'GET', url, headers: { 'accept-language': 'en' } });
    return { status: r.statusCode, json: () => r.json() as Loose, body: r.body, type: r.headers['content-type'] };
  };

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await t.userWithToken({ email: 'qt@example.gov.vn', sysadmin: true });
    const made = await t.app.inject({
      method: 'POST',
      url: '/v1.1/Things',
      headers: admin.auth,
      payload: stationThing('Trạm Ninh Hải', {
        lon: 109.05,
        lat: 11.68,
        properties: { operator: 'Trung tâm Quan trắc' },
        datastreams: [
          pm25Stream('Ninh Hải', [
            // 14/11 local: 23:10 and 23:40 (16:10Z, 16:40Z); 15/11 local: 00:20 (17:20Z) and 01:05 (18:05Z).
            { phenomenonTime: '2026-11-14T16:10:00Z', result: 10 },
            { phenomenonTime: '2026-11-14T16:40:00Z', result: 20 },
            { phenomenonTime: '2026-11-14T17:20:00Z', result: 30 },
            { phenomenonTime: '2026-11-14T18:05:00Z', result: 50 },
          ]),
        ],
      }),
    });
    expect(made.statusCode, made.body).toBe(201);
    thing = made.json()['@iot.id'];
    stream = (await get(`/v1.1/Things(${thing})/Datastreams`)).json().value[0]['@iot.id'];
  }, 60_000);
  afterAll(async () => t?.close());

  it('lists locations with coordinates, sensors, parameters and the span of their data', async () => {
    const r = (await get('/api/v1/air/locations')).json();
    expect(r.meta).toMatchObject({ page: 1, limit: 100, found: 1 });
    expect(r.results[0]).toMatchObject({
      id: thing,
      name: 'Trạm Ninh Hải',
      timezone: 'Asia/Ho_Chi_Minh',
      owner: { name: 'Trung tâm Quan trắc' },
      coordinates: { latitude: 11.68, longitude: 109.05 },
      sensors: [{ id: stream, parameter: { name: 'pm25', units: 'µg/m³', displayName: 'PM2.5' } }],
      datetimeFirst: { utc: '2026-11-14T16:10:00Z', local: '2026-11-14T23:10:00+07:00' },
      datetimeLast: { utc: '2026-11-14T18:05:00Z' },
    });
    expect((await get(`/api/v1/air/locations/${thing}`)).json().results[0].id).toBe(thing);
    expect((await get('/api/v1/air/parameters')).json().results).toContainEqual(expect.objectContaining({ name: 'pm25', units: 'µg/m³' }));
  });

  it('gives the latest value per sensor, and raw, hourly and daily values with their summaries', async () => {
    expect((await get(`/api/v1/air/locations/${thing}/latest`)).json().results).toEqual([
      { datetime: { utc: '2026-11-14T18:05:00Z', local: '2026-11-15T01:05:00+07:00' }, value: 50, sensorsId: stream, locationsId: thing },
    ]);
    const range = 'datetime_from=2026-11-14T00:00:00Z&datetime_to=2026-11-16T00:00:00Z';
    const raw = (await get(`/api/v1/air/sensors/${stream}/measurements?${range}&limit=2&page=2`)).json();
    expect(raw.results.map((m: Loose) => m.value)).toEqual([30, 50]);
    const hours = (await get(`/api/v1/air/sensors/${stream}/hours?${range}`)).json().results;
    expect(hours.map((h: Loose) => [h.period.datetimeFrom.utc, h.value, h.coverage.observedCount])).toEqual([
      ['2026-11-14T16:00:00Z', 15, 2],
      ['2026-11-14T17:00:00Z', 30, 1],
      ['2026-11-14T18:00:00Z', 50, 1],
    ]);
    const days = (await get(`/api/v1/air/sensors/${stream}/days?${range}`)).json().results;
    expect(days.map((d: Loose) => [d.period.datetimeFrom.local, d.value, d.summary.min, d.summary.max])).toEqual([
      ['2026-11-14T00:00:00+07:00', 15, 10, 20],
      ['2026-11-15T00:00:00+07:00', 40, 30, 50],
    ]);
    const csv = await get(`/api/v1/air/sensors/${stream}/days?${range}&format=csv`);
    expect(csv.type).toMatch(/^text\/csv/);
    expect(csv.body.split('\r\n').slice(0, 2)).toEqual([
      'datetime_from,datetime_to,value,min,max,count',
      '2026-11-13T17:00:00Z,2026-11-14T17:00:00Z,15,10,20,2',
    ]);
  });

  it('names the bad parameter and answers 404 for what does not exist', async () => {
    for (const [q, field] of [
      ['limit=0', 'limit'],
      ['page=x', 'page'],
      ['datetime_from=14/11/2026', 'datetime_from'],
      ['format=xml', 'format'],
    ]) {
      const r = await get(`/api/v1/air/sensors/${stream}/hours?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.json().field ?? r.json().detail, q).toContain(field);
    }
    expect((await get('/api/v1/air/sensors/999999/hours')).status).toBe(404);
    expect((await get('/api/v1/air/locations/999999')).status).toBe(404);
    expect((await get('/api/v1/air/locations/abc/latest')).status).toBe(404);
  });
});
