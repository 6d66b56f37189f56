import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { launchBrowser, membersWithPassword, newPage, screenshotPath, signInAs } from './browser.js';

/**
 * AI awareness in Chromium: the Department's editor publishes a course with one place through the
 * form; a visitor registers and is confirmed, the next is put on the waiting list; the editor
 * marks attendance on the registrations page.
 */
const PASSWORD = 'mat-khau-rat-dai-123';
const EDITOR = 'truyenthong.khcn@ninhthuan.gov.vn';
let t: TestApp;
let base: string;
let browser: Browser;

beforeAll(async () => {
  t = await createTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
  await membersWithPassword(t, PASSWORD, [[EDITOR, 'so-khcn', 'Phòng truyền thông Sở KH&CN']]);
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('AI news and events in Chromium', () => {
  let path = '';

  it('lets the Department’s editor publish a course with its places', async () => {
    const page = await newPage(browser, 15_000);
    await signInAs(page, base, EDITOR, PASSWORD, '/awareness/new');
    await page.waitForURL(`${base}/awareness/new`);
    await page.getByLabel('Loại').selectOption({ label: 'Khóa tập huấn' });
    await page.locator('[name="title"]').fill('Tập huấn sử dụng trí tuệ nhân tạo cho cán bộ cấp xã');
    await page.getByLabel('Bắt đầu (dd/mm/yyyy HH:mm)').fill('31/02/2099 08:00');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('alert').first().textContent()).toContain('dd/mm/yyyy HH:mm');
    await page.getByLabel('Bắt đầu (dd/mm/yyyy HH:mm)').fill('15/03/2099 08:00');
    await page.getByLabel('Địa điểm').fill('Trung tâm Hội nghị tỉnh');
    await page.getByLabel('Số chỗ (để trống: không giới hạn)').fill('1');
    await page.getByLabel('Nhận đăng ký').check();
    await page.getByLabel('Công bố').check();
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.waitForURL(/\/awareness\/tap-huan-su-dung-tri-tue-nhan-tao-cho-can-bo-cap-xa$/);
    path = new URL(page.url()).pathname;
    expect(await page.textContent('main')).toContain('15/03/2099 08:00');
    await page.context().close();
  });

  it('confirms the first visitor and puts the next on the waiting list', async () => {
    const page = await newPage(browser, 15_000);
    await page.goto(`${base}/awareness`);
    await page.getByRole('link', { name: 'Tập huấn sử dụng trí tuệ nhân tạo cho cán bộ cấp xã' }).click();
    await page.waitForURL(`${base}${path}`);
    expect(await page.textContent('main')).toContain('Còn 1 chỗ trên 1');
    await page.getByLabel('Họ và tên').fill('Nguyễn Thị Lan');
    await page.getByLabel('Thư điện tử').fill('lan@example');
    await page.getByRole('button', { name: 'Đăng ký tham dự' }).last().click();
    await page.waitForLoadState();
    expect(await page.getByRole('alert').first().textContent()).toContain('Địa chỉ thư điện tử không hợp lệ');
    await page.getByLabel('Thư điện tử').fill('lan@example.vn');
    await page.getByRole('button', { name: 'Đăng ký tham dự' }).last().click();
    await page.waitForLoadState();
    expect(await page.getByRole('status').first().textContent()).toContain('Bạn đã được xác nhận chỗ');
    expect(await page.textContent('main')).toContain('Đã hết chỗ');

    await page.getByLabel('Họ và tên').fill('Trần Văn Hải');
    await page.getByLabel('Thư điện tử').fill('hai@example.vn');
    await page.getByRole('button', { name: 'Đăng ký tham dự' }).last().click();
    await page.waitForLoadState();
    expect(await page.getByRole('status').first().textContent()).toContain('vị trí số 1 trong danh sách chờ');
    await page.screenshot({ path: screenshotPath('awareness-waitlisted'), fullPage: false });
    await page.context().close();
  });

  it('lets the editor mark who came', async () => {
    const page = await newPage(browser, 15_000);
    await signInAs(page, base, EDITOR, PASSWORD, `${path}/registrations`);
    await page.waitForURL(`${base}${path}/registrations`);
    const lan = page.getByRole('row', { name: /Nguyễn Thị Lan/ });
    expect(await lan.textContent()).toContain('Đã xác nhận');
    expect(await page.getByRole('row', { name: /Trần Văn Hải/ }).textContent()).toContain('Danh sách chờ');
    await lan.getByRole('button', { name: 'Ghi có mặt' }).click();
    await page.waitForLoadState();
    expect(
      await page
        .getByRole('row', { name: /Nguyễn Thị Lan/ })
        .getByRole('button')
        .textContent(),
    ).toContain('Bỏ ghi');
    await page.screenshot({ path: screenshotPath('awareness-registrations'), fullPage: false });
  });
});
