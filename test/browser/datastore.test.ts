import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOrganization } from '../../src/modules/organizations/index.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.js';
import { createUserUnchecked } from '../../src/platform/auth/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { hanoiDailyPm25 } from '../helpers/airnow.js';
import { datastoreClient, type DatastoreClient } from '../datastore/helpers.js';
import { excelFile } from '../datastore/workbooks.js';
import { makeUsers } from '../catalog/ckan-helpers.js';
import { launchBrowser, newPage as openPage, screenshotPath, signInAs } from './browser.js';

const PASSWORD = 'mat-khau-rat-dai-123';
const EDITOR = 'dulieu@tnmt.ninhthuan.gov.vn';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
// Places of Ninh Thuận (approximate public coordinates) for the map.
const SITES = [
  'Tên điểm,Loại hình,Vĩ độ,Kinh độ,Lượt khách 2023',
  'Tháp Po Klong Garai,Di tích,11.6006,108.9426,120500',
  'Vịnh Vĩnh Hy,Biển đảo,11.7265,109.1997,310000',
  'Đồi cát Nam Cương,Cảnh quan,11.5307,108.9861,95000',
  'Làng gốm Bàu Trúc,Làng nghề,11.5000,108.8962,87000',
].join('\n');

let t: TestApp;
let base: string;
let browser: Browser;
let ds: DatastoreClient;
let reportId: string;
let sitesId: string;
let dailyId: string;

/** The daily PM2.5 means as a department's spreadsheet writes them: dd/mm/yyyy and a decimal comma. */
function dailyCsv(): string {
  const rows = hanoiDailyPm25().map((d) => `${d.day.split('-').reverse().join('/')};${d.pm25.toFixed(1).replace('.', ',')}`);
  return ['Ngày;PM2.5 (µg/m³)', ...rows].join('\n');
}

