import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.js';
import { ANONYMOUS, type Principal } from '../../src/platform/auth/index.js';
import {
  ANONYMOUS_VIEWER,
  createDataset,
  deleteDataset,
  searchDatasets,
  searchParams,
  updateDataset,
  viewerOf,
  type DatasetInput,
  type SearchParams,
  type Viewer,
} from '../../src/modules/catalog/index.js';
import { getOrganization } from '../../src/modules/organizations/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
const P: Record<string, Principal> = {};
const V: Record<string, Viewer> = {};
const ids: Record<string, string> = {};

const params = (over: Partial<SearchParams> = {}): SearchParams => searchParams({ rows: 100, sort: '', ...over });
// Every test runs twice: free text answered by the in-memory index (auto) and by SQL alone.
let engine: 'auto' | 'sql' = 'auto';
const search = (over: Partial<SearchParams> = {}, v: Viewer = ANONYMOUS_VIEWER) => searchDatasets(t.db.db, v, params(over), { engine });
const nameOf = new Map<string, string>();
const names = async (over: Partial<SearchParams> = {}, v: Viewer = ANONYMOUS_VIEWER) => (await search(over, v)).ids.map((id) => nameOf.get(id));
const sorted = (xs: (string | undefined)[]) => [...xs].sort();

async function make(name: string, input: Omit<DatasetInput, 'name'>, who: Principal = P.tnmtEditor!) {
  const full = await createDataset(t.db.db, who, SYSTEM_ACTOR, { name, owner_org: 'so-tnmt', ...input });
  ids[name] = full.dataset.id;
  nameOf.set(full.dataset.id, name);
  return full;
}

