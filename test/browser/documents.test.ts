import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { launchBrowser, membersWithPassword, newPage, screenshotPath, signInAs } from './browser.js';

const PASSWORD = 'mat-khau-rat-dai-123';
let t: TestApp;
let base: string;
let browser: Browser;

beforeAll(async () => {
  t = await createTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
  await sql`update organization set organ_code = '000.00.15.H58' where slug = 'so-tnmt'`.execute(t.db.db);
  await sql`update organization set organ_code = '000.00.20.H58' where slug = 'so-khcn'`.execute(t.db.db);
  await membersWithPassword(t, PASSWORD, [
    ['vanthu.tnmt@ninhthuan.gov.vn', 'so-tnmt', 'Văn thư so-tnmt'],
    ['vanthu.khcn@ninhthuan.gov.vn', 'so-khcn', 'Văn thư so-khcn'],
  ]);
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function reloadUntil(page: Page, text: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if ((await page.textContent('main'))?.includes(text)) return;
    await page.waitForTimeout(200);
    await page.reload();
  }
  throw new Error(`page never showed “${text}”`);
}

describe('electronic documents in Chromium', () => {
  it('takes a clerk from compose (with an attachment and its progress) to the recipient’s answer', async () => {
    const page = await newPage(browser, 15_000);
    await signInAs(page, base, 'vanthu.tnmt@ninhthuan.gov.vn', PASSWORD, '/edoc');
    await page.waitForURL(`${base}/edoc`);
    await page.getByRole('link', { name: 'Soạn văn bản đi' }).click();
    // Every mistake is named at once, next to its field; nothing is sent.
    await page.getByLabel('Số văn bản').fill('12');
    await page.getByLabel('Ngày ban hành').fill('31/02/2026');
    await page.getByRole('button', { name: 'Gửi văn bản' }).click();
    const summary = await page.getByRole('alert').textContent();
    expect(summary).toContain('Chọn ít nhất một nơi nhận');
    expect(summary).toContain('Ngày ban hành');
    expect(summary).toContain('Trích yếu');
    // Now right: a recipient, the metadata, an attachment.
    await page.getByLabel('Nơi nhận (mã định danh)').selectOption('000.00.20.H58');
    await page.getByLabel('Ngày ban hành').fill('14/11/2026');
    await page.getByLabel('Ký hiệu').fill('STNMT-MT');
    await page.getByLabel('Trích yếu').fill('Về việc chia sẻ số liệu quan trắc môi trường');
    await page.getByLabel('Độ khẩn').selectOption({ label: 'Khẩn' });
    await page
      .getByLabel('Tệp đính kèm')
      .setInputFiles({ name: 'Phụ lục số liệu.csv', mimeType: 'text/csv', buffer: Buffer.from('tram,pm25\nPhan Rang,21,5\n'.repeat(5000)) });
    await page.getByRole('button', { name: 'Gửi văn bản' }).click();
    await page.waitForURL(/\/edoc\/doc\/[0-9a-f-]{36}\?msg=sent$/);
    expect(await page.getByRole('status').first().textContent()).toContain('Đã gửi văn bản');
    expect(await page.textContent('h1')).toContain('12/STNMT-MT');
    expect(await page.getByRole('link', { name: 'Phụ lục số liệu.csv' }).count()).toBe(1);
    await reloadUntil(page, '01 · Đã đến');
    await page.screenshot({ path: screenshotPath('documents-sent'), fullPage: true });

    // The recipient's clerk finds it in the inbox (accents optional in search) and registers it.
    const other = await newPage(browser, 15_000);
    await signInAs(other, base, 'vanthu.khcn@ninhthuan.gov.vn', PASSWORD, '/edoc/org/so-khcn/inbox');
    await other.getByLabel('Số, trích yếu, nơi gửi (không cần dấu)').fill('so lieu quan trac');
    await other.getByRole('button', { name: 'Tìm' }).click();
    await other.getByRole('link', { name: '12/STNMT-MT' }).click();
    await other.getByLabel('Trạng thái mới').selectOption('03');
    await other.getByRole('button', { name: 'Cập nhật', exact: true }).click();
    expect(await other.textContent('main')).toContain('03 · Đã tiếp nhận, vào sổ');
    await other.screenshot({ path: screenshotPath('documents-received'), fullPage: true });
    // Back at the sender, the status has come back.
    await reloadUntil(page, '03 · Đã tiếp nhận, vào sổ');
  });
});
