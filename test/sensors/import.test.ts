import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, setMember } from '../../src/modules/organizations/index.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.js';
import { systemPrincipal } from '../../src/platform/auth/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { pm25Stream, stationThing } from '../helpers/stations.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Loose = any;

/** A real AirNow year (US Embassy Hanoi, 2016) imported into a Datastream, with the file's own missing-value and QC conventions. */
const AIRNOW = fs.readFileSync('test/fixtures/datastore/airnow_Hanoi_PM2.5_2016_YTD.csv', 'utf8');

describe('importing monitoring files', () => {
  let t: TestApp;
  let editor: Record<string, string>;
  let other: Record<string, string>;
  let stream: number;
  const post = async (url: string, body: string, auth?: Record<string, string>, type = 'text/csv') => {
    const r = await t.app.inject({ method: 'POST', url, headers: { 'accept-language': 'en', 'content-type': type, ...(auth ?? {}) }, payload: body });
    return { status: r.statusCode, json: () => r.json() as Loose, body: r.body };
  };

  beforeAll(async () => {
    t = await createTestApp();
    const mk = async (slug: string) =>
      (await createOrganization(t.db.db, systemPrincipal(), SYSTEM_ACTOR, { name: slug, slug, kind: 'department', email: `${slug}@example.gov.vn` })).id;
    const mkUser = async (email: string, org: string) => {
      const u = await t.userWithToken({ email });
      await setMember(t.db.db, systemPrincipal(), SYSTEM_ACTOR, org, u.id, 'editor');
      return u.auth;
    };
    editor = await mkUser('nhap@example.gov.vn', await mk('qt-nhap'));
    other = await mkUser('khac-nhap@example.gov.vn', await mk('khac-nhap'));
    const made = await t.app.inject({
      method: 'POST',
      url: '/v1.1/Things',
      headers: editor,
      payload: stationThing('Trạm nhập số liệu AirNow', { datastreams: [pm25Stream('AirNow')] }),
    });
    expect(made.statusCode, made.body).toBe(201);
    stream = (await t.app.inject({ method: 'GET', url: `/v1.1/Things(${made.json()['@iot.id']})/Datastreams` })).json().value[0]['@iot.id'];
  }, 60_000);
  afterAll(async () => t?.close());

  it('stores each valid hour once, leaves out -999/Missing and Invalid rows, and stores nothing twice on a second import', async () => {
    const url = `/api/v1/sensors/datastreams/${stream}/import?layout=airnow`;
    const first = await post(url, AIRNOW, editor);
    expect(first.status, first.body).toBe(200);
    expect(first.json()).toEqual({ layout: 'airnow', rows: 8784, stored: 8304, alreadyStored: 0, missing: 420, invalid: 60, repeated: 0, problems: [] });
    const again = await post(url, AIRNOW, editor);
    expect(again.json()).toMatchObject({ stored: 0, alreadyStored: 8304 });
    const obs = (await t.app.inject({ method: 'GET', url: `/v1.1/Datastreams(${stream})/Observations?$count=true&$top=1&$orderby=phenomenonTime` })).json();
    expect(obs['@iot.count']).toBe(8304);
    expect(obs.value[0]).toMatchObject({ phenomenonTime: '2015-12-31T17:00:00.000Z/2015-12-31T18:00:00.000Z', result: 94.7, resultQuality: 'Valid' });
    const ds = (await t.app.inject({ method: 'GET', url: `/v1.1/Datastreams(${stream})` })).json();
    expect(ds.phenomenonTime).toBe('2015-12-31T17:00:00.000Z/2016-12-31T17:00:00.000Z');
    // The days of 2016 in Vietnam's calendar, as daily means.
    const days = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/air/sensors/${stream}/days?datetime_from=2015-12-31T17:00:00Z&datetime_to=2016-12-31T17:00:00Z&limit=1000`,
      })
    ).json();
    expect(days.results.length).toBeGreaterThan(340);
    expect(days.results[0].period.datetimeFrom.local).toBe('2016-01-01T00:00:00+07:00');
  });

  it('refuses other organizations and anonymous callers, an unknown layout and a file of another layout, storing nothing', async () => {
    const url = `/api/v1/sensors/datastreams/${stream}/import?layout=airnow`;
    expect((await post(url, AIRNOW, other)).status).toBe(403);
    expect((await post(url, AIRNOW)).status).toBe(401);
    const layout = await post(`/api/v1/sensors/datastreams/${stream}/import?layout=xlsx`, AIRNOW, editor);
    expect(layout.status).toBe(400);
    expect(layout.json().field).toBe('layout');
    const wrong = await post(url, 'timestamp,city,pm25\n2025-04-01T00:01:31+07:00,Nha Trang,3.7\n', editor);
    expect(wrong.status).toBe(400);
    expect(wrong.json().detail).toMatch(/Date \(LT\), Raw Conc\., QC Name/);
    expect((await post(`/api/v1/sensors/datastreams/999999/import?layout=airnow`, AIRNOW, editor)).status).toBe(404);
    const count = (await t.app.inject({ method: 'GET', url: `/v1.1/Datastreams(${stream})/Observations?$count=true&$top=0` })).json()['@iot.count'];
    expect(count).toBe(8304);
  });
});