beforeAll(async () => {
  t = await createTestApp();

  P.tnmtEditor = await t.principalFor('editor@tnmt.vn', { org: 'so-tnmt', role: 'editor' });
  P.tnmtMember = await t.principalFor('member@tnmt.vn', { org: 'so-tnmt', role: 'member' });
  P.khcnEditor = await t.principalFor('editor@khcn.vn', { org: 'so-khcn', role: 'editor' });
  P.commune = await t.principalFor('xa@phuocdinh.vn', { org: 'ubnd-xa-phuoc-dinh-22903', role: 'member' });
  P.noOrg = await t.principalFor('citizen@example.org');
  P.sys = await t.principalFor('root@example.org', { sysadmin: true });
  for (const [k, p] of Object.entries(P)) V[k] = await viewerOf(t.db.db, p);
  V.anonymous = await viewerOf(t.db.db, ANONYMOUS);

  const csv = [{ name: 'Số liệu', url: 'https://example.org/a.csv', format: 'csv' }];
  await make('nuoc-thai', {
    title: 'Nước thải công nghiệp khu công nghiệp Phước Nam',
    notes: 'Kết quả quan trắc nước thải.',
    tags: ['nước thải', 'môi trường'],
    groups: [{ name: 'tai-nguyen-moi-truong' }],
    license_id: 'cc-by',
    spatial_codes: ['58', '587'],
    resources: [...csv, { name: 'Báo cáo', url: 'https://example.org/a.pdf', format: 'PDF' }],
  });
  await make('chat-thai-ran', {
    title: 'Thải lượng chất ô nhiễm vào nguồn nước mặt',
    notes: 'Chất thải rắn, nước mưa và thải lượng nước.',
    tags: ['môi trường'],
    groups: [{ name: 'tai-nguyen-moi-truong' }],
    license_id: 'cc-by',
    spatial_codes: ['58'],
    resources: [{ name: 'Bảng', url: 'https://example.org/b.xlsx', format: 'xlsx' }],
  });
  await make('chat-luong-nuoc', {
    title: 'Chất lượng nước sông Dinh',
    tags: ['quan trắc'],
    license_id: 'cc-zero',
    spatial_codes: ['58', '582'],
    resources: csv,
  });
  await make('nuoc-chat-luong-rai-rac', {
    title: 'Nước ngầm: lưu lượng khai thác và chất lượng công trình',
    tags: ['nước ngầm'],
    license_id: 'cc-zero',
    resources: csv,
  });
  await make('vinh-hy-exact', { title: 'Khách sạn Vĩnh Hy', tags: ['du lịch'], spatial_codes: ['586'] }, P.tnmtEditor);
  await make('vinh-hy-plain', { title: 'Nhà nghỉ Vinh Hy', tags: ['du lịch'] });
  await make('vinh-hy-other', { title: 'Bến tàu Vịnh Hý', tags: ['du lịch'] });
  await make(
    'khcn-public',
    {
      title: 'Đề tài khoa học cấp tỉnh',
      owner_org: 'so-khcn',
      tags: ['khoa học'],
      groups: [{ name: 'khoa-hoc-cong-nghe' }],
      resources: [{ url: 'https://example.org/k.json', format: 'JSON' }],
      shared_db: { legal_basis: 'QĐ 1', data_owner: 'Sở KH&CN', sharing_methods: ['file'] },
    },
    P.khcnEditor,
  );
  await make('gov', { title: 'Danh sách cán bộ nội bộ', access_level: 'government', tags: ['nội bộ'] });
  await make('restricted', {
    title: 'Dữ liệu hạn chế cho sở khoa học',
    access_level: 'restricted',
    restricted_orgs: ['so-khcn'],
    tags: ['nội bộ'],
  });
  await make('restricted-communes', { title: 'Dữ liệu cho các xã', access_level: 'restricted', restricted_kinds: ['commune_committee'] });
  await make('private', { title: 'Hồ sơ nước thải riêng', private: true, tags: ['nước thải'], resources: csv });
  await make('draft', { title: 'Bản nháp nước thải', state: 'draft', tags: ['nước thải'] });
  await make('khcn-draft', { title: 'Bản nháp khoa học', owner_org: 'so-khcn', state: 'draft' }, P.khcnEditor);
  await make('to-delete', { title: 'Sẽ bị xoá', tags: ['tạm'] });
  await deleteDataset(t.db.db, P.tnmtEditor!, SYSTEM_ACTOR, 'to-delete');

  // Deterministic dates and views for the sort and range tests.
  const order = ['nuoc-thai', 'chat-thai-ran', 'chat-luong-nuoc', 'nuoc-chat-luong-rai-rac', 'vinh-hy-exact', 'vinh-hy-plain', 'vinh-hy-other', 'khcn-public'];
  for (const [i, n] of order.entries()) {
    await t.db.pool.query(
      `update dataset set metadata_created = timestamptz '2024-01-01T00:00:00Z' + $2 * interval '1 month',
        metadata_modified = timestamptz '2025-01-01T00:00:00Z' - $2 * interval '1 day', view_count = $3 where name = $1`,
      [n, i, (i * 37) % 11],
    );
  }
  // The scattered one is the most recently modified: only ranking can put the phrase first.
  await t.db.pool.query(`update dataset set metadata_modified = timestamptz '2025-06-01T00:00:00Z' where name = 'chat-thai-ran'`);
});
afterAll(async () => t?.close());

const PUBLIC = ['nuoc-thai', 'chat-thai-ran', 'chat-luong-nuoc', 'nuoc-chat-luong-rai-rac', 'vinh-hy-exact', 'vinh-hy-plain', 'vinh-hy-other', 'khcn-public'];

