import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataset } from '../../src/modules/catalog/index.js';
import { getOrganization } from '../../src/modules/organizations/index.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.js';
import { createUserUnchecked, systemPrincipal } from '../../src/platform/auth/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { launchBrowser, newPage as openPage, screenshotPath } from './browser.js';

const PASSWORD = 'mat-khau-rat-dai-123';
const EDITOR = 'bientap@tnmt.ninhthuan.gov.vn';

let t: TestApp;
let base: string;
let browser: Browser;

/** A monthly series, big enough (~150 KB) for a throttled upload to show its progress. */
function bigCsv(): string {
  const lines = ['Tháng,Lượng mưa (mm),Trạm,Ghi chú'];
  for (let i = 0; i < 1500; i++) {
    const y = 2000 + Math.floor(i / 12);
    const m = String((i % 12) + 1).padStart(2, '0');
    lines.push(`${y}-${m},${(20 + 60 * Math.abs(Math.sin(i / 2))).toFixed(1)},Phan Rang,"Đo tại trạm khí tượng, số liệu sơ bộ ${'.'.repeat(40)}"`);
  }
  return `${lines.join('\n')}\n`;
}

beforeAll(async () => {
  t = await createTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
  const u = await createUserUnchecked(t.db.db, SYSTEM_ACTOR, { email: EDITOR, name: 'Biên Tập Viên', password: PASSWORD });
  const { org } = await getOrganization(t.db.db, 'so-tnmt');
  await t.db.pool.query("insert into org_member (org_id, user_id, role) values ($1, $2, 'editor')", [org.id, u.id]);
  const sys = await t.userWithToken({ email: 'root@tinhso.vn', sysadmin: true });

  const ds = await createDataset(t.db.db, systemPrincipal(), SYSTEM_ACTOR, {
    name: 'nuoc-thai-do-thi',
    title: 'Xử lý nước thải đô thị',
    notes: 'Lưu lượng nước thải được xử lý tại nhà máy Phan Rang theo tháng.',
    owner_org: 'so-tnmt',
    license_id: 'cc-by',
    tags: ['nước thải'],
    groups: [{ name: 'tai-nguyen-moi-truong' }],
    spatial_codes: ['58'],
  });
  const form = new FormData();
  const csv = 'Tháng,Lưu lượng (m³/ngày)\n2024-01,9800\n2024-02,10250\n2024-03,9900\n2024-04,11020\n2024-05,12040\n2024-06,11870\n';
  form.append('upload', new Blob([csv], { type: 'text/csv' }), 'luu-luong.csv');
  const res = await fetch(`${base}/dataset/${ds.dataset.id}/resource/new`, { method: 'POST', body: form, headers: sys.auth, redirect: 'manual' });
  expect(res.status).toBe(303);
  await createDataset(t.db.db, systemPrincipal(), SYSTEM_ACTOR, {
    name: 'diem-du-lich',
    title: 'Điểm du lịch Ninh Thuận',
    owner_org: 'so-tnmt',
    groups: [{ name: 'du-lich' }],
    resources: [{ url: 'https://example.org/du-lich.json', format: 'JSON' }],
  });
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const newPage = (): Promise<Page> => openPage(browser, 15_000);

describe('catalog in the browser', () => {
  it('finds an accented dataset from a search without accents', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await page.getByLabel('Tìm bộ dữ liệu').fill('nuoc thai');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/dataset\?q=nuoc\+thai/);
    await expect(page.getByRole('heading', { level: 3, name: 'Xử lý nước thải đô thị' }).isVisible()).resolves.toBe(true);
    expect(await page.locator('.dataset-item').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('catalog-search'), fullPage: true });
    await page.context().close();
  });

  it('filters with a facet click', async () => {
    const page = await newPage();
    await page.goto(`${base}/dataset`);
    expect(await page.locator('.dataset-item').count()).toBe(2);
    await page.locator('fieldset[data-facet="res_format"]').getByLabel(/CSV/).click();
    await page.waitForURL(/res_format=CSV/);
    expect(await page.locator('.dataset-item').count()).toBe(1);
    expect(await page.locator('.active-filters').textContent()).toContain('CSV');
    // Focus comes back to the checkbox that was used.
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe('CSV');
    await page.screenshot({ path: screenshotPath('catalog-facet'), fullPage: true });
    await page.context().close();
  });

  it('shows the preview table and chart on the dataset page', async () => {
    const page = await newPage();
    await page.goto(`${base}/dataset/nuoc-thai-do-thi`);
    const table = page.locator('.preview-table table');
    await expect(table.isVisible()).resolves.toBe(true);
    expect(await table.locator('thead th').allTextContents()).toEqual(['Tháng', 'Lưu lượng (m³/ngày)']);
    expect(await table.locator('tbody tr').count()).toBe(6);
    expect(await page.locator('svg.chart-svg').isVisible()).toBe(true);
    expect(await page.locator('script[type="application/ld+json"]').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('catalog-dataset'), fullPage: true });
    await page.context().close();
  });

  it('lets an editor create a dataset and upload a CSV with progress, then see its preview', async () => {
    const page = await newPage();
    await page.goto(`${base}/login?next=${encodeURIComponent('/dataset/new')}`);
    await page.getByLabel('Email').fill(EDITOR);
    await page.getByLabel('Mật khẩu').fill(PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(`${base}/dataset/new`);
    await page.getByLabel('Tiêu đề (tiếng Việt)').fill('Lượng mưa tháng tại Phan Rang');
    expect(await page.getByLabel('Tên đường dẫn (URL)').inputValue()).toBe('luong-mua-thang-tai-phan-rang');
    await page.getByLabel('Tiêu đề (tiếng Anh)').fill('Monthly rainfall in Phan Rang');
    await page.getByLabel('Từ khóa').fill('mưa, khí tượng');
    await page.getByLabel('Tài nguyên – môi trường').check();
    await page.getByLabel('Từ ngày').fill('01/01/2000');
    await page.screenshot({ path: screenshotPath('catalog-new'), fullPage: true });
    await page.getByRole('button', { name: 'Tạo', exact: true }).click();
    await page.waitForURL(`${base}/dataset/luong-mua-thang-tai-phan-rang?msg=created`);
    expect(await page.getByRole('status').textContent()).toContain('Đã tạo bộ dữ liệu.');

    await page.getByRole('link', { name: 'Thêm tài nguyên' }).click();
    await page.waitForURL(/\/resource\/new$/);
    await page.getByLabel('Tệp tải lên').setInputFiles({ name: 'luong-mua.csv', mimeType: 'text/csv', buffer: Buffer.from(bigCsv()) });
    // Slow the upload down so the progress bar is seen.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 60 * 1024 });
    const posts: string[] = [];
    page.on('request', (r) => void (r.method() === 'POST' && posts.push(r.resourceType())));
    await page.getByRole('button', { name: 'Thêm tài nguyên' }).click();
    const progress = page.locator('.upload-progress');
    await progress.waitFor({ state: 'visible' });
    await page.waitForFunction(() => Number(document.querySelector('progress')?.value ?? 0) > 0);
    await page.screenshot({ path: screenshotPath('catalog-upload-progress'), fullPage: true });
    await page.waitForURL(/\/dataset\/luong-mua-thang-tai-phan-rang\?msg=resource/, { timeout: 30_000 });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    // The flash (the load's progress box is a live region too).
    expect(await page.locator('.alert-success').textContent()).toContain('Đã thêm tài nguyên.');
    expect(await page.locator('.resource').count()).toBe(1);
    expect(posts).toEqual(['xhr']);
    const table = page.locator('.preview-table table');
    await expect(table.isVisible()).resolves.toBe(true);
    expect(await table.locator('tbody tr').count()).toBe(50);
    expect(await page.locator('svg.chart-svg').isVisible()).toBe(true);
    await page.screenshot({ path: screenshotPath('catalog-uploaded-preview'), fullPage: true });
    await page.context().close();
  });

  it('is keyboard operable: search box, submit, facets', async () => {
    const page = await newPage();
    await page.goto(`${base}/dataset`);
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.id === 'ds-q');
    }
    expect(reached).toBe(true);
    await page.keyboard.type('du lich');
    await page.keyboard.press('Enter');
    await page.waitForURL(/q=du\+lich/);
    expect(await page.locator('.dataset-item').count()).toBe(1);
    await page.goto(`${base}/dataset`);
    await page.locator('#ds-q').focus();
    // Tab on to the search button, then to the first facet checkbox; Space applies it.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Tìm kiếm');
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => (document.activeElement as HTMLInputElement).id);
    expect(first).toMatch(/^f-/);
    await page.keyboard.press('Space');
    await page.waitForURL(/\?/);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(first);
    expect(await page.locator(`#${first}`).isChecked()).toBe(true);
    await page.context().close();
  });
});
