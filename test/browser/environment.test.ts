import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, setMember } from '../../src/modules/organizations/index.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.js';
import { systemPrincipal } from '../../src/platform/auth/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { mosquittoPub } from '../helpers/mqtt.js';
import { freePort } from '../helpers/net.js';
import { pm25Stream, stationThing } from '../helpers/stations.js';
import { launchBrowser, newPage, screenshotPath } from './browser.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Loose = any;

const HOUR = 3_600_000;
let t: TestApp;
let base: string;
let browser: Browser;
let mqttPort: number;
let token: string;
let thing: number;
let stream: number;

/** PM2.5 means of the last twelve hours at a station in Phan Rang (a clean morning after a hazy night). */
const hoursAgo = (k: number) => new Date(Math.floor(Date.now() / HOUR) * HOUR - k * HOUR + 30 * 60_000).toISOString();
const history = [18, 20, 25, 31, 42, 55, 61, 48, 36, 27, 22, 19].map((v, i) => [hoursAgo(11 - i), v]);

beforeAll(async () => {
  mqttPort = await freePort();
  t = await createTestApp({ mqttPort });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
  const org = (
    await createOrganization(t.db.db, systemPrincipal(), SYSTEM_ACTOR, {
      name: 'Trung tâm Quan trắc',
      slug: 'ttqt',
      kind: 'department',
      email: 'qt@example.gov.vn',
    })
  ).id;
  const u = await t.userWithToken({ email: 'quantrac@example.gov.vn' });
  await setMember(t.db.db, systemPrincipal(), SYSTEM_ACTOR, org, u.id, 'editor');
  token = u.token;
  const call = async (method: string, url: string, body?: unknown) => {
    const r = await fetch(`${base}${url}`, {
      method,
      headers: { authorization: token, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(r.status, url).toBeLessThan(300);
    return r.json() as Promise<Loose>;
  };
  thing = (await call('POST', '/v1.1/Things', stationThing('Trạm Phan Rang', { lon: 108.9886, lat: 11.5648, datastreams: [pm25Stream('Phan Rang')] })))[
    '@iot.id'
  ];
  stream = (await call('GET', `/v1.1/Things(${thing})/Datastreams`)).value[0]['@iot.id'];
  await call('POST', '/v1.1/CreateObservations', [{ Datastream: { '@iot.id': stream }, components: ['phenomenonTime', 'result'], dataArray: history }]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const stationAqi = async (): Promise<number> => {
  const fc = (await (await fetch(`${base}/api/v1/sensors/stations.geojson`)).json()) as Loose;
  return fc.features.find((f: Loose) => f.id === thing).properties.aqi;
};

describe('the air quality map and station pages', () => {
  it('draws the stations in their AQI colours over the boundaries, and recolours them live when an observation arrives over MQTT', async () => {
    const before = await stationAqi();
    expect(before).toBeGreaterThan(0);
    const page = await newPage(browser, 20_000);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${base}/environment`);
    expect(await page.textContent('h1')).toBe('Chất lượng không khí và nước');
    await page.waitForSelector('[data-air-map][data-ready="1"]');
    // The boundaries are drawn as vector paths (no tiles were fetched), the station from the GeoJSON.
    expect(await page.locator('.leaflet-overlay-pane canvas, .leaflet-overlay-pane svg').count()).toBeGreaterThan(0);
    expect(await page.locator('.leaflet-tile').count()).toBe(0);
    expect(await page.getAttribute('[data-air-map]', `data-aqi${thing}`)).toBe(String(before));
    const row = page.locator(`[data-station="${thing}"] .aqi-cell`);
    expect(await row.textContent()).toContain(String(before));
    await page.waitForSelector('[data-live-status].on');
    await page.screenshot({ path: screenshotPath('environment-map'), fullPage: true });

    // A hazy hour arrives from the station.
    // (Not spawnSync: the broker runs in this process and must answer while mosquitto_pub waits.)
    const pub = await mosquittoPub([
      ...['-h', '127.0.0.1', '-p', String(mqttPort), '-q', '1', '-u', 'tram', '-P', token],
      ...['-t', `v1.1/Datastreams(${stream})/Observations`, '-m', JSON.stringify({ phenomenonTime: hoursAgo(0), result: 180 })],
    ]);
    expect(pub.status, pub.out).toBe(0);
    const after = await stationAqi();
    expect(after).toBeGreaterThan(before);
    await page.waitForFunction(([sel, v]) => document.querySelector('[data-air-map]')?.getAttribute(sel!) === v, [`data-aqi${thing}`, String(after)] as const, {
      timeout: 10_000,
    });
    expect(await row.textContent()).toContain(String(after));
    await page.screenshot({ path: screenshotPath('environment-map-live'), fullPage: true });
    await page.context().close();
  });

  it('shows a station with its current AQI and advice, hourly and daily charts and a CSV download, on a phone too', async () => {
    const page = await newPage(browser, 20_000);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/environment/stations/${thing}?lang=en`);
    expect(await page.textContent('h1')).toBe('Trạm Phan Rang');
    const now = await page.textContent(`[data-station-aqi="${thing}"]`);
    expect(now).toContain(String(await stationAqi()));
    expect(await page.locator('.advice dt').allTextContents()).toEqual(['Everyone', 'Sensitive groups']);
    // Every hour but the first, whose NowCast lacks the two most recent of three hours.
    expect(await page.locator('section[aria-labelledby="st-hourly"] svg rect.chart-bar').count()).toBe(history.length - 1);
    const href = await page.getAttribute('a[download]', 'href');
    const csv = await (await fetch(`${base}${href}`)).text();
    expect(csv.split('\r\n')[0]).toBe('phenomenonTime,phenomenonTimeEnd,resultTime,result,resultQuality,qcKind,qcScore');
    expect(csv.trim().split('\r\n')).toHaveLength(history.length + 2);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: screenshotPath('environment-station-phone'), fullPage: true });
    await page.context().close();
    const missing = await fetch(`${base}/environment/stations/999999`);
    expect(missing.status).toBe(404);
  });
});
