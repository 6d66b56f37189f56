import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODULES } from '../../src/app/index.js';
import { clashingModule, greetingsModule } from '../fixtures/modules/greetings/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/**
 * The module contract: a module written as one folder (test/fixtures/modules/greetings) and
 * added to the module list, as one line in src/app/modules.ts adds it, brings its page, API
 * route, job, navigation entry and messages into the app with nothing else to edit.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ work: true, modules: [...MODULES, greetingsModule] });
});
afterAll(async () => t?.close());

describe('a module added as one folder plus one line', () => {
  it('shows its page inside the shell, in both languages', async () => {
    const vi = await t.app.inject({ method: 'GET', url: '/greetings' });
    expect(vi.statusCode).toBe(200);
    expect(vi.body).toContain('<h1>Lời chào</h1>');
    expect(vi.body).toContain('class="site-header"');
    expect(vi.body).toMatch(/<a href="\/greetings"\s+aria-current="page"/);
    const en = await t.app.inject({ method: 'GET', url: '/greetings?lang=en' });
    expect(en.body).toContain('<h1>Greetings</h1>');
  });

  it('puts its entry in the main navigation and its card on the home page, in its order', async () => {
    const home = (await t.app.inject({ method: 'GET', url: '/' })).body;
    const nav = /<nav class="main-nav"[\s\S]*?<\/nav>/.exec(home)?.[0] ?? '';
    const hrefs = [...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(hrefs.indexOf('/greetings')).toBeGreaterThan(hrefs.indexOf('/plan'));
    expect(hrefs.indexOf('/greetings')).toBeLessThan(hrefs.indexOf('/organization'));
    expect(home).toMatch(/<h3><a href="\/greetings">Lời chào<\/a><\/h3>/);
  });

  it('serves its API route, documented in OpenAPI, and runs its job in the background', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, unknown> };
    expect(spec.paths['/api/v1/greetings']).toBeDefined();
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/greetings', payload: {} });
    expect(bad.statusCode).toBe(400);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/greetings', payload: { name: 'Phan Rang' } });
    expect(res.statusCode).toBe(202);
    const { job } = res.json() as { job: string };
    let state = '';
    for (let i = 0; i < 100 && state !== 'completed'; i++) {
      state = (await t.jobs.get(job))?.state ?? '';
      if (state !== 'completed') await new Promise((r) => setTimeout(r, 100));
    }
    expect(state).toBe('completed');
    expect((await t.jobs.get(job))?.output).toEqual({ greeted: 'Phan Rang' });
    expect((await t.app.inject({ method: 'GET', url: '/greetings' })).body).toContain('Đã gửi 1 lời chào.');
  });
});

describe('extending another module’s page', () => {
  it('adds its section to a dataset page through the catalog’s slot', async () => {
    const admin = await t.userWithToken({ email: 'root@greetings.vn', sysadmin: true });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/3/action/package_create',
      headers: admin.auth,
      payload: { name: 'loi-chao', title: 'Lời chào', owner_org: 'so-khcn', resources: [{ name: 'a', url: 'https://example.org/a.csv' }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    const page = await t.app.inject({ method: 'GET', url: '/dataset/loi-chao', headers: admin.auth });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<section class="greetings" data-dataset="loi-chao">\s*<h2>Lời chào<\/h2>\s*<p>1<\/p>\s*<\/section>/);
  });
});

describe('boot checks', () => {
  it('refuses a module whose message key another catalog already defines', async () => {
    await expect(createTestApp({ modules: [...MODULES, clashingModule] })).rejects.toThrow(/message key "siteName" is defined by both shell and clashing/);
  });
});
