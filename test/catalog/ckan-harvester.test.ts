import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { call, CKAN_PACKAGE_KEYS, CKAN_SEARCH_KEYS, makeUsers, type Users } from './ckan-helpers.js';

/**
 * What CKAN harvesters (ckanext-harvest's CKAN harvester, uData, ckanapi) do against a CKAN:
 * package_search with a metadata_modified range, rows/start paging, then package_show of each.
 */
let t: TestApp;
let u: Users;
let since: string;

beforeAll(async () => {
  t = await createTestApp();
  u = await makeUsers(t);
  const old = await call(t, 'package_create', { name: 'cu-truoc-moc', title: 'Cũ', owner_org: 'so-tnmt' }, u.editor);
  expect(old.status, old.raw).toBe(200);
  await new Promise((r) => setTimeout(r, 20));
  since = new Date().toISOString();
  for (let i = 0; i < 11; i++) {
    const r = await call(
      t,
      'package_create',
      {
        name: `thu-hoach-${String(i).padStart(2, '0')}`,
        title: `Bộ dữ liệu ${i}`,
        owner_org: i % 2 ? 'so-khcn' : 'so-tnmt',
        tags: ['thu hoạch'],
        resources: [{ url: `https://example.org/${i}.csv`, format: 'CSV' }],
      },
      i % 2 ? u.otherEditor : u.editor,
    );
    expect(r.status, r.raw).toBe(200);
  }
  await call(t, 'package_create', { name: 'thu-hoach-rieng', title: 'Riêng', owner_org: 'so-tnmt', private: true }, u.editor);
  await call(t, 'package_create', { name: 'thu-hoach-nhap', title: 'Nháp', owner_org: 'so-tnmt', state: 'draft' }, u.editor);
});
afterAll(async () => t?.close());

describe('CKAN API: a harvester run', () => {
  it('pages through changes since a date and reads each package', async () => {
    const fq = `metadata_modified:[${since} TO *]`;
    const seen: string[] = [];
    for (let start = 0; ; start += 5) {
      const r = await call(t, 'package_search', { fq, rows: '5', start: String(start), sort: 'metadata_modified asc' }, {}, 'GET');
      expect(r.status, r.raw).toBe(200);
      for (const k of CKAN_SEARCH_KEYS) expect(r.body.result).toHaveProperty(k);
      expect(r.body.result.count).toBe(11);
      const page = r.body.result.results as { name: string; id: string }[];
      for (const p of page) for (const k of CKAN_PACKAGE_KEYS) expect(p, k).toHaveProperty(k);
      seen.push(...page.map((p) => p.name));
      if (page.length < 5) break;
    }
    expect(seen.length).toBe(11);
    expect(new Set(seen).size).toBe(11);
    expect(seen).not.toContain('cu-truoc-moc');
    expect(seen.filter((n) => n.startsWith('thu-hoach-') && /\d$/.test(n)).length).toBe(11);
    for (const name of seen) {
      const r = await call(t, 'package_show', { id: name }, {}, 'POST');
      expect(r.status).toBe(200);
      expect(r.body.result.name).toBe(name);
      expect(r.body.result.resources[0].format).toBe('CSV');
    }
  });

  it('sends what ckanext-harvest sends (sort=id asc, fq with an organization)', async () => {
    const r = await call(
      t,
      'package_search',
      { fq: `metadata_modified:[${since} TO *] organization:so-khcn`, rows: '100', start: '0', sort: 'id asc' },
      {},
      'GET',
    );
    expect(r.status, r.raw).toBe(200);
    expect(r.body.result.count).toBe(5);
    const got = (r.body.result.results as { id: string }[]).map((p) => p.id);
    expect(got).toEqual([...got].sort());
  });

  it('behaves like CKAN on defaults, limits, facets, sorting and errors', async () => {
    const all = await call(t, 'package_search', {}, {}, 'GET');
    expect(all.body.result.count).toBe(12);
    expect(all.body.result.results.length).toBe(10);
    const clamped = await call(t, 'package_search', { rows: '5000' }, {}, 'GET');
    expect(clamped.body.result.results.length).toBe(12);
    const names = (r: { body: { result: { results: { name: string }[] } } }) => r.body.result.results.map((p) => p.name);
    expect(names(all)).not.toContain('thu-hoach-rieng');
    expect(names(clamped)).not.toContain('thu-hoach-nhap');

    const f = await call(t, 'package_search', { 'facet.field': '["organization","tags"]', rows: '0' }, {}, 'GET');
    expect(f.body.result.facets.organization).toEqual({ 'so-tnmt': 7, 'so-khcn': 5 });
    expect(f.body.result.search_facets.organization.items).toContainEqual({ name: 'so-khcn', display_name: 'Sở Khoa học và Công nghệ', count: 5 });
    expect(f.body.result.search_facets.tags).toMatchObject({ title: 'tags', items: [{ name: 'thu hoạch', display_name: 'thu hoạch', count: 11 }] });

    const newest = await call(t, 'package_search', { sort: 'metadata_created desc', rows: '1' }, {}, 'GET');
    expect(names(newest)).toEqual(['thu-hoach-10']);

    const fl = await call(t, 'package_search', { fl: 'id,name', rows: '1' }, {}, 'GET');
    expect(Object.keys(fl.body.result.results[0]).sort()).toEqual(['id', 'name']);

    const priv = await call(t, 'package_search', { include_private: 'true', q: 'name:thu-hoach-rieng' }, u.editor, 'GET');
    expect(names(priv)).toEqual(['thu-hoach-rieng']);
    const privAnon = await call(t, 'package_search', { include_private: 'true', q: 'name:thu-hoach-rieng' }, {}, 'GET');
    expect(privAnon.body.result.count).toBe(0);

    const unknown = await call(t, 'package_search', { colour: 'blue' }, {}, 'GET');
    expect(unknown.status).toBe(409);
    expect(unknown.body.error.__type).toBe('Search Error');
    const badSyntax = await call(t, 'package_search', { fq: 'metadata_modified:[2024-01-01T00:00:00Z TO' }, {}, 'GET');
    expect(badSyntax.status).toBe(400);
    expect(badSyntax.body.error.__type).toBe('Search Query Error');
    const badRows = await call(t, 'package_search', { rows: '-1' }, {}, 'GET');
    expect(badRows.status).toBe(409);
    expect(badRows.body.error).toMatchObject({ __type: 'Validation Error', rows: [expect.any(String)] });
  });

  it('counts datasets per organization and group', async () => {
    const orgs = await call(t, 'organization_list', { all_fields: 'true', sort: 'package_count desc', limit: '2' }, {}, 'GET');
    expect(orgs.body.result.map((o: { name: string; package_count: number }) => [o.name, o.package_count])).toEqual([
      ['so-tnmt', 7],
      ['so-khcn', 5],
    ]);
    const show = await call(t, 'organization_show', { id: 'so-khcn', include_datasets: 'true' }, {}, 'GET');
    expect(show.body.result.package_count).toBe(5);
    expect(show.body.result.packages.length).toBe(5);
  });
});
