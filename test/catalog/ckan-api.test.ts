import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ckanRoutes } from '../../src/modules/catalog/ckan/index.js';
import { installAuth } from '../../src/platform/auth/index.js';
import { loadConfig } from '../../src/platform/config/index.js';
import { createHttpServer } from '../../src/platform/http/index.js';
import { LocalFileStore } from '../../src/platform/storage/index.js';
import { loadMemberships } from '../../src/modules/organizations/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { call, CKAN_ORGANIZATION_KEYS, CKAN_PACKAGE_KEYS, CKAN_RESOURCE_KEYS, CKAN_TAG_KEYS, makeUsers, multipart, type Users } from './ckan-helpers.js';

let t: TestApp;
let u: Users;
const HELP = /\/api\/3\/action\/help_show\?name=/;

beforeAll(async () => {
  t = await createTestApp();
  u = await makeUsers(t);
});
afterAll(async () => t?.close());

const create = async (name: string, extra: Record<string, unknown> = {}, who: Record<string, string> = u.editor) => {
  const r = await call(t, 'package_create', { name, title: `Bộ dữ liệu ${name}`, owner_org: 'so-tnmt', ...extra }, who);
  expect(r.status, r.raw).toBe(200);
  return r.body.result;
};

describe('CKAN API: routes and envelope', () => {
  it('answers /api/3 with the version', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/3' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ version: 3 });
  });

  it('rejects unknown actions with a bare JSON string', async () => {
    for (const url of ['/api/3/action/no_such_action', '/api/action/no_such_action']) {
      const r = await t.app.inject({ method: 'GET', url });
      expect(r.statusCode).toBe(400);
      expect(r.json()).toBe('Bad request: Action name not known: no_such_action');
    }
  });

  it('refuses GET on write actions', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/3/action/package_create?name=x' });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toBe('Bad request: JSON Error: Invalid request. Please use POST method for your request');
  });

  it('answers bad JSON with a bare 400 string', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/action/package_show', payload: '{"id": ', headers: { 'content-type': 'application/json' } });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatch(/^Bad request - JSON Error/);
  });

  it('wraps results: help, success, result', async () => {
    const r = await call(t, 'site_read', {}, {}, 'GET');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ help: expect.stringMatching(/\/api\/3\/action\/help_show\?name=site_read$/), success: true, result: true });
    const s = await call(t, 'status_show', {}, {}, 'GET');
    expect(s.body.result).toMatchObject({ ckan_version: '2.11.0', locale_default: 'vi', site_url: expect.any(String), extensions: expect.any(Array) });
    const l = await call(t, 'license_list', {}, {}, 'GET');
    expect(l.body.result.map((x: { id: string }) => x.id)).toContain('cc-by');
    const h = await call(t, 'help_show', { name: 'package_search' }, {}, 'GET');
    expect(h.body.result).toMatch(/rows/);
    expect((await call(t, 'help_show', { name: 'nope' }, {}, 'GET')).body.error.__type).toBe('Not Found Error');
  });

  it('serves JSONP on GET', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/3/action/site_read?callback=cb_1' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/javascript/);
    expect(r.body).toMatch(/^cb_1\(\{"help":.*"success":true,"result":true\}\);$/);
  });

  it('maps errors to CKAN types and status codes', async () => {
    const nf = await call(t, 'package_show', { id: 'khong-ton-tai' }, {}, 'GET');
    expect(nf.status).toBe(404);
    expect(nf.body).toMatchObject({ success: false, help: expect.stringMatching(HELP), error: { __type: 'Not Found Error' } });

    const missing = await call(t, 'package_show', {}, {}, 'GET');
    expect(missing.status).toBe(409);
    expect(missing.body.error).toMatchObject({ __type: 'Validation Error', id: ['Missing value'] });

    const badName = await call(t, 'package_create', { name: 'Có Dấu', title: 'X', owner_org: 'so-tnmt' }, u.editor);
    expect(badName.status).toBe(409);
    expect(badName.body.error.__type).toBe('Validation Error');
    expect(badName.body.error.name).toEqual([expect.stringMatching(/lowercase/)]);

    const noTitle = await call(t, 'package_create', { owner_org: 'so-tnmt' }, u.editor);
    expect(noTitle.body.error).toMatchObject({ __type: 'Validation Error', title: ['Missing value'] });

    const vi = await call(t, 'package_create', { owner_org: 'so-tnmt' }, { ...u.editor, 'accept-language': 'vi' });
    expect(vi.body.error.title).toEqual(['Thiếu giá trị']);

    await create('trung-ten');
    const dup = await call(t, 'package_create', { name: 'trung-ten', title: 'X', owner_org: 'so-tnmt' }, u.editor);
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ __type: 'Validation Error', name: [expect.any(String)] });

    const badType = await call(t, 'package_create', { name: 'kieu-sai', title: 'X', owner_org: 'so-tnmt', tags: 'not-a-list' }, u.editor);
    expect(badType.status).toBe(409);
    expect(badType.body.error.tags).toBeDefined();

    const badRows = await call(t, 'package_list', { limit: 'abc' }, {}, 'GET');
    expect(badRows.status).toBe(409);
    expect(badRows.body.error.limit).toEqual(['Invalid integer']);

    for (const r of [nf, missing, badName, dup]) expect(JSON.stringify(r.body)).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('answers a bad token with an Authorization Error', async () => {
    const r = await call(t, 'package_show', { id: 'x' }, { authorization: 'not-a-token' }, 'GET');
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ success: false, error: { __type: 'Authorization Error', message: expect.stringMatching(/^Access denied/) } });
  });
});

