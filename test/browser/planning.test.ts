import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { launchBrowser, membersWithPassword, newPage, screenshotPath, signInAs } from './browser.js';

/**
 * The annual report in Chromium: the environment department's officer fills the form, is told
 * what is missing, submits; the Department of Science and Technology returns it with a reason for
 * one task; the officer fixes and resubmits; the Department accepts, and downloads the
 * consolidated report.
 */
const PASSWORD = 'mat-khau-rat-dai-123';
const YEAR = 2026;
const OFFICER = 'canbo.tnmt@ninhthuan.gov.vn';
const REVIEWER = 'chuyenvien.khcn@ninhthuan.gov.vn';
let t: TestApp;
let base: string;
let browser: Browser;

beforeAll(async () => {
  t = await createTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
  await membersWithPassword(t, PASSWORD, [
    [OFFICER, 'so-tnmt', 'Cán bộ so-tnmt'],
    [REVIEWER, 'so-khcn', 'Cán bộ so-khcn'],
  ]);
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const form = `/plan/reports/${YEAR}/so-tnmt`;
const field = (page: Page, name: string) => page.locator(`[name="${name}"]`);

describe('the annual report in Chromium', () => {
  let officer: Page;
  let reviewer: Page;

  it('lets the officer save a draft, names what is missing, then submits', async () => {
    officer = await newPage(browser, 15_000);
    await signInAs(officer, base, OFFICER, PASSWORD, '/plan/reports');
    await officer.waitForURL(`${base}/plan/reports`);
    await officer.getByRole('link', { name: /Sở Tài nguyên và Môi trường/ }).click();
    await officer.waitForURL(`${base}${form}`);
    expect(await officer.textContent('h1')).toContain(`Báo cáo năm ${YEAR}`);

    await field(officer, 'sections.IV.8.1.status').selectOption({ label: 'Đang triển khai' });
    await field(officer, 'sections.IV.8.1.done').fill('Lắp đặt 3 trạm quan trắc không khí tự động tại Phan Rang – Tháp Chàm.');
    await officer.getByRole('button', { name: 'Lưu nháp' }).click();
    await officer.waitForLoadState();
    expect(await officer.getByRole('status').first().textContent()).toContain('Đã lưu nháp');
    expect(await field(officer, 'sections.IV.8.1.done').inputValue()).toContain('3 trạm');
    // An evidence file goes with the draft, listed under its task, downloadable.
    await field(officer, 'file.IV.8.1').setInputFiles({
      name: 'Biên bản lắp đặt trạm.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n% biên bản\n%%EOF\n'),
    });
    await officer.getByRole('button', { name: 'Lưu nháp' }).click();
    await officer.waitForLoadState();
    const link = officer.getByRole('link', { name: 'Biên bản lắp đặt trạm.pdf' });
    expect(await link.count()).toBe(1);
    const [download] = await Promise.all([officer.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('Biên bản lắp đặt trạm.pdf');

    // Submitting now names every task still without a status and every value still owed.
    const names = await officer.locator('select[name$=".status"]').evaluateAll((els) => els.map((e) => (e as HTMLSelectElement).name));
    const other = names.find((n) => n !== 'sections.IV.8.1.status')!.replace(/^sections\.(.*)\.status$/, '$1');
    await officer.getByRole('button', { name: 'Gửi báo cáo' }).click();
    await officer.waitForLoadState();
    const summary = (await officer.getByRole('alert').first().textContent()) ?? '';
    expect(summary).toContain(`Nhiệm vụ ${other}: chọn trạng thái.`);
    expect(summary).not.toContain('IV.8.1: chọn');
    // Each item links to its field.
    await officer
      .getByRole('alert')
      .first()
      .getByRole('link', { name: `Nhiệm vụ ${other}: chọn trạng thái.` })
      .click();
    expect(decodeURIComponent(await officer.evaluate(() => location.hash))).toBe(`#rep-sections.${other}.status`);
    await officer.screenshot({ path: screenshotPath('planning-report-missing'), fullPage: false });

    const statuses = await officer.locator('select[name$=".status"]').all();
    expect(statuses.length).toBeGreaterThan(3);
    for (const s of statuses) if ((await s.inputValue()) === '') await s.selectOption({ label: 'Chưa triển khai' });
    // A task not started must say why: submitting names each such task.
    await officer.getByRole('button', { name: 'Gửi báo cáo' }).click();
    await officer.waitForLoadState();
    expect(await officer.getByRole('alert').first().textContent()).toContain(`Nhiệm vụ ${other}: nêu khó khăn, vướng mắc.`);
    for (const d of await officer.locator('textarea[name$=".difficulties"]').all())
      if ((await d.inputValue()) === '') await d.fill('Chưa bố trí được kinh phí và nhân lực.');
    for (const v of await officer.locator('input[name^="values."]').all()) await v.fill('1.234,5');
    await officer.getByRole('button', { name: 'Gửi báo cáo' }).click();
    await officer.waitForLoadState();
    expect(await officer.getByRole('status').first().textContent()).toContain('Đã gửi báo cáo');
    expect(await officer.textContent('main')).toContain('đang chờ xem xét');
    expect(await officer.locator('select[name$=".status"]').count()).toBe(0);
  });

  it('lets the Department return it with a reason for one task', async () => {
    reviewer = await newPage(browser, 15_000);
    await signInAs(reviewer, base, REVIEWER, PASSWORD, `/plan/reports/${YEAR}`);
    await reviewer.waitForURL(`${base}/plan/reports/${YEAR}`);
    const row = reviewer.getByRole('region', { name: 'Tổng hợp các đơn vị' }).getByRole('row', { name: /Sở Tài nguyên và Môi trường/ });
    expect(await row.textContent()).toContain('Đã gửi');
    await reviewer.screenshot({ path: screenshotPath('planning-overview'), fullPage: false });
    await row.getByRole('link').first().click();
    await reviewer.waitForURL(`${base}${form}`);
    await reviewer.getByLabel('Yêu cầu bổ sung cho nhiệm vụ IV.8.1').fill('Nêu số trạm đã truyền dữ liệu về Sở.');
    await reviewer.getByLabel('Lý do trả lại (chung)').fill('Bổ sung kết quả cụ thể.');
    await reviewer.getByRole('button', { name: 'Trả lại' }).click();
    await reviewer.waitForLoadState();
    expect(await reviewer.getByRole('status').first().textContent()).toContain('Đã trả lại báo cáo');
  });

  it('shows the officer the reasons; the resubmission is accepted and locks', async () => {
    await officer.goto(`${base}${form}`);
    expect(await officer.getByRole('alert').first().textContent()).toContain('Bổ sung kết quả cụ thể.');
    expect(await officer.textContent('main')).toContain('Nêu số trạm đã truyền dữ liệu về Sở.');
    await field(officer, 'sections.IV.8.1.results').fill('3 trạm truyền dữ liệu trực tiếp về Sở.');
    await field(officer, 'sections.IV.8.1.evidence').fill('https://tinhso.example.vn/environment');
    await officer.screenshot({ path: screenshotPath('planning-report-returned'), fullPage: false });
    await officer.getByRole('button', { name: 'Gửi báo cáo' }).click();
    await officer.waitForLoadState();
    expect(await officer.getByRole('status').first().textContent()).toContain('Đã gửi báo cáo');

    await reviewer.goto(`${base}${form}`);
    expect(await reviewer.textContent('main')).toContain('3 trạm truyền dữ liệu trực tiếp về Sở.');
    await reviewer.getByRole('button', { name: 'Chấp nhận' }).click();
    await reviewer.waitForLoadState();
    expect(await reviewer.getByRole('status').first().textContent()).toContain('Đã chấp nhận báo cáo');
    const timeline = (await reviewer.locator('.timeline').textContent()) ?? '';
    for (const step of ['Lưu nháp', 'Gửi báo cáo', 'Trả lại', 'Gửi lại', 'Chấp nhận']) expect(timeline).toContain(step);
    await reviewer.screenshot({ path: screenshotPath('planning-report-accepted'), fullPage: false });

    await officer.goto(`${base}${form}`);
    expect(await officer.textContent('main')).toContain('đã được chấp nhận và khóa');
    expect(await officer.getByRole('button', { name: 'Gửi báo cáo' }).count()).toBe(0);
  });

  it('gives the Department the consolidated report as Word with the unit’s answer in it', async () => {
    await reviewer.goto(`${base}/plan/reports/${YEAR}`);
    const [download] = await Promise.all([
      reviewer.waitForEvent('download'),
      reviewer
        .getByRole('link', { name: /DOCX|Word/ })
        .first()
        .click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.docx$/);
    const file = await download.path();
    expect(file).toBeTruthy();
    const { default: mammoth } = await import('mammoth');
    const text = (await mammoth.extractRawText({ path: file })).value;
    expect(text).toContain('3 trạm truyền dữ liệu trực tiếp về Sở.');
  });

  it('lets the Department finalise it and send it as an electronic document', async () => {
    await sql`update organization set organ_code = '000.00.20.H58' where slug = 'so-khcn'`.execute(t.db.db);
    await sql`update organization set organ_code = '000.00.15.H58' where slug = 'so-tnmt'`.execute(t.db.db);
    await reviewer.goto(`${base}/plan/reports/${YEAR}`);
    await reviewer.getByLabel('Số, ký hiệu').fill('215/BC-SKHCN');
    await reviewer.getByLabel('Ngày ban hành (dd/mm/yyyy)').fill('20/11/2026');
    await reviewer.getByLabel('Họ tên người ký').fill('Nguyễn Văn Thành');
    await reviewer.getByRole('button', { name: 'Hoàn thiện báo cáo' }).click();
    await reviewer.waitForLoadState();
    await reviewer.getByLabel('Gửi tới (mã định danh cơ quan nhận)').fill('000.00.15.H58');
    await reviewer.getByRole('button', { name: 'Gửi văn bản điện tử' }).click();
    await reviewer.waitForLoadState();
    expect(await reviewer.getByRole('status').first().textContent()).toContain('Đã gửi báo cáo dưới dạng văn bản điện tử');
    await reviewer.goto(`${base}/edoc/org/so-khcn/outbox`);
    expect(await reviewer.textContent('main')).toContain('215/BC-SKHCN');
    await reviewer.screenshot({ path: screenshotPath('planning-sent-outbox'), fullPage: false });
  });
});
