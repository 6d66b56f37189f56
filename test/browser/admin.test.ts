import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.js';
import { createUserUnchecked } from '../../src/platform/auth/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { launchBrowser, newPage as openPage, screenshotPath, signInAs } from './browser.js';

const PASSWORD = 'mat-khau-rat-dai-123';

let t: TestApp;
let base: string;
let browser: Browser;

beforeAll(async () => {
  t = await createTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
  await createUserUnchecked(t.db.db, SYSTEM_ACTOR, { email: 'quantri@ninhthuan.gov.vn', name: 'Quản Trị Viên', password: PASSWORD, isSysadmin: true });
  await createUserUnchecked(t.db.db, SYSTEM_ACTOR, { email: 'bientap@ninhthuan.gov.vn', name: 'Biên Tập Viên', password: PASSWORD });
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const newPage = (): Promise<Page> => openPage(browser, 10_000);

const signIn = (page: Page, email: string, password = PASSWORD, next = ''): Promise<void> => signInAs(page, base, email, password, next);

describe('signing in and out', () => {
  it('shows a bilingual error on a wrong password, with status 401', async () => {
    const page = await newPage();
    await page.goto(`${base}/login`);
    await page.getByLabel('Email').fill('quantri@ninhthuan.gov.vn');
    await page.getByLabel('Mật khẩu').fill('sai-mat-khau');
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${base}/login` && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Đăng nhập' }).click(),
    ]);
    expect(res.status()).toBe(401);
    const alert = page.getByRole('alert');
    expect(await alert.textContent()).toContain('Email hoặc mật khẩu không đúng.');
    expect(await alert.textContent()).toContain('Wrong e-mail or password.');
    expect(await page.getByLabel('Email').inputValue()).toBe('quantri@ninhthuan.gov.vn');
    expect(await page.getByLabel('Mật khẩu').inputValue()).toBe('');
    await page.context().close();
  });

  it('sends anonymous visitors of admin pages to the login form and back', async () => {
    const page = await newPage();
    const res = await page.goto(`${base}/admin/users`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/admin/users');
    expect(res?.status()).toBe(200);
    await page.getByLabel('Email').fill('quantri@ninhthuan.gov.vn');
    await page.getByLabel('Mật khẩu').fill(PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(`${base}/admin/users`);
    expect(await page.textContent('h1')).toBe('Người dùng');
    await page.context().close();
  });

  it('never redirects off-site after login', async () => {
    const page = await newPage();
    await signIn(page, 'quantri@ninhthuan.gov.vn', PASSWORD, '//evil.example/x');
    expect(page.url()).toBe(`${base}/`);
    await page.context().close();
  });

  it('logs out with a POST form and the session is gone', async () => {
    const page = await newPage();
    await signIn(page, 'bientap@ninhthuan.gov.vn');
    expect(await page.textContent('.account-name')).toBe('Đã đăng nhập: Biên Tập Viên');
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL(`${base}/`);
    expect(await page.locator('.account-name').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Đăng nhập' }).count()).toBe(1);
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'tinhso_session')).toBeUndefined();
    await page.goto(`${base}/admin/tokens`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.context().close();
  });
});

describe('administration', () => {
  it('lets a sysadmin create a user through /admin/users', async () => {
    const page = await newPage();
    await signIn(page, 'quantri@ninhthuan.gov.vn');
    await page.goto(`${base}/admin/users`);
    // A validation error from the service is shown next to its field, values kept.
    await page.getByLabel('Email').fill('can-bo@ninhthuan.gov.vn');
    await page.getByLabel('Tên').fill('Cán Bộ Mới');
    await page.getByLabel('Mật khẩu').fill('ngan');
    await page.getByRole('button', { name: 'Tạo' }).click();
    await page.waitForLoadState();
    const pwd = page.getByLabel('Mật khẩu');
    expect(await pwd.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await pwd.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`#${describedBy.split(' ').pop()}`).textContent()).toContain('ít nhất 10 ký tự');
    expect(await page.getByLabel('Email').inputValue()).toBe('can-bo@ninhthuan.gov.vn');

    await page.getByLabel('Mật khẩu').fill('mot-mat-khau-du-dai');
    await page.getByLabel('Quản trị hệ thống').check();
    await page.getByRole('button', { name: 'Tạo' }).click();
    await page.waitForURL(/\/admin\/users\?created=/);
    expect(await page.getByRole('status').textContent()).toContain('can-bo@ninhthuan.gov.vn');
    const row = page.locator('tbody tr', { hasText: 'can-bo@ninhthuan.gov.vn' });
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('Cán Bộ Mới');
    expect(await row.textContent()).toContain('Quản trị hệ thống');
    await page.screenshot({ path: screenshotPath('admin-users'), fullPage: true });

    // The same e-mail again is a 409 shown on the e-mail field.
    await page.getByLabel('Email').fill('CAN-BO@ninhthuan.gov.vn');
    await page.getByLabel('Tên').fill('Trùng');
    await page.getByLabel('Mật khẩu').fill('mot-mat-khau-du-dai');
    const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Tạo' }).click()]);
    expect(res.status()).toBe(409);
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    await page.context().close();
  });

  it('shows a new token once in /admin/tokens and revokes it', async () => {
    const page = await newPage();
    await signIn(page, 'bientap@ninhthuan.gov.vn');
    await page.goto(`${base}/admin/tokens`);
    expect(await page.textContent('main')).toContain('Bạn chưa có token nào.');
    await page.getByLabel('Tên token').fill('Máy chủ báo cáo');
    await page.getByLabel('Thời hạn').fill('90d');
    await page.getByRole('button', { name: 'Tạo', exact: true }).click();
    await page.waitForLoadState();
    const token = await page.getByLabel('Giá trị token').inputValue();
    expect(token).toMatch(/^tsk_/);
    expect(await page.textContent('main')).toContain('chỉ được hiển thị một lần');
    await page.screenshot({ path: screenshotPath('admin-tokens-created'), fullPage: true });

    // The token works against the API.
    const me = (await (await fetch(`${base}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as { user: { email: string } };
    expect(me.user.email).toBe('bientap@ninhthuan.gov.vn');

    // Shown once: a reload lists it by prefix only.
    await page.goto(`${base}/admin/tokens`);
    expect(await page.getByLabel('Giá trị token').count()).toBe(0);
    expect(await page.content()).not.toContain(token);
    const row = page.locator('tbody tr', { hasText: 'Máy chủ báo cáo' });
    expect(await row.textContent()).toContain(token.slice(0, 8));

    await row.getByRole('button', { name: /Thu hồi/ }).click();
    await page.waitForURL(/revoked=1/);
    expect(await page.locator('tbody tr', { hasText: 'Máy chủ báo cáo' }).textContent()).toContain('Đã thu hồi');
    const after = await fetch(`${base}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(401);
    await page.context().close();
  });

  it('refuses /admin/users to a signed-in non-sysadmin with a 403 page', async () => {
    const page = await newPage();
    await signIn(page, 'bientap@ninhthuan.gov.vn');
    const res = await page.goto(`${base}/admin/users`);
    expect(res?.status()).toBe(403);
    expect(await page.textContent('h1')).toBe('Lỗi 403');
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    expect(await page.locator('nav.admin-nav a[href="/admin/users"]').count()).toBe(0);
    const orgs = await page.goto(`${base}/admin/organizations`);
    expect(orgs?.status()).toBe(403);
    await page.context().close();
  });

  it('lets a sysadmin create and edit an organization', async () => {
    const page = await newPage();
    await signIn(page, 'quantri@ninhthuan.gov.vn');
    await page.goto(`${base}/admin/organizations`);
    const form = page.locator('form[action="/admin/organizations"]');
    await form.getByRole('textbox', { name: 'Tên', exact: true }).fill('Trung tâm Dữ liệu tỉnh');
    await form.getByLabel('Tên tiếng Anh').fill('Provincial Data Centre');
    await form.getByLabel('Mã định danh điện tử').fill('sai-ma');
    await form.getByLabel('Loại').selectOption('agency');
    await form.getByLabel('Cơ quan cấp trên').selectOption({ label: 'Ủy ban nhân dân tỉnh Ninh Thuận' });
    await form.getByRole('button', { name: 'Tạo' }).click();
    await page.waitForLoadState();
    const code = page.getByLabel('Mã định danh điện tử');
    expect(await code.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('textbox', { name: 'Tên', exact: true }).inputValue()).toBe('Trung tâm Dữ liệu tỉnh');

    await code.fill('');
    await page.getByRole('button', { name: 'Tạo' }).click();
    await page.waitForURL(/created=/);
    expect(await page.getByRole('status').textContent()).toContain('Trung tâm Dữ liệu tỉnh');

    await page.goto(`${base}/admin/organizations/trung-tam-du-lieu-tinh/edit`);
    await page.getByLabel('Tên tiếng Anh').fill('Provincial Data Center');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.waitForURL(/saved=1/);
    expect(await page.getByLabel('Tên tiếng Anh').inputValue()).toBe('Provincial Data Center');

    const detail = await (await fetch(`${base}/organization/trung-tam-du-lieu-tinh?lang=en`)).text();
    expect(detail).toContain('<h1>Provincial Data Center</h1>');
    await page.context().close();
  });

  it('rejects a form POST without the CSRF token', async () => {
    const page = await newPage();
    await signIn(page, 'quantri@ninhthuan.gov.vn');
    const status = await page.evaluate(async () => {
      const r = await fetch('/admin/users', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'email=x%40y.vn&name=X&password=0123456789ab',
      });
      return r.status;
    });
    expect(status).toBe(403);
    await page.context().close();
  });
});