describe('CKAN API: ckanapi-shaped writes', () => {
  it('creates, shows, patches, updates and deletes a package with Authorization and X-CKAN-API-Key', async () => {
    const created = await create('quan-trac-nuoc', {
      notes: 'Số liệu quan trắc nước mặt',
      tags: [{ name: 'nước mặt' }, { name: 'quan trắc' }],
      groups: [{ name: 'tai-nguyen-moi-truong' }],
      extras: [{ key: 'nguon', value: 'Trạm quan trắc' }],
      license_id: 'cc-by',
      resources: [{ name: 'Năm 2024', url: 'https://example.org/2024.csv', format: 'csv' }],
    });
    for (const k of CKAN_PACKAGE_KEYS) expect(created, k).toHaveProperty(k);
    for (const k of CKAN_RESOURCE_KEYS) expect(created.resources[0], k).toHaveProperty(k);
    for (const k of CKAN_ORGANIZATION_KEYS) expect(created.organization, k).toHaveProperty(k);
    for (const k of CKAN_TAG_KEYS) expect(created.tags[0], k).toHaveProperty(k);
    expect(created).toMatchObject({
      name: 'quan-trac-nuoc',
      private: false,
      access_level: 'public',
      isopen: true,
      license_id: 'cc-by',
      num_resources: 1,
      num_tags: 2,
      type: 'dataset',
      state: 'active',
      organization: { name: 'so-tnmt', title: 'Sở Tài nguyên và Môi trường', is_organization: true, type: 'organization' },
      groups: [{ name: 'tai-nguyen-moi-truong' }],
      extras: [{ key: 'nguon', value: 'Trạm quan trắc' }],
    });
    expect(created.metadata_modified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    expect(created.resources[0]).toMatchObject({ format: 'CSV', url: 'https://example.org/2024.csv', package_id: created.id, position: 0 });

    const patched = await call(t, 'package_patch', { id: created.id, notes: 'Đã sửa' }, { 'x-ckan-api-key': u.editor.authorization! });
    expect(patched.status, patched.raw).toBe(200);
    expect(patched.body.result).toMatchObject({ notes: 'Đã sửa', num_tags: 2 });

    const bearer = await call(t, 'package_show', { id: 'quan-trac-nuoc' }, { authorization: `Bearer ${u.editor.authorization}` }, 'GET');
    expect(bearer.body.result.notes).toBe('Đã sửa');

    // package_update with the dict package_show returned: a round trip keeps everything.
    const shown = bearer.body.result;
    const updated = await call(t, 'package_update', { ...shown, title: 'Quan trắc nước mặt' }, u.editor);
    expect(updated.status, updated.raw).toBe(200);
    expect(updated.body.result).toMatchObject({ title: 'Quan trắc nước mặt', num_tags: 2, num_resources: 1, groups: [{ name: 'tai-nguyen-moi-truong' }] });

    const form = await t.app.inject({
      method: 'POST',
      url: '/api/3/action/package_patch',
      headers: { ...u.editor, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `id=${created.id}&version=2.0&private=False`,
    });
    expect(form.statusCode, form.body).toBe(200);
    expect(form.json().result).toMatchObject({ version: '2.0', private: false });

    const del = await call(t, 'package_delete', { id: created.id }, u.editor);
    expect(del.body).toMatchObject({ success: true, result: null });
    expect((await call(t, 'package_show', { id: created.id }, u.editor, 'GET')).status).toBe(404);
  });

  it('maps private: true to the private access level and adds resources', async () => {
    const p = await create('rieng-tu', { private: true });
    expect(p).toMatchObject({ private: true, access_level: 'private' });
    const g = await create('chinh-phu', { access_level: 'government' });
    expect(g.private).toBe(true);
    const r = await call(t, 'resource_create', { package_id: p.id, url: 'https://example.org/a.json', name: 'A', format: 'json' }, u.editor);
    expect(r.status, r.raw).toBe(200);
    for (const k of CKAN_RESOURCE_KEYS) expect(r.body.result, k).toHaveProperty(k);
    const rp = await call(t, 'resource_patch', { id: r.body.result.id, description: 'Mô tả' }, u.editor);
    expect(rp.body.result).toMatchObject({ description: 'Mô tả', name: 'A', format: 'JSON' });
    const rd = await call(t, 'resource_delete', { id: r.body.result.id }, u.editor);
    expect(rd.body.result).toBeNull();
    expect((await call(t, 'resource_show', { id: r.body.result.id }, u.editor, 'GET')).status).toBe(404);
  });

  it('denies writes to anonymous callers, members and editors of another organization', async () => {
    const target = await create('chi-doc');
    const res = (await call(t, 'resource_create', { package_id: target.id, url: 'https://example.org/x.csv' }, u.editor)).body.result;
    const writes: [string, Record<string, unknown>][] = [
      ['package_create', { name: 'khong-duoc', title: 'X', owner_org: 'so-tnmt' }],
      ['package_update', { id: target.id, title: 'X' }],
      ['package_patch', { id: target.id, title: 'X' }],
      ['package_delete', { id: target.id }],
      ['resource_create', { package_id: target.id, url: 'https://example.org/y.csv' }],
      ['resource_update', { id: res.id, url: 'https://example.org/z.csv' }],
      ['resource_patch', { id: res.id, name: 'Z' }],
      ['resource_delete', { id: res.id }],
      ['organization_create', { name: 'to-chuc-moi', title: 'Tổ chức mới' }],
      ['organization_update', { id: 'so-tnmt', title: 'X' }],
      ['member_create', { id: 'so-tnmt', object: u.ids.noOrg, object_type: 'user', capacity: 'editor' }],
      ['member_create', { id: 'tai-nguyen-moi-truong', object: target.id, object_type: 'package', capacity: 'public' }],
    ];
    for (const [who, headers] of Object.entries({ anonymous: {}, member: u.member, otherEditor: u.otherEditor, noOrg: u.noOrg })) {
      for (const [name, data] of writes) {
        const r = await call(t, name, data, headers);
        expect(r.status, `${who} ${name}: ${r.raw}`).toBe(403);
        expect(r.body.error.__type).toBe('Authorization Error');
        expect(r.body.error.message).toMatch(/^Access denied/);
      }
    }
    expect((await call(t, 'package_show', { id: target.id }, {}, 'GET')).body.result.title).toBe('Bộ dữ liệu chi-doc');
  });

  it('lets sysadmins create organizations and org admins add members with member_create', async () => {
    const created = await call(
      t,
      'organization_create',
      { name: 'trung-tam-du-lieu', title: 'Trung tâm Dữ liệu', description: 'Mô tả', kind: 'agency' },
      u.sys,
    );
    expect(created.status, created.raw).toBe(200);
    for (const k of CKAN_ORGANIZATION_KEYS) expect(created.body.result, k).toHaveProperty(k);
    expect(created.body.result).toMatchObject({ name: 'trung-tam-du-lieu', title: 'Trung tâm Dữ liệu', description: 'Mô tả', is_organization: true });
    const dup = await call(t, 'organization_create', { name: 'trung-tam-du-lieu', title: 'Khác' }, u.sys);
    expect(dup.status).toBe(409);
    expect(dup.body.error.name).toBeDefined();
    const upd = await call(t, 'organization_update', { id: 'trung-tam-du-lieu', title: 'Trung tâm Dữ liệu tỉnh' }, u.sys);
    expect(upd.body.result.title).toBe('Trung tâm Dữ liệu tỉnh');

    const newcomer = await t.userWithToken({ email: 'newcomer@ckan.test' });
    expect((await call(t, 'package_create', { name: 'ttdl-1', title: 'X', owner_org: 'trung-tam-du-lieu' }, newcomer.auth)).status).toBe(403);
    const m = await call(t, 'member_create', { id: 'trung-tam-du-lieu', object: newcomer.id, object_type: 'user', capacity: 'editor' }, u.sys);
    expect(m.status, m.raw).toBe(200);
    expect((await call(t, 'package_create', { name: 'ttdl-1', title: 'X', owner_org: 'trung-tam-du-lieu' }, newcomer.auth)).status).toBe(200);
    const badCap = await call(t, 'member_create', { id: 'trung-tam-du-lieu', object: newcomer.id, object_type: 'user', capacity: 'boss' }, u.sys);
    expect(badCap.body.error).toMatchObject({ __type: 'Validation Error', capacity: [expect.any(String)] });
  });

  it('adds a dataset to a group with member_create (editors of the dataset)', async () => {
    const d = await create('vao-nhom');
    const r = await call(t, 'member_create', { id: 'du-lich', object: d.name, object_type: 'package', capacity: 'public' }, u.editor);
    expect(r.status, r.raw).toBe(200);
    const shown = await call(t, 'package_show', { id: d.id }, {}, 'GET');
    expect(shown.body.result.groups.map((g: { name: string }) => g.name)).toEqual(['du-lich']);
  });
});

describe('CKAN API: reads without search', () => {
  it('lists packages, groups and tags like CKAN', async () => {
    await create('cong-khai-a', { tags: ['Đất đai', 'bản đồ'] });
    await create('cong-khai-b', { private: true, tags: ['bí mật'] });
    await create('cong-khai-c');
    const names = (await call(t, 'package_list', {}, {}, 'GET')).body.result as string[];
    expect(names).toContain('cong-khai-a');
    expect(names).not.toContain('cong-khai-b');
    expect([...names].sort()).toEqual(names);
    expect((await call(t, 'package_list', { limit: '1', offset: '1' }, {}, 'GET')).body.result).toEqual([names[1]]);

    const groups = (await call(t, 'group_list', {}, {}, 'GET')).body.result as string[];
    expect(groups.length).toBeGreaterThan(5);
    const second = await call(t, 'group_list', { offset: '1', limit: '1' }, {}, 'GET');
    expect(second.body.result).toEqual([groups[1]]);
    const full = await call(t, 'group_list', { all_fields: 'true', groups: '["du-lich"]' }, {}, 'GET');
    expect(full.body.result).toEqual([
      expect.objectContaining({ name: 'du-lich', title: 'Du lịch', is_organization: false, package_count: expect.any(Number) }),
    ]);
    const badSort = await call(t, 'group_list', { sort: 'colour asc' }, {}, 'GET');
    expect(badSort.status).toBe(409);
    expect(badSort.body.error.sort).toBeDefined();
    const g = await call(t, 'group_show', { id: 'du-lich', include_dataset_count: 'false' }, {}, 'GET');
    expect(g.body.result).toMatchObject({ name: 'du-lich', type: 'group' });

    const tags = (await call(t, 'tag_list', {}, {}, 'GET')).body.result as string[];
    expect(tags).toContain('Đất đai');
    expect(tags).not.toContain('bí mật');
    expect((await call(t, 'tag_list', { query: 'dat' }, {}, 'GET')).body.result).toEqual(['Đất đai']);
    expect((await call(t, 'tag_list', { all_fields: 'true', query: 'ban' }, {}, 'GET')).body.result).toEqual([
      expect.objectContaining({ name: 'bản đồ', vocabulary_id: null }),
    ]);

    const orgs = (await call(t, 'organization_list', {}, {}, 'GET')).body.result as string[];
    expect(orgs).toContain('so-tnmt');
    const ol = await call(t, 'organization_list', { all_fields: 'true', include_dataset_count: 'false', limit: '1000' }, {}, 'GET');
    expect(ol.status, ol.raw).toBe(200);
    const titles = ol.body.result as { title: string }[];
    expect(titles.length).toBe(25);
    expect(titles.map((o) => o.title)).toEqual([...titles.map((o) => o.title)].sort((a, b) => a.localeCompare(b, 'vi')));
  });
});

describe('CKAN API: uploads and downloads', () => {
  const CSV = Buffer.from('mã,tên\n58,Ninh Thuận\n', 'utf8');
  const FILENAME = 'Số liệu dân số – 2024.csv';

  it('stores a multipart upload and serves it with the dataset’s access rule', async () => {
    const pub = await create('tai-len');
    const body = multipart({ package_id: pub.id, name: 'Dân số', format: 'CSV' }, { field: 'upload', filename: FILENAME, type: 'text/csv', content: CSV });
    const r = await t.app.inject({ method: 'POST', url: '/api/action/resource_create', headers: { ...u.editor, ...body.headers }, payload: body.payload });
    expect(r.statusCode, r.body).toBe(200);
    const res = r.json().result;
    expect(res).toMatchObject({ url_type: 'upload', size: CSV.length, name: 'Dân số', format: 'CSV', mimetype: 'text/csv' });
    expect(res.url).toMatch(
      new RegExp(`/dataset/${pub.id}/resource/${res.id}/download/${encodeURIComponent(FILENAME).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
    );

    const url = new URL(res.url).pathname;
    const d = await t.app.inject({ method: 'GET', url });
    expect(d.statusCode).toBe(200);
    expect(d.rawPayload.equals(CSV)).toBe(true);
    expect(d.headers['content-type']).toMatch(/^text\/csv/);
    expect(d.headers['content-length']).toBe(String(CSV.length));
    expect(d.headers['x-content-type-options']).toBe('nosniff');
    expect(d.headers['content-disposition']).toBe(`attachment; filename="so lieu dan so _ 2024.csv"; filename*=UTF-8''${encodeURIComponent(FILENAME)}`);

    // package_update with the dict from package_show keeps the upload.
    const shown = (await call(t, 'package_show', { id: pub.id }, {}, 'GET')).body.result;
    const ru = await call(t, 'resource_update', { ...shown.resources[0], description: 'Mới' }, u.editor);
    expect(ru.status, ru.raw).toBe(200);
    expect(ru.body.result).toMatchObject({ url_type: 'upload', url: res.url, description: 'Mới' });
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(200);

    // Wrong dataset in the path, unknown resource: 404.
    expect((await t.app.inject({ method: 'GET', url: url.replace(pub.id, 'khac') })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/dataset/${pub.id}/resource/${crypto.randomUUID()}/download/x.csv` })).statusCode).toBe(404);
  });

  it('keeps private uploads private and refuses uploads from non-editors', async () => {
    const priv = await create('tai-len-rieng', { private: true });
    const body = multipart({ package_id: priv.id }, { field: 'upload', filename: 'bang.csv', type: 'application/octet-stream', content: CSV });
    const r = await t.app.inject({ method: 'POST', url: '/api/3/action/resource_create', headers: { ...u.editor, ...body.headers }, payload: body.payload });
    expect(r.statusCode, r.body).toBe(200);
    const res = r.json().result;
    expect(res).toMatchObject({ name: 'bang.csv', mimetype: 'text/csv' });
    const url = new URL(res.url).pathname;
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url, headers: u.otherEditor })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url, headers: u.member })).statusCode).toBe(200);

    const denied = multipart({ package_id: priv.id }, { field: 'upload', filename: 'x.csv', type: 'text/csv', content: CSV });
    const dr = await t.app.inject({
      method: 'POST',
      url: '/api/3/action/resource_create',
      headers: { ...u.otherEditor, ...denied.headers },
      payload: denied.payload,
    });
    expect(dr.statusCode).toBe(403);
    const anon = await t.app.inject({ method: 'POST', url: '/api/3/action/resource_create', headers: denied.headers, payload: denied.payload });
    expect(anon.statusCode).toBe(403);
    expect(anon.json().error.__type).toBe('Authorization Error');
  });

  it('refuses files over the limit with a 413 and a clear message', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-ckan-'));
    const config = loadConfig({ dataDir, databaseUrl: 'postgres://unused', port: 0 }, {});
    const app = await createHttpServer({ logger: false, version: 'test' });
    installAuth(app, t.db.db, loadMemberships);
    const files = new LocalFileStore(path.join(dataDir, 'files'), t.db.db);
    await ckanRoutes(app, { ...t.services.ctx, config, files, log: app.log }, { maxUploadBytes: 1000 });
    await app.ready();
    try {
      const d = await create('qua-lon');
      const body = multipart({ package_id: d.id }, { field: 'upload', filename: 'lon.csv', type: 'text/csv', content: Buffer.alloc(5000, 'a') });
      const r = await app.inject({ method: 'POST', url: '/api/3/action/resource_create', headers: { ...u.editor, ...body.headers }, payload: body.payload });
      expect(r.statusCode).toBe(413);
      expect(r.json()).toMatchObject({
        success: false,
        error: { __type: 'Validation Error', upload: [expect.stringMatching(/larger than the upload limit/)] },
      });
      const stored = () =>
        fs.existsSync(path.join(dataDir, 'files'))
          ? fs.readdirSync(path.join(dataDir, 'files'), { recursive: true }).filter((f) => String(f).includes('-'))
          : [];
      expect(stored()).toEqual([]);
      // A signed-in non-editor's file is stored while it streams in, then removed.
      const denied = multipart({ package_id: d.id }, { field: 'upload', filename: 'x.csv', type: 'text/csv', content: Buffer.alloc(500, 'a') });
      const dr = await app.inject({
        method: 'POST',
        url: '/api/3/action/resource_create',
        headers: { ...u.otherEditor, ...denied.headers },
        payload: denied.payload,
      });
      expect(dr.statusCode).toBe(403);
      expect(stored()).toEqual([]);
      const small = multipart({ package_id: d.id }, { field: 'upload', filename: 'nho.csv', type: 'text/csv', content: Buffer.alloc(500, 'a') });
      expect(
        (await app.inject({ method: 'POST', url: '/api/3/action/resource_create', headers: { ...u.editor, ...small.headers }, payload: small.payload }))
          .statusCode,
      ).toBe(200);
    } finally {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
