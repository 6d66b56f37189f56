import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { launchBrowser, membersWithPassword, newPage, screenshotPath, signInAs } from './browser.js';

/**
 * An S&T task proposal in Chromium: a business proposes through the public form and lands on its
 * tracking page; the Department screens it in, forms the council, enters the three scoring sheets
 * and approves; the proposer's page then shows the decision and the mean score.
 */
const PASSWORD = 'mat-khau-rat-dai-123';
const DOST = 'quanly.khcn@ninhthuan.gov.vn';
let t: TestApp;
let base: string;
let browser: Browser;

beforeAll(async () => {
  t = await createTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
  await membersWithPassword(t, PASSWORD, [[DOST, 'so-khcn', 'Phòng Quản lý khoa học']]);
  const sys = await t.userWithToken({ email: 'sys@example.vn', sysadmin: true });
  for (const [name, field] of [
    ['PGS.TS. Trần Minh Quang', 'Trí tuệ nhân tạo'],
    ['TS. Lê Thị Hồng', 'Bảo vệ thực vật'],
    ['ThS. Phạm Văn Tâm', 'Công nghệ thông tin'],
  ])
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/planning/experts', headers: sys.auth, payload: { name, field } })).statusCode).toBe(201);
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('an S&T task proposal in Chromium', () => {
  let tracking = '';

  it('is proposed through the public form, which names a mistake', async () => {
    const page = await newPage(browser, 15_000);
    await page.goto(`${base}/plan`);
    await page.getByRole('link', { name: 'Gửi đề xuất' }).click();
    await page.waitForURL(`${base}/plan/proposals/new`);
    await page.locator('[name="title"]').fill('Ứng dụng trí tuệ nhân tạo dự báo sâu bệnh trên cây nho');
    await page.getByLabel('Mục tiêu').fill('Mô hình dự báo sâu bệnh từ ảnh lá nho.');
    await page.getByLabel('Sản phẩm dự kiến').fill('Mô hình; ứng dụng di động; bộ dữ liệu ảnh mở.');
    await page.getByLabel('Kinh phí dự kiến (triệu đồng)').fill('1.250,5');
    await page.getByLabel('Thời gian thực hiện (tháng)').fill('18');
    await page.getByLabel('Người đề xuất là').selectOption({ label: 'Doanh nghiệp' });
    await page.getByLabel('Họ tên người đề xuất').fill('Nguyễn Văn An');
    await page.getByLabel('Thư điện tử').fill('an@nongnghiepso.example.vn');
    await page.getByRole('button', { name: 'Gửi đề xuất' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('alert').first().textContent()).toContain('cần tên đơn vị');
    await page.getByLabel('Tên tổ chức, doanh nghiệp').fill('Công ty TNHH Nông nghiệp số Ninh Thuận');
    await page.getByRole('button', { name: 'Gửi đề xuất' }).click();
    await page.waitForURL(/\/plan\/proposals\/[0-9a-f-]{36}\?token=.+&sent=1$/);
    tracking = page.url().replace('&sent=1', '');
    expect(await page.getByRole('status').textContent()).toMatch(/Đã nhận đề xuất DX-\d{4}-001/);
    expect(await page.textContent('main')).toContain('1.250,5');
    await page.context().close();
  });

  it('goes through the Department: screening, council, three sheets, approval', async () => {
    const page = await newPage(browser, 15_000);
    await signInAs(page, base, DOST, PASSWORD, '/plan/proposals');
    await page.waitForURL(`${base}/plan/proposals`);
    await page.getByRole('link', { name: /dự báo sâu bệnh/ }).click();
    await page.getByRole('button', { name: 'Chuyển hội đồng' }).click();
    await page.waitForLoadState();
    await page.getByLabel('Hội đồng tư vấn: PGS.TS. Trần Minh Quang').selectOption({ label: 'Chủ tịch' });
    await page.getByLabel('Hội đồng tư vấn: TS. Lê Thị Hồng').selectOption({ label: 'Thành viên' });
    await page.getByRole('button', { name: 'Lưu hội đồng' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('alert').first().textContent()).toContain('ít nhất 3');
    await page.getByLabel('Hội đồng tư vấn: TS. Lê Thị Hồng').selectOption({ label: 'Thành viên' });
    await page.getByLabel('Hội đồng tư vấn: ThS. Phạm Văn Tâm').selectOption({ label: 'Thành viên' });
    await page.getByRole('button', { name: 'Lưu hội đồng' }).click();
    await page.waitForLoadState();
    const sheets = page.locator('form.score-sheet');
    expect(await sheets.count()).toBe(3);
    const marks = [18, 20, 20, 17, '8,5'];
    for (let i = 0; i < 3; i++) {
      const sheet = page.locator('form.score-sheet').nth(i);
      const inputs = sheet.locator('input[inputmode="decimal"]');
      for (let k = 0; k < 5; k++) await inputs.nth(k).fill(String(marks[k]));
      await sheet.getByRole('button').click();
      await page.waitForLoadState();
    }
    expect(await page.textContent('main')).toContain('Điểm trung bình của hội đồng: 83,5/100');
    await page.screenshot({ path: screenshotPath('proposal-council'), fullPage: false });
    await page.getByLabel('Ghi chú, lý do').fill('Giao đặt hàng năm 2027.');
    await page.getByRole('button', { name: 'Phê duyệt', exact: true }).click();
    await page.waitForLoadState();
    expect(await page.textContent('main')).toContain('Được phê duyệt');
    await page.context().close();
  });

  it('shows the proposer the decision on the tracking page', async () => {
    const page = await newPage(browser, 15_000);
    await page.goto(tracking);
    const main = (await page.textContent('main')) ?? '';
    expect(main).toContain('Được phê duyệt');
    expect(main).toContain('Giao đặt hàng năm 2027.');
    expect(main).toContain('83,5/100');
    await page.screenshot({ path: screenshotPath('proposal-tracking'), fullPage: false });
  });
});
