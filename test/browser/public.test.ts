import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { launchBrowser, screenshotPath } from './browser.js';

const AREAS = ['/dataset', '/map', '/environment', '/tourism', '/transport', '/documents'];

let t: TestApp;
let base: string;
let browser: Browser;

beforeAll(async () => {
  t = await createTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('web shell without JavaScript (plain fetch)', () => {
  it('server-renders the home page in Vietnamese by default', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await res.text();
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<html lang="vi">');
    expect(page).toContain('Tỉnh Số — Ninh Thuận');
    expect(page).toContain('1/7/2025');
    expect(page).toContain('href="#main"');
    for (const href of AREAS) expect(page).toContain(`href="${href}"`);
    expect(page).toContain('href="/api/docs"');
    expect(page).toContain('Apache-2.0');
    const orgCount = Number(/data-stat="organizations">([\d.]+)</.exec(page)?.[1]?.replace('.', ''));
    expect(orgCount).toBeGreaterThan(10);
  });

  it('renders English on ?lang=en and remembers it in the lang cookie', async () => {
    const res = await fetch(`${base}/?lang=en`);
    const page = await res.text();
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('Open data for Ninh Thuận');
    expect(res.headers.get('set-cookie')).toMatch(/^lang=en;/);
    const again = await (await fetch(`${base}/organization`, { headers: { cookie: 'lang=en' } })).text();
    expect(again).toContain('<html lang="en">');
  });

  it('renders a real page for every coming area', async () => {
    for (const href of AREAS.filter((h) => h !== '/dataset' && h !== '/environment')) {
      const res = await fetch(`${base}${href}`);
      expect(res.status, href).toBe(200);
      const page = await res.text();
      expect(page).toContain('Đang xây dựng');
      expect(page).toContain('aria-current="page"');
    }
  });

  it('shows the organization tree and an organization page', async () => {
    const tree = await (await fetch(`${base}/organization`)).text();
    expect(tree).toContain('<details open>');
    expect(tree).toContain('Ủy ban nhân dân tỉnh Ninh Thuận');
    expect(tree).toContain('Sở Khoa học và Công nghệ');
    const detail = await fetch(`${base}/organization/so-khcn`);
    expect(detail.status).toBe(200);
    const page = await detail.text();
    expect(page).toContain('<h1>Sở Khoa học và Công nghệ</h1>');
    expect(page).toContain('href="/organization/ubnd-tinh-ninh-thuan"');
  });

  it('keeps the earlier /organizations paths as permanent redirects to the one family of organization pages', async () => {
    const tree = await fetch(`${base}/organizations?lang=en`, { redirect: 'manual' });
    expect(tree.status).toBe(301);
    expect(tree.headers.get('location')).toBe('/organization?lang=en');
    const one = await fetch(`${base}/organizations/so-khcn`, { redirect: 'manual' });
    expect(one.status).toBe(301);
    expect(one.headers.get('location')).toBe('/organization/so-khcn');
  });

  it('answers unknown pages with an HTML 404, unknown API paths with problem+json', async () => {
    const org = await fetch(`${base}/organization/khong-co`);
    expect(org.status).toBe(404);
    expect(org.headers.get('content-type')).toContain('text/html');
    expect(await org.text()).toContain('Không tìm thấy cơ quan, đơn vị.');
    const page = await fetch(`${base}/khong-co-trang-nay`);
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toContain('text/html');
    const api = await fetch(`${base}/api/v1/khong-co`);
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
  });

  it('keeps the HTML routes out of the OpenAPI document', async () => {
    const spec = (await (await fetch(`${base}/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
    for (const p of ['/', '/login', '/admin/users', '/organization', '/dataset']) expect(spec.paths[p]).toBeUndefined();
  });

  it('serves the stylesheet the layout links', async () => {
    const page = await (await fetch(`${base}/`)).text();
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(page)?.[1];
    expect(href).toBeTruthy();
    const css = await fetch(`${base}${href}`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    if (href!.startsWith('/assets/main-')) expect(css.headers.get('cache-control')).toContain('immutable');
  });
});

describe('web shell in Chromium', () => {
  it('is Vietnamese by default and switches to English', async () => {
    // A browser asking for a language we do not have gets the default: Vietnamese.
    const ctx = await browser.newContext({ locale: 'fr-FR' });
    const page = await ctx.newPage();
    await page.goto(`${base}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    expect(await page.textContent('h1')).toBe('Dữ liệu mở cho Ninh Thuận');
    await page.screenshot({ path: screenshotPath('home-vi'), fullPage: true });

    await page.click('nav.lang-switch >> text=English');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('h1')).toBe('Open data for Ninh Thuận');
    await page.screenshot({ path: screenshotPath('home-en'), fullPage: true });

    // The choice sticks across pages (cookie), without ?lang=.
    await page.click('nav.main-nav >> text=Map');
    expect(new URL(page.url()).pathname).toBe('/map');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('h1')).toBe('Map');
    await page.click('nav.lang-switch >> text=Tiếng Việt');
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    expect(await page.textContent('h1')).toBe('Bản đồ');
    await ctx.close();
  });

  it('is keyboard accessible: skip link first, then every navigation link', async () => {
    const ctx = await browser.newContext({ locale: 'vi-VN' });
    const page = await ctx.newPage();
    await page.goto(`${base}/`);
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => ({ text: document.activeElement?.textContent, href: document.activeElement?.getAttribute('href') }));
    expect(first).toEqual({ text: 'Bỏ qua, đến nội dung chính', href: '#main' });
    // The skip link is visible when focused.
    const box = await page.locator('.skip-link').boundingBox();
    expect(box && box.y >= 0).toBe(true);

    const reached = new Set<string>();
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      const href = await page.evaluate(() => document.activeElement?.getAttribute('href'));
      if (href) reached.add(href);
    }
    for (const href of ['/', ...AREAS, '/organization']) expect(reached, href).toContain(href);

    // Enter on a focused navigation link follows it.
    await page.goto(`${base}/`);
    await page.focus('nav.main-nav a[href="/tourism"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/tourism`);
    expect(await page.textContent('h1')).toBe('Du lịch');

    // The skip link moves focus to the main content.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await ctx.close();
  });

  it('expands and collapses the organization tree with the keyboard', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/organization`);
    const district = page.locator('ul.tree details details').first();
    expect(await district.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    await district.locator('summary').first().focus();
    await page.keyboard.press('Enter');
    expect(await district.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    await page.close();
  });
});
