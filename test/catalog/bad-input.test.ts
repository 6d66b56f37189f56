import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.js';
import { systemPrincipal } from '../../src/platform/auth/index.js';
import { createDataset, MAX_SPELLED, spellingPlan } from '../../src/modules/catalog/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { call, makeUsers, multipart, type Users } from './ckan-helpers.js';

/** Input an attacker (or a broken client) sends: each answer is a 4xx in the usual shape, never a 500. */
let t: TestApp;
let u: Users;

beforeAll(async () => {
  t = await createTestApp();
  u = await makeUsers(t);
  await createDataset(t.db.db, systemPrincipal(), SYSTEM_ACTOR, { name: 'nuoc-thai', title: 'Nước thải công nghiệp', owner_org: 'so-tnmt', tags: ['nước'] });
});
afterAll(() => t?.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

describe('bad input is refused cheaply and clearly', () => {
  it('answers a NUL byte in an id, q, fq or query with 400 naming the field, in the CKAN shape', async () => {
    for (const [url, field] of [
      ['/api/3/action/package_show?id=a%00b', 'id'],
      ['/api/3/action/package_search?q=a%00b', 'q'],
      ['/api/3/action/package_search?fq=tags:a%00b', 'fq'],
      ['/api/3/action/tag_list?query=a%00b', 'query'],
    ] as const) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(400);
      const body = r.json<{ success: boolean; error: Record<string, unknown> }>();
      expect(body.success).toBe(false);
      expect(body.error.__type).toBe('Validation Error');
      expect(body.error[field], url).toBeDefined();
    }
    const posted = await call(t, 'package_create', { name: 'x\u0000y', title: 't', owner_org: 'so-tnmt' }, u.editor);
    expect(posted.status).toBe(400);
    expect(posted.body.error.name).toBeDefined();
    expect((await get('/dataset?q=a%00b')).statusCode).toBe(400);
    expect((await get('/dataset/a%00b')).statusCode).toBe(400);
    const api = await get('/api/v1/organizations/a%00b');
    expect(api.statusCode).toBe(400);
    expect(api.json<{ code: string }>().code).toBe('invalid_characters');
  });

  it('refuses deeply nested fq and q (parentheses, NOT, -) as a Search Query Error', async () => {
    for (const q of [`fq=${'('.repeat(5000)}tags:a`, `fq=tags:${'('.repeat(3000)}a`, `q=${'NOT '.repeat(5000)}tags:a`, `fq=${'-'.repeat(3000)}tags:a`]) {
      const r = await get(`/api/3/action/package_search?${q}`);
      expect(r.statusCode, q.slice(0, 20)).toBe(400);
      expect(r.json<{ error: { __type: string } }>().error.__type).toBe('Search Query Error');
    }
    const shallow = await get(`/api/3/action/package_search?fq=${encodeURIComponent('((tags:nước))')}`);
    expect(shallow.json<{ result: { count: number } }>().result.count).toBe(1);
  });

  it('answers a free text of thousands of unknown words, spelling only the first few unknown ones', async () => {
    const words = Array.from({ length: 3000 }, (_, i) => `zq${i.toString(36)}x`);
    const r = await get(`/api/3/action/package_search?q=${encodeURIComponent(['nuoz', ...words].join(' ').slice(0, 3900))}`);
    expect(r.statusCode).toBe(200);
    const plan = await spellingPlan(t.db.db, ['thaj', 'zzzqa', 'zzzqb', 'zzzqc', 'zzzqd', 'zzzqe', 'zzzqf', 'nuoz']);
    // 'thaj' is within the first MAX_SPELLED unknown syllables and gets its spelling; 'nuoz' is past them.
    expect(MAX_SPELLED).toBeLessThan(8);
    expect(plan.corrected?.flat()).toContain('thai');
    expect(plan.corrected?.flat()).not.toContain('nuoc');
    expect((await get(`/api/3/action/package_search?q=${'x'.repeat(5000)}`)).statusCode).toBe(400);
  });

  it('treats facet.field names such as __proto__ and constructor as plain names', async () => {
    const r = await get(`/api/3/action/package_search?facet.field=${encodeURIComponent('["__proto__","constructor","toString","tags"]')}`);
    expect(r.statusCode, r.body).toBe(200);
    const facets = JSON.parse(r.body).result.facets as Record<string, unknown>;
    expect(Object.keys(facets).sort()).toEqual(['__proto__', 'constructor', 'tags', 'toString']);
    expect(facets.tags).toEqual({ nước: 1 });
    const many = await get(`/api/3/action/package_search?facet.field=${encodeURIComponent(JSON.stringify(Array.from({ length: 50 }, (_, i) => `f${i}`)))}`);
    expect(many.statusCode).toBe(400);
  });

  it('refuses integers beyond the safe range instead of passing them to PostgreSQL', async () => {
    expect((await get('/api/3/action/package_list?limit=1e308')).statusCode).toBe(409);
    const r = await call(t, 'package_list', { offset: 1e308 });
    expect(r.status).toBe(409);
    expect(r.body.error.offset).toEqual(['Invalid integer']);
  });

  it('bounds token lifetimes at the edge: 10000y is a 400 and the token list keeps working', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: u.editor, payload: { name: 'forever', expiresIn: '10000y' } });
    expect(r.statusCode).toBe(400);
    expect(r.json<{ field: string }>().field).toBe('expiresIn');
    const list = await t.app.inject({ url: '/api/v1/tokens', headers: u.editor });
    expect(list.statusCode).toBe(200);
    expect(list.json<{ name: string }[]>().some((x) => x.name === 'forever')).toBe(false);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: u.editor, payload: { name: 'decade', expiresIn: '10y' } })).statusCode).toBe(
      201,
    );
  });

  it('reports every invalid field of a package at once, as CKAN does', async () => {
    const r = await call(t, 'package_create', {}, u.editor);
    expect(r.status).toBe(409);
    expect(Object.keys(r.body.error).sort()).toEqual(['__type', 'message', 'name', 'owner_org', 'title']);
    const two = await call(t, 'package_create', { title: 'Có tiêu đề', owner_org: 'so-tnmt', license_id: 'khong-co', contact_email: 'not-an-email' }, u.editor);
    expect(two.status).toBe(409);
    expect(Object.keys(two.body.error).sort()).toEqual(['__type', 'contact_email', 'license_id', 'message']);
    const problem = await t.app.inject({
      method: 'POST',
      url: '/api/3/action/package_create',
      headers: { ...u.editor, 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(problem.statusCode).toBe(409);
  });

  it('serves uploads with file names of up to 200 characters at the URL it advertises', async () => {
    const filename = `${'bao-cao-quan-trac-chat-luong-nuoc-'.repeat(5).slice(0, 150)}.csv`;
    const body = multipart({ package_id: 'nuoc-thai', name: 'Tệp dài' }, { field: 'upload', filename, type: 'text/csv', content: Buffer.from('a,b\n1,2\n') });
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/3/action/resource_create',
      headers: { ...u.editor, ...body.headers },
      payload: body.payload,
    });
    expect(created.statusCode, created.body).toBe(200);
    const url = new URL(created.json<{ result: { url: string } }>().result.url);
    const file = await get(url.pathname);
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe('a,b\n1,2\n');
  });

  it('shows display names, not login e-mails, on the public activity page; sysadmins also see e-mails', async () => {
    const lan = await t.userWithToken({ email: 'lan.nguyen@tnmt.test', name: 'Nguyễn Thị Lan' });
    await t.app.inject({ method: 'PUT', url: `/api/v1/organizations/so-tnmt/members/${lan.id}`, headers: u.sys, payload: { role: 'editor' } });
    expect((await call(t, 'package_patch', { id: 'nuoc-thai', notes: 'Sửa bởi biên tập viên' }, lan.auth)).status).toBe(200);
    const anon = await get('/dataset/nuoc-thai/activity');
    expect(anon.statusCode).toBe(200);
    expect(anon.body).toContain('Nguyễn Thị Lan');
    expect(anon.body).not.toContain('lan.nguyen@tnmt.test');
    expect((await get('/dataset/nuoc-thai/activity', u.editor)).body).not.toContain('lan.nguyen@tnmt.test');
    expect((await get('/dataset/nuoc-thai/activity', u.sys)).body).toContain('lan.nguyen@tnmt.test');
  });
});
