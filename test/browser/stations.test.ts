import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization } from '../../src/modules/organizations/index.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.js';
import { systemPrincipal } from '../../src/platform/auth/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { launchBrowser, membersWithPassword, newPage, screenshotPath, signInAs } from './browser.js';

const PASSWORD = 'mat khau tram quan trac';
let t: TestApp;
let base: string;
let browser: Browser;

beforeAll(async () => {
  t = await createTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
  await createOrganization(t.db.db, systemPrincipal(), SYSTEM_ACTOR, {
    name: 'Trung tâm Quan trắc môi trường',
    slug: 'tt-quan-trac',
    kind: 'department',
    email: 'quantrac@example.gov.vn',
  });
  await membersWithPassword(t, PASSWORD, [['quantrac@example.gov.vn', 'tt-quan-trac', 'Cán bộ quan trắc']]);
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('the monitoring network in the browser', () => {
  it('lets an operator add and edit a station (bad fields named), import water results, and see the water station by its WQI on the map', async () => {
    const page = await newPage(browser, 20_000);
    await signInAs(page, base, 'quantrac@example.gov.vn', PASSWORD, '/environment');
    await page.getByRole('link', { name: 'Thêm trạm quan trắc' }).click();
    await page.getByLabel('Tên trạm').fill('Trạm nước sông Dinh');
    await page.getByLabel('Mã trạm').fill('NT SD 03');
    await page.getByLabel('Loại trạm').selectOption('water');
    await page.getByLabel('Hình thức quan trắc').selectOption('periodic');
    await page.getByLabel('Kinh độ').fill('108,97');
    await page.getByLabel('Vĩ độ').fill('95');
    await page.getByRole('button', { name: 'Lưu' }).click();
    const errors = await page.textContent('.alert-error');
    expect(errors).toContain('Mã trạm');
    expect(errors).toContain('Vĩ độ');
    await page.getByLabel('Mã trạm').fill('NT-SD-03');
    await page.getByLabel('Vĩ độ').fill('11,56');
    await page.getByLabel('Đơn vị hành chính (tên hoặc mã)').fill('22738');
    await page.getByRole('button', { name: 'Lưu' }).click();
    expect(await page.textContent('[role="status"]')).toContain('Đã lưu thông tin trạm.');
    expect(await page.textContent('[data-station-code]')).toBe('NT-SD-03');
    expect(await page.getAttribute('[data-admin-unit]', 'data-admin-unit')).toBe('22738');
    expect(await page.textContent('main')).toContain('Trạm chưa có mẫu nước nào.');
    // Edit: the form comes back with the values written the Vietnamese way.
    await page.getByRole('link', { name: 'Sửa thông tin trạm' }).click();
    expect(await page.inputValue('#stn-longitude')).toBe('108,97');
    await page.getByLabel('Đơn vị vận hành').fill('Trung tâm Quan trắc môi trường');
    await page.getByRole('button', { name: 'Lưu' }).click();
    expect(await page.textContent('.station-facts')).toContain('Trung tâm Quan trắc môi trường');

    // Laboratory results: a refused file changes nothing; the real layout is taken, with new stations.
    await page.goto(`${base}/environment/water/import`);
    await page.setInputFiles('#wq-file', {
      name: 'sai.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('Kyhieu,Date,pH,BOD5,COD\nNT-SD-03,31/2/2026,7,4,10\n'),
    });
    await page.getByRole('button', { name: 'Nhập' }).click();
    expect(await page.textContent('.alert-error')).toContain('31/2/2026');
    await page.setInputFiles('#wq-file', 'test/fixtures/sensors/lab-results.csv');
    await page.getByLabel('Thêm trạm mới từ tệp (mã, tên, toạ độ) khi đơn vị chưa có').check();
    await page.getByRole('button', { name: 'Nhập' }).click();
    expect(await page.textContent('[data-water-import]')).toContain('Đã nhập 2 mẫu: lưu 13 kết quả');
    expect(await page.textContent('tr[data-sample-line="5"]')).toContain('27');
    await page.screenshot({ path: screenshotPath('water-import'), fullPage: true });

    // The map: the water stations coloured by their latest VN_WQI, the table naming the index.
    await page.goto(`${base}/environment`);
    await page.waitForSelector('[data-air-map][data-ready]');
    const row = page.locator('tr', { hasText: 'Sông Dinh – đập Lâm Cấm' });
    expect(await row.textContent()).toContain('Nước mặt');
    expect(await row.locator('[data-index="WQI"]').textContent()).toContain('27');
    expect(Number(await page.getAttribute('[data-air-map]', 'data-ready'))).toBe(3);
    await page.screenshot({ path: screenshotPath('environment-water'), fullPage: true });
    await row.getByRole('link').click();
    expect(await page.textContent('[data-station-wqi]')).toContain('27');
    expect(await page.textContent('tr[data-parameter="As"]')).toContain('0,02');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: screenshotPath('water-station-phone'), fullPage: true });
    await page.context().close();
  });
});
