import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.js';
import { createUserUnchecked } from '../../src/platform/auth/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { B_SUB, call, OPENAPI, startProvider } from '../exchange/helpers.js';
import { launchBrowser, newPage as openPage, screenshotPath, signInAs } from './browser.js';

const PASSWORD = 'mat-khau-rat-dai-123';
const SERVICE = 'VN-NT/GOV/000.00.15.H58/quan-trac/tram-quan-trac';

let t: TestApp;
let base: string;
let browser: Browser;
let provider: Awaited<ReturnType<typeof startProvider>>;

beforeAll(async () => {
  provider = await startProvider();
  t = await createTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
  await createUserUnchecked(t.db.db, SYSTEM_ACTOR, { email: 'quantri@ninhthuan.gov.vn', name: 'Quản Trị Viên', password: PASSWORD, isSysadmin: true });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
  await provider?.close();
});

const registry = (url: string) => `instance: VN-NT
members:
  - class: GOV
    code: 000.00.15.H58
    name: Sở Tài nguyên và Môi trường
    organization: so-tnmt
    subsystems:
      - code: quan-trac
        services:
          - code: tram-quan-trac
            url: ${url}/api/
            openapi: |
${OPENAPI.split('\n')
  .map((l) => `              ${l}`)
  .join('\n')}
  - class: GOV
    code: 000.00.20.H58
    name: Sở Khoa học và Công nghệ
    organization: so-khcn
    subsystems:
      - code: cong-du-lieu
`;

describe('the exchange pages in Chromium', () => {
  it('takes a sysadmin from the registry file to a granted, logged call', async () => {
    const page: Page = await openPage(browser, 15_000);
    await signInAs(page, base, 'quantri@ninhthuan.gov.vn', PASSWORD, '/exchange/registry');
    await page.waitForURL(`${base}/exchange/registry`);
    // An invalid file: the error names the place in the file, and nothing is applied.
    await page.getByLabel('Tệp đăng ký (YAML)').fill('instance: VN-NT\nmembers:\n  - class: GOV\n    code: "sai mã"\n    name: X\n');
    await page.getByRole('button', { name: 'Áp dụng' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('members[0].code');
    await page.getByLabel('Tệp đăng ký (YAML)').fill(registry(provider.url));
    await page.getByRole('button', { name: 'Xem trước' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Sẽ áp dụng');
    await page.getByRole('button', { name: 'Áp dụng' }).click();
    expect(await page.getByRole('status').textContent()).toContain(`+ service ${SERVICE}`);

    // The directory, then the service with its rendered OpenAPI description.
    await page.getByRole('link', { name: 'Danh bạ' }).click();
    await page.getByRole('link', { name: 'tram-quan-trac' }).click();
    expect(await page.textContent('h1')).toBe('tram-quan-trac');
    const endpoints = page.getByRole('table', { name: 'Mô tả API (OpenAPI)' });
    expect(await endpoints.textContent()).toContain('/stations/{id}/observations');
    expect(await endpoints.textContent()).toContain('Một trạm quan trắc');
    expect(await page.textContent('body')).toContain('Chưa cấp quyền cho ai');

    // Grant: a bad endpoint is refused with its reason, a good one is listed.
    await page.getByLabel('Bên gọi').fill(B_SUB);
    await page.getByLabel('Điểm cuối').fill('FETCH /x');
    await page.getByRole('button', { name: 'Cấp quyền' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('FETCH /x');
    await page.getByLabel('Điểm cuối').fill('GET /stations/*');
    await page.getByRole('button', { name: 'Cấp quyền' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Đã cấp quyền.');
    expect(await page.getByRole('table').nth(1).textContent()).toContain('GET /stations/*');

    // A token for the client system, shown once.
    await page.getByRole('link', { name: 'Thông tin xác thực' }).click();
    await page.getByLabel('Hệ thống thông tin').selectOption(B_SUB);
    await page.getByRole('button', { name: 'Cấp mã truy cập' }).click();
    const token = await page.locator('#issued-token').inputValue();
    expect(token).toMatch(/^xr_/);
    await page.screenshot({ path: screenshotPath('exchange-credentials'), fullPage: true });

    // The client system calls through the gateway with it.
    await new Promise((r) => setTimeout(r, 1200));
    const r = await call(base, `/r1/${SERVICE}/stations/NT09`, { token, client: B_SUB, headers: { 'x-road-id': 'browser-call' } });
    expect(r.status).toBe(200);
    await new Promise((res) => setTimeout(res, 300));

    // The call in the log (filtered by service) and in the statistics.
    await page.getByRole('link', { name: 'Nhật ký giao dịch' }).click();
    await page.getByLabel('Dịch vụ').fill(SERVICE);
    await page.getByRole('button', { name: 'Lọc' }).click();
    const log = page.locator('table.xr-log');
    expect(await log.textContent()).toContain('GET /stations/NT09');
    expect(await log.textContent()).toContain(B_SUB);
    await page.getByRole('link', { name: 'Thống kê' }).click();
    expect(await page.getByRole('table').textContent()).toContain(SERVICE);
    await page.screenshot({ path: screenshotPath('exchange-stats'), fullPage: true });
    await page.context().close();
  });
});
