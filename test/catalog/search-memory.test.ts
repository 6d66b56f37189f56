import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.js';
import { connect, type Database } from '../../src/platform/db/index.js';
import { ANONYMOUS, type Principal } from '../../src/platform/auth/index.js';
import {
  ANONYMOUS_VIEWER,
  createDataset,
  deleteDataset,
  searchDatasets,
  searchParams,
  updateDataset,
  viewerOf,
  type SearchParams,
  type SearchResult,
  type Viewer,
} from '../../src/modules/catalog/index.js';
import { parseFq } from '../../src/modules/catalog/search/index.js';
import { searchInMemory } from '../../src/modules/catalog/search/memory/search.js';
import { SearchIndex } from '../../src/modules/catalog/search/memory/service.js';
import { storeOf } from '../../src/modules/catalog/search/memory/store.js';
import { silentLogger } from '../../src/app/index.js';
import type { Db } from '../../src/platform/db/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/**
 * The in-memory index must answer free text exactly as SQL does (count, facets, the set of
 * matches, date/id orders) for every viewer, and see every committed write — from any pool.
 */
let t: TestApp;
const V: Record<string, Viewer> = {};
const P: Record<string, Principal> = {};

const params = (over: Partial<SearchParams> = {}): SearchParams =>
  searchParams({
    rows: 1000,
    sort: '',
    facetFields: ['organization', 'groups', 'tags', 'res_format', 'license_id', 'access_level', 'spatial_codes', 'shared_db'],
    facetLimit: -1,
    includePrivate: true,
    ...over,
  });

const WORDS = ['nước thải', 'chất lượng nước', 'du lịch biển', 'điện mặt trời', 'muối', 'nho', 'Vĩnh Hy', 'Vinh Hy', 'giao thông', 'trường học'];
const ORGS = ['so-tnmt', 'so-khcn', 'so-vhttdl'];
const LEVELS = ['public', 'public', 'government', 'restricted', 'private'] as const;
const FORMATS = ['CSV', 'XLSX', 'PDF', 'GeoJSON'];

beforeAll(async () => {
  t = await createTestApp();
  P.sys = await t.principalFor('root@example.org', { sysadmin: true });
  P.tnmt = await t.principalFor('editor@tnmt.vn', { org: 'so-tnmt', role: 'editor' });
  P.khcn = await t.principalFor('member@khcn.vn', { org: 'so-khcn', role: 'member' });
  P.commune = await t.principalFor('xa@phuocdinh.vn', { org: 'ubnd-xa-phuoc-dinh-22903', role: 'member' });
  P.citizen = await t.principalFor('citizen@example.org');
  for (const [k, p] of Object.entries(P)) V[k] = await viewerOf(t.db.db, p);
  V.anonymous = await viewerOf(t.db.db, ANONYMOUS);
  // 80 datasets: every combination pattern of words, organizations, access levels, formats, states.
  for (let i = 0; i < 80; i++) {
    const level = LEVELS[i % LEVELS.length]!;
    await createDataset(t.db.db, P.sys!, SYSTEM_ACTOR, {
      name: `ds-${i}`,
      title: `${WORDS[i % WORDS.length]} ${WORDS[(i * 3 + 1) % WORDS.length]} số ${i}`,
      notes: i % 4 === 0 ? `Mô tả về ${WORDS[(i * 7) % WORDS.length]}.` : null,
      owner_org: ORGS[i % ORGS.length]!,
      access_level: level,
      ...(level === 'restricted' ? (i % 2 ? { restricted_orgs: ['so-khcn'] } : { restricted_kinds: ['commune_committee'] }) : {}),
      state: i % 11 === 0 ? 'draft' : 'active',
      tags: [WORDS[(i * 5) % WORDS.length]!, `nhóm ${i % 3}`],
      groups: i % 2 ? [{ name: 'tai-nguyen-moi-truong' }] : [],
      license_id: i % 3 ? 'cc-by' : 'cc-zero',
      spatial_codes: i % 2 ? ['58', '582'] : ['58'],
      shared_db: i % 9 === 0 ? { legal_basis: 'QĐ 1', data_owner: 'Sở', sharing_methods: ['file'] } : null,
      resources: [{ name: 'Tệp', url: `https://example.org/${i}`, format: FORMATS[i % FORMATS.length]! }],
    });
  }
  await deleteDataset(t.db.db, P.sys!, SYSTEM_ACTOR, 'ds-2');
  await t.db.pool.query(`update dataset set metadata_modified = timestamptz '2025-01-01' + (hashtext(name) % 1000) * interval '1 hour'`);
  await indexReady(t.db.db);
});
afterAll(async () => t?.close());

