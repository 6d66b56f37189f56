import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { chromium, type Browser, type Page } from 'playwright-core';
import { setMember } from '../../src/modules/organizations/index.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.js';
import { createUserUnchecked, systemPrincipal, type OrgRole } from '../../src/platform/auth/index.js';
import type { TestApp } from '../helpers/app.js';

export const SCREENS = path.resolve('.tmp/screens');

/** Debian's Chromium, headless, with nothing phoning home. */
export async function launchBrowser(): Promise<Browser> {
  fs.mkdirSync(SCREENS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const screenshotPath = (name: string): string => path.join(SCREENS, `${name}.png`);

/** A fresh Vietnamese-locale desktop page that accepts dialogs (confirm before delete). */
export async function newPage(browser: Browser, timeoutMs: number): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'vi-VN', viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  page.on('dialog', (d) => void d.accept());
  page.setDefaultTimeout(timeoutMs);
  return page;
}

/** Signs in through the login form (Vietnamese labels), then waits for the page it lands on. */
export async function signInAs(page: Page, base: string, email: string, password: string, next = ''): Promise<void> {
  await page.goto(`${base}/login${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForLoadState();
}

/** Users who sign in with `password`, each a member of an organization (by slug) with a role, named after it. */
export async function membersWithPassword(
  t: TestApp,
  password: string,
  users: readonly (readonly [email: string, org: string, name: string, role?: OrgRole])[],
): Promise<void> {
  for (const [email, slug, name, role = 'editor'] of users) {
    const u = await createUserUnchecked(t.db.db, SYSTEM_ACTOR, { email, name, password, isSysadmin: false });
    const org = (await sql<{ id: string }>`select id from organization where slug = ${slug}`.execute(t.db.db)).rows[0]!.id;
    await setMember(t.db.db, systemPrincipal(), SYSTEM_ACTOR, org, u.id, role);
  }
}