beforeAll(async () => {
  t = await createTestApp({ work: true });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
  const u = await makeUsers(t);
  ds = datastoreClient(t, u);
  const person = await createUserUnchecked(t.db.db, SYSTEM_ACTOR, { email: EDITOR, name: 'Cán bộ dữ liệu', password: PASSWORD });
  const { org } = await getOrganization(t.db.db, 'so-tnmt');
  await t.db.pool.query("insert into org_member (org_id, user_id, role) values ($1, $2, 'editor')", [org.id, person.id]);
  const report = await ds.dataset('gieo-trong-dong-xuan');
  reportId = (await ds.upload('resource_create', { package_id: report, name: 'Biểu 01', format: 'XLSX' }, 'bieu-01.xlsx', await excelFile(), XLSX_TYPE)).id;
  const sites = await ds.dataset('diem-du-lich-ban-do');
  sitesId = (await ds.upload('resource_create', { package_id: sites, name: 'Điểm du lịch', format: 'CSV' }, 'diem.csv', Buffer.from(SITES))).id;
  expect((await ds.settled(reportId)).status).toBe('loaded');
  expect((await ds.settled(sitesId)).status).toBe('loaded');
  const daily = await ds.dataset('pm25-ngay-2016');
  dailyId = (await ds.upload('resource_create', { package_id: daily, name: 'PM2.5 theo ngày', format: 'CSV' }, 'pm25-ngay.csv', Buffer.from(dailyCsv()))).id;
  expect((await ds.settled(dailyId)).status).toBe('loaded');
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const newPage = (): Promise<Page> => openPage(browser, 20_000);

describe('the upload wizard in the browser', () => {
  it('shows the detected structure, checks the file, reports a broken constraint, and loads with a renamed column', async () => {
    const page = await newPage();
    await signInAs(page, base, EDITOR, PASSWORD, '/dataset/gieo-trong-dong-xuan');
    await page.getByRole('link', { name: 'Kiểm tra cấu trúc, lược đồ và nạp lại' }).click();
    await page.waitForURL(/\/wizard$/);
    // Step 2: the two merged header rows and the data range of the first sheet, the totals row marked.
    const sheet = page.locator('.wz-sheet[data-sheet="1"]');
    await expect(sheet.getByLabel('Dòng tiêu đề (từ – đến) 1').inputValue()).resolves.toBe('6');
    await expect(sheet.getByLabel('Dòng tiêu đề (từ – đến) 2').inputValue()).resolves.toBe('7');
    await expect(sheet.locator('tr.ws-total').first().textContent()).resolves.toContain('Cộng huyện');
    await expect(sheet.locator('tr.ws-header').count()).resolves.toBe(2);
    await page.screenshot({ path: screenshotPath('datastore-wizard-structure'), fullPage: true });

    // Step 4: a check of the whole file, nothing written; then the schema with what was found.
    await page.getByRole('button', { name: 'Kiểm tra toàn bộ tệp (chưa nạp)' }).click();
    await page.getByText('Tệp hợp lệ').waitFor();
    const lua = page.getByRole('row').filter({ has: page.locator('input[value="Diện tích (ha) - Lúa"]').first() });
    await lua.getByLabel('Diện tích (ha) - Lúa: Tối đa').fill('1500');
    await page.screenshot({ path: screenshotPath('datastore-wizard-schema'), fullPage: true });
    await page.getByRole('button', { name: 'Lưu lược đồ và kiểm tra lại' }).click();
    await page.getByText('Tệp chưa hợp lệ').waitFor();
    const report = page.locator('table.ds-report');
    await expect(report.textContent()).resolves.toContain('lớn hơn giá trị tối đa 1500');
    await expect(report.locator('tbody tr').count()).resolves.toBe(1);
    // Sheet row 11: Xã Công Hải, 1765.5 ha of rice.
    await expect(report.locator('tbody tr td').first().textContent()).resolves.toBe('11');
    await page.screenshot({ path: screenshotPath('datastore-wizard-report'), fullPage: true });

    // Adjust: no maximum, and "Đơn vị" named don_vi; then load and follow the progress to the end.
    await page.getByLabel('Diện tích (ha) - Lúa: Tối đa').fill('');
    await page.getByLabel('Đơn vị: Tên cột').first().fill('don_vi');
    await page.getByRole('button', { name: 'Lưu lược đồ và nạp' }).click();
    await page.getByText('Đã nạp').waitFor();
    await page.getByRole('link', { name: 'Xem dữ liệu' }).click();
    await page.waitForURL(new RegExp(`/datastore/${reportId}$`));
    await expect(page.locator('.dp-table thead th').nth(1).textContent()).resolves.toContain('Đơn vị');
    const fields = await ds.search({ resource_id: reportId, limit: 1 });
    expect(fields.body.result.fields.map((f: { id: string }) => f.id)).toContain('don_vi');
    await page.context().close();
  });
});

describe('the data page in the browser', () => {
  it('sorts and filters the table, draws a chart of a sum by column, and gives the API call', async () => {
    const page = await newPage();
    await page.goto(`${base}/datastore/${sitesId}`);
    await expect(page.locator('.dp-table tbody tr').count()).resolves.toBe(4);
    await page.getByRole('link', { name: 'Lượt khách 2023' }).click();
    await page.getByRole('link', { name: 'Lượt khách 2023 ▲' }).click();
    await expect(page.locator('.dp-table tbody tr').first().textContent()).resolves.toContain('Vịnh Vĩnh Hy');
    await page.locator('#dp-nf').selectOption({ label: 'Lượt khách 2023' });
    await page.getByLabel('Phép so sánh').selectOption('gte');
    await page.getByLabel('Giá trị', { exact: true }).fill('100000');
    await page.getByRole('button', { name: 'Áp dụng' }).click();
    await expect(page.getByText('2 dòng khớp').isVisible()).resolves.toBe(true);

    await page.getByLabel('Theo cột').selectOption({ label: 'Loại hình' });
    await page.locator('#dp-agg').selectOption('sum');
    await page.locator('#dp-y').selectOption({ label: 'Lượt khách 2023' });
    await page.getByRole('button', { name: 'Vẽ' }).click();
    // The chart keeps the filter: two groups (Di tích, Biển đảo), one bar each.
    await expect(page.locator('svg.chart rect.chart-bar').count()).resolves.toBe(2);
    const api = await page.locator('.dp-chart code a').getAttribute('href');
    expect(api).toContain('group_by=Lo%E1%BA%A1i+h%C3%ACnh');
    const groups = (await (await fetch(`${base}${api}`)).json()) as { records: { 'Loại hình': string; 'sum_Lượt khách 2023': number }[] };
    expect(groups.records).toEqual([
      { 'Loại hình': 'Biển đảo', 'sum_Lượt khách 2023': 310000 },
      { 'Loại hình': 'Di tích', 'sum_Lượt khách 2023': 120500 },
    ]);
    await page.screenshot({ path: screenshotPath('datastore-data-page'), fullPage: true });
    await page.context().close();
  });

  it('forecasts a column from the form: a band after the latest days, the model, and the same call in the API', async () => {
    const page = await newPage();
    await page.goto(`${base}/datastore/${dailyId}`);
    await page.getByLabel('Theo thời gian').selectOption({ label: 'Ngày' });
    await page.getByLabel('Cột cần dự báo').selectOption({ label: 'PM2.5 (µg/m³)' });
    await page.getByLabel('Số bước dự báo').fill('14');
    await page.getByRole('button', { name: 'Dự báo' }).click();
    await expect(page.locator('.dp-forecast polygon.chart-band95').count()).resolves.toBe(1);
    await expect(page.locator('.dp-forecast figcaption').textContent()).resolves.toMatch(/Mô hình \w+, chọn bằng đánh giá trên \d mốc/);
    await expect(page.locator('.dp-forecast tbody tr').count()).resolves.toBe(14);
    const api = await page.locator('.dp-forecast code a').getAttribute('href');
    const f = (await (await fetch(`${base}${api}`)).json()) as { forecast: { time: string }[] };
    expect(f.forecast[0]!.time).toBe('2017-01-01');
    await page.screenshot({ path: screenshotPath('datastore-forecast'), fullPage: true });
    await page.context().close();
  });

  it('draws the points on a map without online tiles', async () => {
    const page = await newPage();
    const outside: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('data:')) outside.push(r.url());
    });
    await page.goto(`${base}/datastore/${sitesId}`);
    await page.locator('#dp-map[data-ready="4"]').waitFor();
    await expect(page.locator('#dp-map .leaflet-overlay-pane canvas, #dp-map .leaflet-overlay-pane svg').count()).resolves.toBeGreaterThan(0);
    expect(outside).toEqual([]);
    await page.locator('#dp-map').screenshot({ path: screenshotPath('datastore-map') });
    await page.context().close();
  });
});
