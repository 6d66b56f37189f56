import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, setMember } from '../../src/modules/organizations/index.js';
import { refreshForecasts, runQc } from '../../src/modules/sensors/index.js';
import { evaluateRules } from '../../src/modules/warnings/index.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.js';
import { systemPrincipal } from '../../src/platform/auth/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { pm25Stream, stationThing } from '../helpers/stations.js';
import { launchBrowser, membersWithPassword, newPage, screenshotPath, signInAs } from './browser.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Loose = any;

const HOUR = 3_600_000;
const PASSWORD = 'mat khau canh bao';
let t: TestApp;
let base: string;
let browser: Browser;
let thing: number;
let api: (method: string, url: string, body?: unknown) => Promise<Loose>;

/** Ten days of hourly PM2.5 up to the current hour: a daily cycle, a sensor stuck for eight hours two days ago, and a hazy last three hours. */
function history(): [string, number][] {
  const last = Math.floor(Date.now() / HOUR) * HOUR;
  return Array.from({ length: 240 }, (_, i) => {
    const k = 239 - i;
    const v = k < 3 ? 130 : k >= 48 && k < 56 ? 27.5 : Math.round((22 + 7 * Math.sin((2 * Math.PI * i) / 24) + ((i * 37) % 5) / 2) * 10) / 10;
    return [new Date(last - k * HOUR + 30 * 60_000).toISOString(), v];
  });
}

