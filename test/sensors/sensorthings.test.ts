import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, setMember } from '../../src/modules/organizations/index.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.js';
import { systemPrincipal } from '../../src/platform/auth/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { pm25Stream, stationThing } from '../helpers/stations.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Loose = any;

/**
 * The SensorThings API v1.1 behaviours the standard and FROST's tests fix: the service root,
 * deep insert (all or nothing), the automatic FeatureOfInterest and HistoricalLocations, 404s,
 * query options in their order, $expand with its own options, data arrays with per-row errors,
 * PATCH and DELETE, and who may write.
 */
describe('SensorThings API v1.1', () => {
  let t: TestApp;
  let editor: Record<string, string>;
  let otherEditor: Record<string, string>;
  let member: Record<string, string>;
  let thingId: number;
  let streamId: number;

  const call = async (method: string, url: string, auth?: Record<string, string>, payload?: unknown) => {
    const r = await t.app.inject({
      method: method as 'GET',
      url,
      headers: { 'accept-language': 'en', ...(auth ?? {}) },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
    return { status: r.statusCode, json: () => r.json() as Loose, body: r.body, headers: r.headers };
  };
  const get = async (url: string) => {
    const r = await call('GET', url);
    expect(r.status, `${url}: ${r.body}`).toBe(200);
    return r.json();
  };

  /** A station as the province's network describes one: a Thing at a Location with a PM2.5 datastream and two observations. */
  const station = (name: string, lon: number, lat: number) =>
    stationThing(name, {
      lon,
      lat,
      properties: { operator: 'Sở Nông nghiệp và Môi trường' },
      datastreams: [
        pm25Stream(name, [
          { phenomenonTime: '2026-11-14T01:00:00Z', result: 31.5 },
          { phenomenonTime: '2026-11-14T02:00:00Z', result: 44.2 },
        ]),
      ],
    });

  beforeAll(async () => {
    t = await createTestApp();
    const mk = async (slug: string) =>
      (await createOrganization(t.db.db, systemPrincipal(), SYSTEM_ACTOR, { name: slug, slug, kind: 'department', email: `${slug}@example.gov.vn` })).id;
    const org = await mk('snnmt-quan-trac');
    const other = await mk('so-khac');
    const mkUser = async (email: string, orgId: string, role: 'editor' | 'member') => {
      const u = await t.userWithToken({ email });
      await setMember(t.db.db, systemPrincipal(), SYSTEM_ACTOR, orgId, u.id, role);
      return u.auth;
    };
    editor = await mkUser('bien-tap@example.gov.vn', org, 'editor');
    otherEditor = await mkUser('khac@example.gov.vn', other, 'editor');
    member = await mkUser('thanh-vien@example.gov.vn', org, 'member');
  }, 60_000);
  afterAll(async () => t?.close());

  it('answers the service root with the eight entity sets', async () => {
    const root = await get('/v1.1');
    expect(root.value.map((v: Loose) => v.name)).toEqual([
      'Things',
      'Locations',
      'HistoricalLocations',
      'Datastreams',
      'Sensors',
      'ObservedProperties',
      'Observations',
      'FeaturesOfInterest',
    ]);
    expect(root.value[0].url).toMatch(/\/v1\.1\/Things$/);
    expect(root.serverSettings.conformance).toContain('http://www.opengis.net/spec/iot_sensing/1.1/req/create-update-delete');
  });

  it('creates a station by deep insert, with its HistoricalLocation and the FeatureOfInterest made from its Location', async () => {
    const r = await call('POST', '/v1.1/Things', editor, station('Phan Rang', 108.99, 11.56));
    expect(r.status, r.body).toBe(201);
    const thing = r.json();
    thingId = thing['@iot.id'];
    expect(r.headers.location).toBe(thing['@iot.selfLink']);
    expect(thing).toMatchObject({ name: 'Phan Rang', properties: { operator: 'Sở Nông nghiệp và Môi trường' } });
    expect(thing['Datastreams@iot.navigationLink']).toBe(`${thing['@iot.selfLink']}/Datastreams`);
    const hl = await get(`/v1.1/Things(${thingId})/HistoricalLocations?$expand=Locations`);
    expect(hl.value).toHaveLength(1);
    expect(hl.value[0].Locations[0].name).toBe('Phan Rang');
    const ds = await get(`/v1.1/Things(${thingId})/Datastreams?$expand=Sensor,ObservedProperty`);
    streamId = ds.value[0]['@iot.id'];
    expect(ds.value[0]).toMatchObject({ Sensor: { name: 'BAM-1020' }, ObservedProperty: { name: 'PM2.5' }, unitOfMeasurement: { symbol: 'µg/m³' } });
    // The Datastream's phenomenonTime is kept by the server: the extent of its observations.
    expect(ds.value[0].phenomenonTime).toBe('2026-11-14T01:00:00.000Z/2026-11-14T02:00:00.000Z');
    const obs = await get(`/v1.1/Datastreams(${streamId})/Observations?$expand=FeatureOfInterest&$orderby=phenomenonTime`);
    expect(obs.value.map((o: Loose) => o.result)).toEqual([31.5, 44.2]);
    const fois = obs.value.map((o: Loose) => o.FeatureOfInterest['@iot.id']);
    expect(new Set(fois).size).toBe(1);
    expect(obs.value[0].FeatureOfInterest.feature).toEqual({ type: 'Point', coordinates: [108.99, 11.56] });
    // A later observation reuses that FeatureOfInterest.
    const later = await call('POST', `/v1.1/Datastreams(${streamId})/Observations`, editor, { phenomenonTime: '2026-11-14T03:00:00Z', result: 28 });
    expect(later.status, later.body).toBe(201);
    expect((await get(`${later.json()['@iot.selfLink'].replace(/^.*\/v1\.1/, '/v1.1')}/FeatureOfInterest`))['@iot.id']).toBe(fois[0]);
  });

  it('creates nothing when any part of a deep insert is wrong, and names the part', async () => {
    const before = (await get('/v1.1/Sensors?$count=true&$top=0'))['@iot.count'];
    const broken = station('Ninh Hải', 109.1, 11.65);
    delete (broken as Loose).Datastreams[0].ObservedProperty.definition;
    const r = await call('POST', '/v1.1/Things', editor, broken);
    expect(r.status).toBe(400);
    expect(r.json().detail).toMatch(/Thing\.Datastreams\[0\]\.ObservedProperty\.definition: is missing/);
    expect((await get('/v1.1/Sensors?$count=true&$top=0'))['@iot.count']).toBe(before);
    expect((await get("/v1.1/Things?$filter=name eq 'Ninh Hải'")).value).toEqual([]);
    const unknown = await call('POST', '/v1.1/Things', editor, { name: 'x', description: 'y', colour: 'red' });
    expect(unknown.status).toBe(400);
    expect(unknown.json().detail).toMatch(/Thing\.colour/);
    const badRef = await call('POST', '/v1.1/Observations', editor, { result: 1, Datastream: { '@iot.id': 999999 } });
    expect(badRef.status).toBe(400);
    expect(badRef.json().detail).toMatch(/Observation\.Datastream\.@iot\.id: no Datastream 999999/);
  });

  it('answers 404 for a missing entity, and 400 naming a bad path or option', async () => {
    expect((await call('GET', '/v1.1/Things(999999)')).status).toBe(404);
    expect((await call('GET', `/v1.1/Things(${thingId})/Datastreams(999999)`)).status).toBe(404);
    expect((await call('GET', '/v1.1/Thingies')).json().detail).toMatch(/Thingies: not an entity set/);
    expect((await call('GET', `/v1.1/Things(${thingId})/colour`)).status).toBe(400);
    expect((await call('GET', '/v1.1/Things?$top=x')).json().detail).toMatch(/\$top: "x" is not a non-negative integer/);
    expect((await call('GET', '/v1.1/Things?$filter=name eq')).status).toBe(400);
    expect((await call('GET', "/v1.1/Things?$filter=colour eq 'red'")).json().detail).toMatch(/Things has no property "colour"/);
    expect((await call('GET', '/v1.1/Things?$expand=Sensors')).json().detail).toMatch(/no navigation link "Sensors"/);
  });

  it('reads properties, raw values and references', async () => {
    expect(await get(`/v1.1/Things(${thingId})/name`)).toEqual({ name: 'Phan Rang' });
    const raw = await call('GET', `/v1.1/Things(${thingId})/name/$value`);
    expect(raw.body).toBe('Phan Rang');
    const refs = await get(`/v1.1/Datastreams(${streamId})/Observations/$ref`);
    expect(refs.value).toHaveLength(3);
    expect(Object.keys(refs.value[0])).toEqual(['@iot.selfLink']);
    expect((await get(`/v1.1/Datastreams(${streamId})/Thing`))['@iot.id']).toBe(thingId);
  });

  it('applies filter, count, orderby, skip and top in that order, with a nextLink', async () => {
    const page = await get(`/v1.1/Datastreams(${streamId})/Observations?$filter=result gt 29&$count=true&$orderby=result desc&$top=1`);
    expect(page['@iot.count']).toBe(2); // 31.5 and 44.2: counted after the filter, before top
    expect(page.value.map((o: Loose) => o.result)).toEqual([44.2]);
    expect(page['@iot.nextLink']).toMatch(/\$skip=1/);
    const next = await get(page['@iot.nextLink'].replace(/^.*\/v1\.1/, '/v1.1'));
    expect(next.value.map((o: Loose) => o.result)).toEqual([31.5]);
    expect(next['@iot.nextLink']).toBeUndefined();
    const sel = await get(`/v1.1/Things(${thingId})?$select=name`);
    expect(Object.keys(sel).sort()).toEqual(['@iot.selfLink', 'name']);
  });

  it('filters with arithmetic, strings, dates, paths through single links and JSON properties', async () => {
    const q = async (f: string) => (await get(`/v1.1/Observations?$filter=${encodeURIComponent(f)}&$orderby=id`)).value.map((o: Loose) => o.result);
    expect(await q('result add 10 gt 50')).toEqual([44.2]);
    expect(await q('result mul 2 le 60 and result ge 28')).toEqual([28]);
    expect(await q('hour(phenomenonTime) eq 2')).toEqual([44.2]);
    expect(await q('phenomenonTime lt 2026-11-14T01:30:00Z')).toEqual([31.5]);
    expect(await q("Datastream/Thing/name eq 'Phan Rang' and not (result lt 30)")).toEqual([31.5, 44.2]);
    const things = async (f: string) => (await get(`/v1.1/Things?$filter=${encodeURIComponent(f)}`)).value.map((x: Loose) => x.name);
    expect(await things("substringof('Rang', name)")).toEqual(['Phan Rang']);
    expect(await things("startswith(tolower(name), 'phan') and length(name) eq 9")).toEqual(['Phan Rang']);
    expect(await things("properties/operator eq 'Sở Nông nghiệp và Môi trường'")).toEqual(['Phan Rang']);
    expect(await things("properties/operator eq 'khác'")).toEqual([]);
    expect((await call('GET', `/v1.1/Things?$filter=${encodeURIComponent("geo.intersects(Locations/location, geography'POINT(1 2)')")}`)).status).toBe(400);
  });

  it('expands with each level’s own options, nested', async () => {
    const r = await get(
      `/v1.1/Things(${thingId})?$select=name&$expand=${encodeURIComponent('Datastreams($select=name;$expand=Observations($orderby=result desc;$top=1;$count=true))')}`,
    );
    expect(r.name).toBe('Phan Rang');
    const ds = r.Datastreams[0];
    expect(Object.keys(ds).sort()).toEqual(['@iot.selfLink', 'Observations', 'Observations@iot.count', 'Observations@iot.nextLink', 'name']);
    expect(ds.Observations.map((o: Loose) => o.result)).toEqual([44.2]);
    expect(ds['Observations@iot.count']).toBe(3);
  });

  it('takes a data array with a result per row, and reads one back', async () => {
    const r = await call('POST', '/v1.1/CreateObservations', editor, [
      {
        Datastream: { '@iot.id': streamId },
        components: ['phenomenonTime', 'result'],
        'dataArray@iot.count': 3,
        dataArray: [
          ['2026-11-14T04:00:00Z', 25.1],
          ['không phải thời gian', 25.2],
          ['2026-11-14T05:00:00Z', 26.3],
        ],
      },
    ]);
    expect(r.status, r.body).toBe(201);
    const out = r.json();
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(/\/v1\.1\/Observations\(\d+\)$/);
    expect(out[1]).toMatch(/^error/);
    expect(out[2]).toMatch(/\/v1\.1\/Observations\(\d+\)$/);
    const arr = await get(`/v1.1/Datastreams(${streamId})/Observations?$resultFormat=dataArray&$select=phenomenonTime,result&$orderby=phenomenonTime`);
    expect(arr.value[0].components).toEqual(['phenomenonTime', 'result']);
    expect(arr.value[0].dataArray).toEqual([
      ['2026-11-14T01:00:00.000Z', 31.5],
      ['2026-11-14T02:00:00.000Z', 44.2],
      ['2026-11-14T03:00:00.000Z', 28],
      ['2026-11-14T04:00:00.000Z', 25.1],
      ['2026-11-14T05:00:00.000Z', 26.3],
    ]);
    expect((await get(`/v1.1/Datastreams(${streamId})`)).phenomenonTime).toBe('2026-11-14T01:00:00.000Z/2026-11-14T05:00:00.000Z');
  });

  it('lets only the owning organization’s editors write its station, and reads are public', async () => {
    const obs = { phenomenonTime: '2026-11-14T06:00:00Z', result: 20 };
    expect((await call('POST', `/v1.1/Datastreams(${streamId})/Observations`, undefined, obs)).status).toBe(401);
    expect((await call('POST', `/v1.1/Datastreams(${streamId})/Observations`, member, obs)).status).toBe(403);
    expect((await call('POST', `/v1.1/Datastreams(${streamId})/Observations`, otherEditor, obs)).status).toBe(403);
    const arr = await call('POST', '/v1.1/CreateObservations', otherEditor, [
      { Datastream: { '@iot.id': streamId }, components: ['phenomenonTime', 'result'], dataArray: [['2026-11-14T06:00:00Z', 1]] },
    ]);
    expect(arr.status).toBe(403);
    expect((await call('PATCH', `/v1.1/Things(${thingId})`, otherEditor, { name: 'x' })).status).toBe(403);
    expect((await call('DELETE', `/v1.1/Things(${thingId})`, member)).status).toBe(403);
    expect((await call('GET', `/v1.1/Things(${thingId})`)).status).toBe(200);
  });

  it('patches only the given properties, refuses related entities inline, and deletes', async () => {
    const p = await call('PATCH', `/v1.1/Things(${thingId})`, editor, { description: 'Trạm Phan Rang (đã hiệu chuẩn)' });
    expect(p.status, p.body).toBe(200);
    expect(p.json()).toMatchObject({ name: 'Phan Rang', description: 'Trạm Phan Rang (đã hiệu chuẩn)' });
    expect((await call('PATCH', `/v1.1/Things(${thingId})`, editor, { Datastreams: [] })).status).toBe(400);
    expect((await call('PATCH', `/v1.1/Things(999999)`, editor, { name: 'x' })).status).toBe(404);
    const tmp = await call('POST', '/v1.1/Things', editor, { name: 'Tạm', description: 'Xoá ngay' });
    const id = tmp.json()['@iot.id'];
    expect((await call('DELETE', `/v1.1/Things(${id})`, editor)).status).toBe(200);
    expect((await call('GET', `/v1.1/Things(${id})`)).status).toBe(404);
    expect((await call('DELETE', `/v1.1/Things(${id})`, editor)).status).toBe(404);
  });
});