/** The app warms its index in the background after start; these tests compare it, so wait for it. */
async function indexReady(db: Db): Promise<void> {
  for (let i = 0; i < 200 && !storeOf(db); i++) await new Promise((r) => setTimeout(r, 25));
  expect(storeOf(db), 'the search index loaded').toBeDefined();
}

const same = (mem: SearchResult, sql: SearchResult) => {
  expect(mem.count).toBe(sql.count);
  expect(mem.facets).toEqual(sql.facets);
  expect([...mem.ids].sort()).toEqual([...sql.ids].sort());
};

describe('in-memory search (free text and browsing)', () => {
  const queries = ['', 'nuoc thai', 'nước thải', 'Vĩnh Hy', 'vinh hy', 'muối', 'chat luong', 'du lich bien', 'so 1', 'mo ta', 'csv'];
  const fqs: string[][] = [
    [],
    ['organization:so-tnmt'],
    ['res_format:CSV OR res_format:PDF'],
    ['-groups:tai-nguyen-moi-truong', 'license_id:cc-by'],
    ['tags:muối'],
    ['shared_db:true'],
    ['spatial_codes:582 access_level:public'],
    ['metadata_modified:[2025-01-10T00:00:00Z TO *]'],
  ];

  it('answers plain text itself (without SQL)', async () => {
    const r = await searchInMemory(t.db.db, ANONYMOUS_VIEWER, {
      text: { folded: 'nuoc thai', exact: 'nước thải' },
      filters: [],
      sort: [{ column: 'score', desc: true }],
      facetPrefixes: ['o:'],
      rows: 10,
      start: 0,
      includeNonPublic: false,
      includeDrafts: false,
    });
    expect(r).not.toBeNull();
    expect(r!.count).toBeGreaterThan(0);
  });

  it('gives SQL counts, facets and matches for every viewer, query and filter', async () => {
    let compared = 0;
    let answered = 0;
    for (const [who, v] of Object.entries(V)) {
      for (const q of queries) {
        for (const fq of fqs) {
          for (const includePrivate of [false, true]) {
            const p = params({ q, fq, includePrivate, includeDrafts: who === 'tnmt' || who === 'sys' });
            const [mem, sql] = [await searchDatasets(t.db.db, v, p), await searchDatasets(t.db.db, v, p, { engine: 'sql' })];
            same(mem, sql);
            compared += sql.count;
            if (sql.count > 0) {
              const direct = await searchInMemory(t.db.db, v, {
                text: q ? { folded: q.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/gi, 'd').toLowerCase(), exact: q.toLowerCase() } : null,
                filters: fq.map((f) => parseFq(f)),
                sort: [{ column: 'score', desc: true }],
                facetPrefixes: [],
                rows: 0,
                start: 0,
                includeNonPublic: includePrivate,
                includeDrafts: p.includeDrafts,
              });
              // null: no dataset has every syllable, and SQL answered with its typo fallback
              if (direct) {
                expect(direct.count, `${who} ${q} ${fq.join(' ')}`).toBe(sql.count);
                answered += 1;
              }
            }
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
    expect(answered).toBeGreaterThan(300);
  });

  it('orders by date and id as SQL does, and pages the same way', async () => {
    for (const sort of ['metadata_modified desc', 'metadata_created asc', 'id asc', 'score desc, metadata_modified desc']) {
      for (const [rows, start] of [
        [5, 0],
        [5, 5],
        [3, 10],
      ] as const) {
        const p = params({ q: 'nuoc', sort, rows, start });
        const [mem, sql] = [await searchDatasets(t.db.db, V.sys!, p), await searchDatasets(t.db.db, V.sys!, p, { engine: 'sql' })];
        expect(mem.count).toBe(sql.count);
        if (!sort.startsWith('score')) expect(mem.ids).toEqual(sql.ids);
        else expect(mem.ids).toHaveLength(sql.ids.length);
      }
    }
  });

  it('ranks the phrase, then exact accents, first', async () => {
    const r = await searchDatasets(t.db.db, V.sys!, params({ q: 'Vĩnh Hy', facetFields: [] }));
    const titles = (await t.db.pool.query<{ id: string; title: string }>('select id, title from dataset where id = any($1)', [r.ids])).rows;
    const byId = new Map(titles.map((x) => [x.id, x.title]));
    expect(byId.get(r.ids[0]!)).toContain('Vĩnh Hy');
    expect(r.ids.map((id) => byId.get(id)).findIndex((x) => x!.includes('Vinh Hy'))).toBeGreaterThan(
      r.ids.map((id) => byId.get(id)).findLastIndex((x) => x!.includes('Vĩnh Hy')),
    );
  });
});

describe('in-memory index freshness', () => {
  let other: Database;
  let otherIndex: SearchIndex;
  beforeAll(async () => {
    other = connect(t.db.url, { max: 2 });
    otherIndex = new SearchIndex('memory');
    otherIndex.start(other.db, silentLogger());
    await otherIndex.ready();
    await indexReady(other.db);
  });
  afterAll(async () => {
    await otherIndex?.stop();
    await other?.close();
  });
  const find = async (db: Database, q: string) => (await searchDatasets(db.db, V.sys!, params({ q, facetFields: [] }))).count;

  it('sees writes made through another pool (another instance) as soon as they commit', async () => {
    expect(await find(other, 'kangaroo')).toBe(0);
    expect(await find(t.db, 'nuoc thai')).toBeGreaterThan(0);
    await createDataset(t.db.db, P.sys!, SYSTEM_ACTOR, { name: 'thu-moi', title: 'Kangaroo ở Ninh Thuận', owner_org: 'so-tnmt' });
    expect(await find(other, 'kangaroo')).toBe(1);
    await updateDataset(t.db.db, P.sys!, SYSTEM_ACTOR, 'thu-moi', { title: 'Đà điểu ở Ninh Thuận' }, 'patch');
    expect(await find(other, 'kangaroo')).toBe(0);
    expect(await find(other, 'da dieu')).toBe(1);
    await updateDataset(other.db, P.sys!, SYSTEM_ACTOR, 'thu-moi', { access_level: 'private' }, 'patch');
    expect((await searchDatasets(t.db.db, ANONYMOUS_VIEWER, params({ q: 'da dieu', includePrivate: false }))).count).toBe(0);
    await deleteDataset(other.db, P.sys!, SYSTEM_ACTOR, 'thu-moi');
    expect(await find(t.db, 'da dieu')).toBe(0);
  });

  it('does not see a transaction before it commits, and sees it after, even when it started before the last sync', async () => {
    const client = await t.db.pool.connect();
    try {
      await client.query('begin');
      await client.query(`update dataset set title = 'Hươu cao cổ', search_doc = to_tsvector('simple', 'huou cao co') where name = 'ds-1'`);
      expect(await find(other, 'huou cao co')).toBe(0); // the other pool syncs while the transaction is open
      await client.query('commit');
    } finally {
      client.release();
    }
    expect(await find(other, 'huou cao co')).toBe(1);
  });
});

describe('the search index as a service of the app', () => {
  it('is found through a narrowed withTables() handle, and a database gets one index only', async () => {
    const narrowed = t.db.db.withTables<{ extra_table: { id: string } }>() as unknown as Db;
    expect(storeOf(narrowed)).toBeDefined();
    expect(storeOf(narrowed)).toBe(storeOf(t.db.db));
    expect(() => new SearchIndex('memory').start(t.db.db, silentLogger())).toThrow(/already has a search index/);
  });

  it('can be switched off: every query then runs in SQL, with the same answers', async () => {
    const off = await createTestApp({ searchIndex: 'off' });
    try {
      expect(storeOf(off.db.db)).toBeUndefined();
      const res = await off.app.inject({ method: 'GET', url: '/api/3/action/package_search?q=nuoc' });
      expect(res.statusCode).toBe(200);
    } finally {
      await off.close();
    }
  });
});