beforeAll(async () => {
  t = await createTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
  const org = (
    await createOrganization(t.db.db, systemPrincipal(), SYSTEM_ACTOR, {
      name: 'Chi cục Bảo vệ môi trường',
      slug: 'cc-bvmt',
      kind: 'department',
      email: 'bvmt@example.gov.vn',
    })
  ).id;
  await membersWithPassword(t, PASSWORD, [['vanhanh@example.gov.vn', 'cc-bvmt', 'Người vận hành']]);
  const u = await t.userWithToken({ email: 'api-bvmt@example.gov.vn' });
  await setMember(t.db.db, systemPrincipal(), SYSTEM_ACTOR, org, u.id, 'editor');
  const call = async (method: string, url: string, body?: unknown) => {
    const r = await fetch(`${base}${url}`, {
      method,
      headers: { authorization: u.token, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    expect(r.status, `${url}: ${text}`).toBeLessThan(300);
    return JSON.parse(text) as Loose;
  };
  api = call;
  thing = (await call('POST', '/v1.1/Things', stationThing('Trạm Tháp Chàm', { lon: 108.95, lat: 11.59, datastreams: [pm25Stream('Tháp Chàm')] })))['@iot.id'];
  const stream = (await call('GET', `/v1.1/Things(${thing})/Datastreams`)).value[0]['@iot.id'];
  await call('POST', '/v1.1/CreateObservations', [{ Datastream: { '@iot.id': stream }, components: ['phenomenonTime', 'result'], dataArray: history() }]);
  await runQc(t.db.db);
  await refreshForecasts(t.db.db);
  await call('POST', '/api/v1/warnings/rules', {
    org: 'cc-bvmt',
    name: 'Không khí xấu (VN_AQI ≥ 150)',
    kind: 'threshold',
    parameter: 'aqi',
    threshold: 150,
    severity: 'severe',
  });
  expect((await evaluateRules(t.db.db, t.jobs)).opened).toBe(1);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('warnings, forecasts and quality flags in the pages', () => {
  it('shows the warning in force on the air quality page and the station page, with the forecast bands and the flagged data', async () => {
    const page = await newPage(browser, 20_000);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/environment`);
    expect(await page.textContent('.warnings-now')).toContain('Không khí xấu (VN_AQI ≥ 150)');
    await page.goto(`${base}/environment/stations/${thing}`);
    expect(await page.textContent('.warnings-now')).toContain('Trạm Tháp Chàm');
    // Two forecast charts (VN_AQI and PM2.5), each with its 95 % and 80 % bands and a dashed mean.
    expect(await page.locator('.station-forecast svg').count()).toBe(2);
    expect(await page.locator('.station-forecast polygon.chart-band95').count()).toBe(2);
    expect(await page.locator('.station-forecast polyline.chart-forecast').count()).toBe(2);
    expect(await page.textContent('.station-forecast')).toMatch(/Mô hình \w+, chọn bằng đánh giá trên \d mốc/);
    // The stuck hours are in the flags table and ringed on the PM2.5 chart.
    expect(await page.locator('tr[data-flag="stuck"]').count()).toBeGreaterThan(0);
    expect(await page.locator('.station-forecast circle.chart-flag').count()).toBeGreaterThan(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // A warning that opens while the page is shown appears in it without a reload.
    await api('POST', '/api/v1/warnings/rules', {
      org: 'cc-bvmt',
      name: 'PM2.5 trên 100 µg/m³',
      kind: 'threshold',
      station: thing,
      parameter: 'pm25',
      threshold: 100,
      severity: 'moderate',
    });
    expect((await evaluateRules(t.db.db, t.jobs)).opened).toBe(1);
    await page.waitForFunction(() => document.querySelectorAll('.warnings-now li').length === 2, undefined, { timeout: 25_000 });
    expect(await page.textContent('.warnings-now')).toContain('PM2.5 trên 100 µg/m³');
    await page.screenshot({ path: screenshotPath('station-forecast-phone'), fullPage: true });
    const csv = await (
      await fetch(
        `${base}/api/v1/sensors/datastreams/${((await (await fetch(`${base}/v1.1/Things(${thing})/Datastreams`)).json()) as Loose).value[0]['@iot.id']}/observations.csv`,
      )
    ).text();
    expect(csv).toMatch(/,stuck,0\.\d+\r\n/);
    await page.context().close();
  });

  it('lets an operator add a rule (bad input named by field) and acknowledge the warning; the public sees it acknowledged', async () => {
    const page = await newPage(browser, 20_000);
    await signInAs(page, base, 'vanhanh@example.gov.vn', PASSWORD, '/warnings/rules');
    expect(page.url()).toContain('/warnings/rules');
    await page.getByLabel('Tên quy tắc').fill('PM2.5 tăng nhanh');
    await page.getByLabel('Loại').selectOption('rate');
    await page.getByLabel('Thông số').selectOption('pm25');
    await page.locator('#wr-threshold').fill('-5');
    await page.getByRole('button', { name: 'Lưu quy tắc' }).click();
    expect(await page.textContent('.alert-error')).toContain('Ngưỡng phải là số dương');
    await page.locator('#wr-threshold').fill('37,5');
    await page.getByLabel('Mức độ').selectOption('moderate');
    await page.getByRole('button', { name: 'Lưu quy tắc' }).click();
    expect(await page.textContent('[role="status"]')).toContain('Đã lưu quy tắc.');
    expect(await page.textContent('table')).toContain('PM2.5 tăng nhanh');
    // Edit it: disabled, and a threshold written the Vietnamese way.
    await page.getByRole('link', { name: 'PM2.5 tăng nhanh' }).click();
    expect(await page.inputValue('#wr-threshold')).toBe('37,5');
    await page.locator('#wr-threshold').fill('40');
    await page.getByLabel('Đang áp dụng').uncheck();
    await page.getByRole('button', { name: 'Lưu quy tắc' }).click();
    const edited = await page.locator('tr', { hasText: 'PM2.5 tăng nhanh' }).textContent();
    expect(edited).toContain('40');
    expect(edited).toContain('—');

    // Subscribe: a bad address is named; a webhook's secret is shown once; a subscription is removed.
    await page.goto(`${base}/warnings/subscriptions`);
    await page.getByLabel('Địa chỉ thư hoặc URL webhook').fill('khong-phai-dia-chi');
    await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
    expect(await page.textContent('.alert-error')).toContain('Địa chỉ thư không hợp lệ');
    await page.getByLabel('Kênh nhận').selectOption('webhook');
    await page.getByLabel('Địa chỉ thư hoặc URL webhook').fill('https://he-thong.example.gov.vn/canh-bao');
    await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
    expect((await page.textContent('[data-secret]'))!.length).toBeGreaterThan(40);
    await page.goto(`${base}/warnings/subscriptions`);
    expect(await page.locator('[data-secret]').count()).toBe(0);
    expect(await page.locator('tr[data-subscription]').count()).toBe(1);
    await page.getByRole('button', { name: 'Hủy' }).click();
    expect(await page.textContent('[role="status"]')).toContain('Đã hủy đăng ký.');
    expect(await page.locator('tr[data-subscription]').count()).toBe(0);

    const open = (await (await fetch(`${base}/api/v1/warnings/alerts?open=true`)).json()) as Loose;
    const id = open.alerts[0].id;
    await page.goto(`${base}/warnings`);
    await page.click(`tr[data-alert="${id}"] a`);
    await page.getByLabel('Ghi chú (không bắt buộc)').fill('Đã thông báo cho UBND phường');
    await page.getByRole('button', { name: 'Xác nhận đã tiếp nhận' }).click();
    expect(await page.textContent('[data-alert-state]')).toBe('Đã xác nhận');
    expect(await page.textContent('.timeline')).toContain('Đã thông báo cho UBND phường');
    await page.screenshot({ path: screenshotPath('warning-acknowledged'), fullPage: true });
    await page.context().close();
    const pub = (await (await fetch(`${base}/api/v1/warnings/alerts/${id}`)).json()) as Loose;
    expect(pub.state).toBe('acknowledged');
  });
});