describe.each(['auto', 'sql'] as const)('engine: %s', (e) => {
  beforeAll(() => {
    engine = e;
  });

  describe('free text', () => {
    it('"nuoc thai" finds "Nước thải …" (accent-insensitive, NFC or NFD)', async () => {
      expect((await names({ q: 'nuoc thai' }))[0]).toBe('nuoc-thai');
      expect((await names({ q: 'NƯỚC THẢI'.normalize('NFD') }))[0]).toBe('nuoc-thai');
      expect(await names({ q: 'phuoc nam' })).toEqual(['nuoc-thai']);
    });

    it('ranks the contiguous phrase above scattered syllables', async () => {
      const r = await names({ q: 'nước thải' });
      expect(sorted(r)).toEqual(['chat-thai-ran', 'nuoc-thai']);
      expect(r).toEqual(['nuoc-thai', 'chat-thai-ran']);
      const c = await names({ q: 'chất lượng nước' });
      expect(c[0]).toBe('chat-luong-nuoc');
      expect(c).toContain('nuoc-chat-luong-rai-rac');
    });

    it('ranks exact accents higher', async () => {
      expect(await names({ q: 'Vĩnh Hy' })).toEqual(expect.arrayContaining(['vinh-hy-exact', 'vinh-hy-plain', 'vinh-hy-other']));
      expect((await names({ q: 'Vĩnh Hy' }))[0]).toBe('vinh-hy-exact');
      expect((await names({ q: 'Vịnh Hý' }))[0]).toBe('vinh-hy-other');
      // Typed without accents, all three match (slugs are accentless anyway, so no accent bonus applies).
      expect(sorted(await names({ q: 'vinh hy' }))).toEqual(['vinh-hy-exact', 'vinh-hy-other', 'vinh-hy-plain']);
    });

    it('tolerates small typos', async () => {
      expect((await names({ q: 'nuoc thia' }))[0]).toBe('nuoc-thai');
      expect((await names({ q: 'khach sanj' }))[0]).toBe('vinh-hy-exact');
      expect((await names({ q: 'khoa hocj' }))[0]).toBe('khcn-public');
    });

    it('falls back to any syllable when no dataset has them all', async () => {
      const r = await names({ q: 'sông Cái Phan Rang' });
      expect(r).toContain('chat-luong-nuoc');
    });

    it('finds nothing for nonsense and treats *:* as everything', async () => {
      expect((await search({ q: 'zzzqqq xxyyzz' })).count).toBe(0);
      expect(sorted(await names({ q: '*:*' }))).toEqual(sorted(PUBLIC));
      expect(sorted(await names({ q: '   ' }))).toEqual(sorted(PUBLIC));
    });

    it('accepts field queries in q', async () => {
      expect(await names({ q: 'name:chat-luong-nuoc' })).toEqual(['chat-luong-nuoc']);
      expect(sorted(await names({ q: 'tags:"nước thải"' }))).toEqual(['nuoc-thai']);
      expect(await names({ q: 'organization:so-khcn' })).toEqual(['khcn-public']);
      expect(await names({ q: 'res_format:JSON' })).toEqual(['khcn-public']);
      expect(await names({ q: 'title:"chất lượng nước"' })).toEqual(['chat-luong-nuoc']);
      expect(await names({ q: 'organization:so-tnmt phuoc nam' })).toEqual(['nuoc-thai']);
    });
  });

  describe('fq', () => {
    const fq = async (...f: string[]) => sorted(await names({ fq: f }));
    it('field:value, quoted values and tags', async () => {
      expect(await fq('organization:so-khcn')).toEqual(['khcn-public']);
      expect(await fq('tags:"nước thải"')).toEqual(['nuoc-thai']);
      expect(await fq('tags:"nước thải"'.normalize('NFD'))).toEqual(['nuoc-thai']);
      expect(await fq('res_format:csv')).toEqual(['chat-luong-nuoc', 'nuoc-chat-luong-rai-rac', 'nuoc-thai']);
      expect(await fq('groups:khoa-hoc-cong-nghe')).toEqual(['khcn-public']);
      expect(await fq('license_id:cc-zero')).toEqual(['chat-luong-nuoc', 'nuoc-chat-luong-rai-rac']);
      expect(await fq('name:vinh-hy-plain')).toEqual(['vinh-hy-plain']);
      expect(await fq(`id:${ids['vinh-hy-other']}`)).toEqual(['vinh-hy-other']);
      expect(await fq('id:not-a-uuid')).toEqual([]);
      expect(await fq('title:"Vĩnh Hy"')).toEqual(['vinh-hy-exact', 'vinh-hy-plain', 'vinh-hy-other'].sort());
      expect(await fq('access_level:public')).toEqual(sorted(PUBLIC));
      expect(await fq('spatial_codes:587')).toEqual(['nuoc-thai']);
      expect(await fq('shared_db:true')).toEqual(['khcn-public']);
      expect((await fq('shared_db:false')).length).toBe(PUBLIC.length - 1);
      expect(await fq('capacity:public')).toEqual(sorted(PUBLIC));
      expect(await fq('state:active')).toEqual(sorted(PUBLIC));
      expect(await fq('dataset_type:dataset')).toEqual(sorted(PUBLIC));
      expect(await fq('type:harvest')).toEqual([]);
      expect(await fq('harvest_source_id:00000000-0000-0000-0000-000000000000')).toEqual([]);
      expect(await fq('-harvest_source_id:*')).toEqual(sorted(PUBLIC));
      const { org } = await getOrganization(t.db.db, 'so-khcn');
      expect(await fq(`owner_org:${org.id}`)).toEqual(['khcn-public']);
    });

    it('OR, AND, implicit AND, NOT, -, + and parentheses', async () => {
      expect(await fq('organization:so-khcn OR tags:"nước thải"')).toEqual(['khcn-public', 'nuoc-thai']);
      expect(await fq('res_format:CSV AND license_id:cc-by')).toEqual(['nuoc-thai']);
      expect(await fq('res_format:CSV license_id:cc-by')).toEqual(['nuoc-thai']);
      expect(await fq('res_format:CSV', 'license_id:cc-by')).toEqual(['nuoc-thai']);
      expect(await fq('-organization:so-tnmt')).toEqual(['khcn-public']);
      expect(await fq('NOT organization:so-tnmt')).toEqual(['khcn-public']);
      expect(await fq('+organization:so-tnmt +tags:"du lịch" -name:vinh-hy-exact NOT name:vinh-hy-plain')).toEqual(['vinh-hy-other']);
      expect(await fq('(tags:"quan trắc" OR tags:"nước ngầm") AND -res_format:PDF')).toEqual(['chat-luong-nuoc', 'nuoc-chat-luong-rai-rac']);
      expect(await fq('res_format:(JSON OR XLSX)')).toEqual(['chat-thai-ran', 'khcn-public']);
      expect(await fq('-groups:no-such-group')).toEqual(sorted(PUBLIC));
      expect(await fq('*:*')).toEqual(sorted(PUBLIC));
    });

    it('date ranges with *, NOW and exclusive bounds', async () => {
      // modified: nuoc-thai 2025-01-01, vinh-hy-exact 2024-12-28, khcn-public 2024-12-25, chat-thai-ran 2025-06-01
      expect(await fq('metadata_modified:[2025-01-01T00:00:00Z TO *]')).toEqual(['chat-thai-ran', 'nuoc-thai']);
      expect(await fq('metadata_modified:{2025-01-01T00:00:00Z TO *]')).toEqual(['chat-thai-ran']);
      expect(await fq('metadata_modified:[* TO 2024-12-26T00:00:00Z]')).toEqual(['khcn-public', 'vinh-hy-other']);
      expect(await fq('metadata_modified:[2020-01-01T00:00:00Z TO NOW]')).toEqual(sorted(PUBLIC));
      expect(await fq('metadata_modified:[NOW TO *]')).toEqual([]);
      // created: nuoc-thai 2024-01-01, then one month apart
      expect(await fq('metadata_created:[2024-07-01T00:00:00Z TO 2024-08-01T00:00:00Z}')).toEqual(['vinh-hy-other']);
      expect(await fq('metadata_modified:2025-06-01T00:00:00Z')).toEqual(['chat-thai-ran']);
    });

    it('unknown fields and bad syntax are Search Query Errors on fq; bad sorts are Search Errors', async () => {
      for (const bad of ['foo:bar', 'tags:(a', 'metadata_modified:[yesterday TO *]', 'capacity:maybe', 'shared_db:perhaps', 'name:[a TO b]'])
        await expect(search({ fq: [bad] }), bad).rejects.toMatchObject({ status: 400, code: 'search_query_error', field: 'fq' });
      for (const bad of ['popularity desc', 'name sideways', 'name asc extra'])
        await expect(search({ sort: bad }), bad).rejects.toMatchObject({ status: 409, code: 'search_error', field: 'sort' });
    });
  });

  describe('facets', () => {
    const ALL = ['organization', 'groups', 'tags', 'res_format', 'license_id', 'access_level', 'spatial_codes', 'shared_db'];
    const asMap = (items: { name: string; count: number }[]) => Object.fromEntries(items.map((i) => [i.name, i.count]));

    it('counts exactly over the whole readable catalogue', async () => {
      const r = await search({ facetFields: ALL, facetLimit: -1 });
      expect(r.count).toBe(PUBLIC.length);
      expect(r.facets.organization).toEqual([
        { name: 'so-tnmt', count: 7 },
        { name: 'so-khcn', count: 1 },
      ]);
      expect(r.facets.groups).toEqual([
        { name: 'tai-nguyen-moi-truong', count: 2 },
        { name: 'khoa-hoc-cong-nghe', count: 1 },
      ]);
      expect(r.facets.tags).toEqual([
        { name: 'du lịch', count: 3 },
        { name: 'môi trường', count: 2 },
        { name: 'khoa học', count: 1 },
        { name: 'nước ngầm', count: 1 },
        { name: 'nước thải', count: 1 },
        { name: 'quan trắc', count: 1 },
      ]);
      expect(asMap(r.facets.res_format!)).toEqual({ CSV: 3, PDF: 1, XLSX: 1, JSON: 1 });
      expect(r.facets.res_format![0]).toEqual({ name: 'CSV', count: 3 });
      expect(asMap(r.facets.license_id!)).toEqual({ 'cc-by': 2, 'cc-zero': 2 });
      expect(r.facets.access_level).toEqual([{ name: 'public', count: 8 }]);
      expect(asMap(r.facets.spatial_codes!)).toEqual({ '58': 3, '587': 1, '582': 1, '586': 1 });
      expect(r.facets.shared_db).toEqual([
        { name: 'false', count: 7 },
        { name: 'true', count: 1 },
      ]);
    });

    it('counts over a text query and over fq, honouring facet.limit and facet.mincount', async () => {
      const r = await search({ q: 'nuoc', facetFields: ['tags', 'res_format', 'organization'], facetLimit: 2 });
      expect(r.count).toBe(4);
      expect(r.facets.tags).toEqual([
        { name: 'môi trường', count: 2 },
        { name: 'nước ngầm', count: 1 },
      ]);
      expect(r.facets.res_format).toEqual([
        { name: 'CSV', count: 3 },
        { name: 'PDF', count: 1 },
      ]);
      const m = await search({ fq: ['tags:"du lịch" OR tags:"môi trường"'], facetFields: ['tags', 'spatial_codes'], facetMinCount: 2 });
      expect(m.facets).toEqual({
        tags: [
          { name: 'du lịch', count: 3 },
          { name: 'môi trường', count: 2 },
        ],
        spatial_codes: [{ name: '58', count: 2 }],
      });
      // title: is accent-insensitive like CKAN's text field
      expect(sorted(await names({ fq: ['title:"Vinh Hy"'] }))).toEqual(['vinh-hy-exact', 'vinh-hy-other', 'vinh-hy-plain']);
      expect((await search({ facetFields: ['tags'], facetLimit: 0 })).facets.tags).toEqual([]);
    });

    it('gives the same counts from the rollup (organization/access filters) and from the rows', async () => {
      for (const v of [V.anonymous!, V.tnmtMember!, V.khcnEditor!, V.commune!, V.sys!]) {
        for (const includePrivate of [false, true]) {
          const fast = await search({ fq: ['organization:so-tnmt'], facetFields: ALL, facetLimit: -1, includePrivate }, v);
          // `dataset_type:dataset` is true for every row but forces the row-by-row plan.
          const slow = await search({ fq: ['organization:so-tnmt', 'dataset_type:dataset'], facetFields: ALL, facetLimit: -1, includePrivate }, v);
          expect(fast).toEqual(slow);
        }
      }
    });

    it('follows edits, access changes and deletions', async () => {
      const tmp = `tmp-facet-${engine}`;
      const before = await search({ facetFields: ['tags', 'organization'], facetLimit: -1 });
      const created = await make(tmp, { title: 'Tạm thời kỳ lân', tags: ['du lịch', 'mới'] });
      let r = await search({ facetFields: ['tags', 'organization'], facetLimit: -1 });
      expect(r.count).toBe(before.count + 1);
      expect(asMap(r.facets.tags!)['du lịch']).toBe(4);
      expect(asMap(r.facets.tags!)['mới']).toBe(1);
      expect((await search({ q: 'ky lan' })).ids).toEqual([created.dataset.id]);
      await updateDataset(t.db.db, P.tnmtEditor!, SYSTEM_ACTOR, tmp, { tags: ['khác'] }, 'patch');
      r = await search({ facetFields: ['tags'], facetLimit: -1 });
      expect(asMap(r.facets.tags!)['du lịch']).toBe(3);
      expect(asMap(r.facets.tags!)['mới']).toBeUndefined();
      await updateDataset(t.db.db, P.tnmtEditor!, SYSTEM_ACTOR, tmp, { access_level: 'private' }, 'patch');
      expect((await search({ facetFields: ['tags'] })).count).toBe(before.count);
      expect(asMap((await search({ facetFields: ['tags'], includePrivate: true }, V.tnmtMember!)).facets.tags!)['khác']).toBe(1);
      await deleteDataset(t.db.db, P.tnmtEditor!, SYSTEM_ACTOR, tmp);
      expect(await search({ facetFields: ['tags', 'organization'], facetLimit: -1 })).toEqual(before);
      expect((await search({ q: 'ky lan' })).ids).not.toContain(created.dataset.id);
      expect(asMap((await search({ facetFields: ['tags'], includePrivate: true }, V.tnmtMember!)).facets.tags!)['khác']).toBeUndefined();
    });
  });

  describe('sort and paging', () => {
    it('sorts by the CKAN keys', async () => {
      expect(await names({ sort: 'name asc' })).toEqual([...PUBLIC].sort());
      expect(await names({ sort: 'name desc' })).toEqual([...PUBLIC].sort().reverse());
      expect(await names({ sort: 'metadata_created desc' })).toEqual([...PUBLIC].reverse());
      expect(await names({ sort: 'metadata_created asc' })).toEqual(PUBLIC);
      expect((await names({ sort: 'metadata_modified desc' }))[0]).toBe('chat-thai-ran');
      expect(await names({ sort: 'metadata_modified asc' })).toEqual([...PUBLIC.filter((n) => n !== 'chat-thai-ran')].reverse().concat('chat-thai-ran'));
      const titles = await t.db.pool.query(`select name from dataset where name = any($1) order by title, id`, [PUBLIC]);
      expect(await names({ sort: 'title_string asc' })).toEqual(titles.rows.map((r) => r.name));
      expect(await names({ sort: 'title_string desc' })).toEqual(titles.rows.map((r) => r.name).reverse());
      const views = await t.db.pool.query(`select name from dataset where name = any($1) order by view_count desc, name`, [PUBLIC]);
      const byViews = await t.db.pool.query(`select name, view_count from dataset where name = any($1)`, [PUBLIC]);
      const vc = new Map(byViews.rows.map((r) => [r.name, Number(r.view_count)]));
      const got = await names({ sort: 'views_recent desc, name asc' });
      expect(got).toEqual(views.rows.map((r) => r.name));
      expect(got.map((n) => vc.get(n!))).toEqual([...vc.values()].sort((a, b) => b - a));
      // default: score desc, metadata_modified desc; without q all scores tie
      const d = await search();
      expect(d.sort).toBe('score desc, metadata_modified desc');
      expect(d.ids.map((i) => nameOf.get(i))[0]).toBe('chat-thai-ran');
    });

    it('pages with rows and start and keeps the total', async () => {
      const all = await names({ sort: 'name asc' });
      const pages: (string | undefined)[] = [];
      for (let start = 0; start < all.length; start += 3) {
        const r = await search({ sort: 'name asc', rows: 3, start });
        expect(r.count).toBe(all.length);
        pages.push(...r.ids.map((i) => nameOf.get(i)));
      }
      expect(pages).toEqual(all);
      expect((await search({ rows: 0 })).ids).toEqual([]);
      expect((await search({ rows: 0 })).count).toBe(all.length);
      expect((await search({ start: 100 })).ids).toEqual([]);
      const q = await search({ q: 'nuoc', rows: 1, start: 1 });
      expect(q.count).toBe(4);
      expect(q.ids).toHaveLength(1);
    });
  });

  describe('access', () => {
    const visible = async (v: Viewer, includePrivate: boolean, includeDrafts = false, q = '') => sorted(await names({ includePrivate, includeDrafts, q }, v));
    const NON_PUBLIC_ACTIVE = ['gov', 'restricted', 'restricted-communes', 'private'];

    it('anonymous and include_private=false never see non-public datasets', async () => {
      for (const v of [V.anonymous!, V.noOrg!, V.tnmtMember!, V.sys!]) {
        expect(await visible(v, false)).toEqual(sorted(PUBLIC));
        expect(await visible(v, false, false, 'nước thải')).toEqual(['chat-thai-ran', 'nuoc-thai']);
      }
      expect(await visible(V.anonymous!, true)).toEqual(sorted(PUBLIC));
      expect(await visible(V.anonymous!, true, true)).toEqual(sorted(PUBLIC));
    });

    it('include_private shows what the viewer may read and nothing else', async () => {
      expect(await visible(V.noOrg!, true)).toEqual(sorted(PUBLIC));
      expect(await visible(V.khcnEditor!, true)).toEqual(sorted([...PUBLIC, 'gov', 'restricted']));
      expect(await visible(V.commune!, true)).toEqual(sorted([...PUBLIC, 'gov', 'restricted-communes']));
      expect(await visible(V.tnmtMember!, true)).toEqual(sorted([...PUBLIC, ...NON_PUBLIC_ACTIVE]));
      expect(await visible(V.sys!, true)).toEqual(sorted([...PUBLIC, ...NON_PUBLIC_ACTIVE]));
      expect(await visible(V.tnmtMember!, true, false, 'nước thải')).toEqual(['chat-thai-ran', 'nuoc-thai', 'private']);
      expect(await visible(V.khcnEditor!, true, false, 'nước thải')).toEqual(['chat-thai-ran', 'nuoc-thai']);
      const f = await search({ includePrivate: true, facetFields: ['access_level'] }, V.khcnEditor!);
      expect(f.facets.access_level).toEqual([
        { name: 'public', count: 8 },
        { name: 'government', count: 1 },
        { name: 'restricted', count: 1 },
      ]);
    });

    it('drafts only with include_drafts, for editors of the owner organization', async () => {
      expect(await visible(V.tnmtEditor!, true, true)).toEqual(sorted([...PUBLIC, ...NON_PUBLIC_ACTIVE, 'draft']));
      expect(await visible(V.tnmtEditor!, true, false)).toEqual(sorted([...PUBLIC, ...NON_PUBLIC_ACTIVE]));
      expect(await visible(V.tnmtMember!, true, true)).toEqual(sorted([...PUBLIC, ...NON_PUBLIC_ACTIVE]));
      expect(await visible(V.khcnEditor!, true, true)).toEqual(sorted([...PUBLIC, 'gov', 'restricted', 'khcn-draft']));
      expect(await visible(V.sys!, true, true)).toEqual(sorted([...PUBLIC, ...NON_PUBLIC_ACTIVE, 'draft', 'khcn-draft']));
      expect(sorted(await names({ q: 'bản nháp', includePrivate: true, includeDrafts: true }, V.tnmtEditor!))).toEqual(['draft']);
      expect((await search({ includePrivate: true, includeDrafts: true, facetFields: ['organization'] }, V.tnmtEditor!)).count).toBe(PUBLIC.length + 5);
    });

    it('never returns deleted datasets', async () => {
      expect(await names({ q: 'Sẽ bị xoá', includePrivate: true, includeDrafts: true }, V.sys!)).toEqual([]);
      expect(await names({ fq: ['state:deleted'], includePrivate: true, includeDrafts: true }, V.sys!)).toEqual([]);
    });
  });
});
