import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { prepareDatabase } from '../src/app/index.js';
import { ANONYMOUS_VIEWER, refreshSearchColumns, searchDatasets, searchParams, type SearchParams, type Viewer } from '../src/modules/catalog/index.js';
import { SearchIndex } from '../src/modules/catalog/search/index.js';
import { silentLogger } from '../src/app/index.js';
import { searchMigrations } from '../src/modules/catalog/search/migrations.js';
import { connect, startEmbedded, type Db } from '../src/platform/db/index.js';
import { record } from './lib.js';

/**
 * package_search over 100,000 generated datasets with Vietnamese titles (embedded PostgreSQL,
 * default settings): p50/p95 of searchDatasets with facets for typical queries, anonymous and
 * signed-in, next to a naive baseline (ILIKE scan + one GROUP BY per facet) in the same run.
 */
const N = Number(process.env.BENCH_DATASETS ?? 100_000);
const ITER = Number(process.env.BENCH_ITER ?? 200);
const BASE_ITER = Number(process.env.BENCH_BASE_ITER ?? 15);
const FACETS = ['organization', 'groups', 'tags', 'res_format', 'license_id', 'access_level', 'spatial_codes', 'shared_db'];

const MEASURES = ['Danh sách', 'Số liệu', 'Thống kê', 'Báo cáo', 'Kết quả', 'Bản đồ', 'Hiện trạng', 'Chỉ tiêu', 'Tổng hợp', 'Cơ sở dữ liệu'];
const TOPICS = [
  'chất lượng nước',
  'nước thải công nghiệp',
  'nước sạch nông thôn',
  'quan trắc không khí',
  'đất đai',
  'giao thông vận tải',
  'cơ sở lưu trú du lịch',
  'khách du lịch',
  'cơ sở y tế',
  'trường học',
  'học sinh',
  'dân số',
  'lao động việc làm',
  'điện mặt trời',
  'điện gió',
  'sản lượng nông nghiệp',
  'nuôi trồng thủy sản',
  'khai thác hải sản',
  'diện tích rừng',
  'khí tượng thủy văn',
  'hộ nghèo',
  'doanh nghiệp đăng ký mới',
  'đầu tư công',
  'thu chi ngân sách',
  'giá đất',
  'công trình xây dựng',
  'quy hoạch sử dụng đất',
  'chợ truyền thống',
  'bệnh viện',
  'di tích lịch sử',
  'làng nghề',
  'sản xuất muối',
  'vùng trồng nho',
  'hạn hán',
  'thiên tai',
  'tai nạn giao thông',
  'xe buýt',
  'cảng cá',
  'thủ tục hành chính',
  'cán bộ công chức',
  'tiêm chủng',
  'bảo hiểm xã hội',
  'rác thải sinh hoạt',
  'hồ chứa thủy lợi',
  'trạm bơm',
  'nước ngầm',
];
const PLACES = [
  'tỉnh Ninh Thuận',
  'thành phố Phan Rang - Tháp Chàm',
  'huyện Ninh Hải',
  'huyện Ninh Phước',
  'huyện Ninh Sơn',
  'huyện Bác Ái',
  'huyện Thuận Bắc',
  'huyện Thuận Nam',
  'vịnh Vĩnh Hy',
  'xã Phước Dinh',
  'xã Vĩnh Hải',
  'thị trấn Khánh Hải',
  'xã Nhơn Hải',
];
const QUALIFIERS = ['', '', 'theo quý', 'theo tháng', 'giai đoạn 2021 - 2025', 'phân theo giới tính', 'phân theo đơn vị hành chính', 'cập nhật định kỳ'];
const TAGS = [
  'nước thải',
  'nước sạch',
  'môi trường',
  'quan trắc',
  'không khí',
  'đất đai',
  'giao thông',
  'du lịch',
  'y tế',
  'giáo dục',
  'dân số',
  'lao động',
  'năng lượng',
  'điện mặt trời',
  'điện gió',
  'nông nghiệp',
  'thủy sản',
  'lâm nghiệp',
  'khí tượng',
  'an sinh xã hội',
  'doanh nghiệp',
  'đầu tư',
  'ngân sách',
  'tài chính',
  'xây dựng',
  'quy hoạch',
  'thương mại',
  'văn hóa',
  'thiên tai',
  'thủy lợi',
  'hành chính công',
  'thống kê',
  'bản đồ',
  'GIS',
  'open data',
  'báo cáo năm',
];
const FORMATS = ['CSV', 'CSV', 'CSV', 'XLSX', 'XLSX', 'PDF', 'PDF', 'JSON', 'GeoJSON', 'SHP', 'DOCX', 'XML', 'API'];
const LICENSES = ['cc-by', 'cc-by', 'cc-zero', 'odc-odbl', 'gov-use-only', 'notspecified'];

const lit = (xs: string[]) => sql`${sql.val(xs)}::text[]`;

/** Generates n datasets with Vietnamese titles, tags, groups and resources straight in SQL. */
export async function generateCatalog(db: Db, n = N, opts: { publicOnly?: boolean } = {}): Promise<void> {
  const t0 = Date.now();
  await sql`set tinhso.search_bulk = 'on'`.execute(db);
  // pick(arr, salt) = arr[hash(i, salt) % len]
  await sql`create or replace function pg_temp.h(i bigint, salt int) returns int language sql immutable as
    $$ select (hashint8(i * 7919 + salt) & 2147483647)::int $$`.execute(db);
  await sql`
    insert into dataset (name, title, notes, owner_org, license_id, access_level, restricted_orgs, restricted_kinds, state,
      spatial_codes, shared_db, view_count, metadata_created, metadata_modified)
    select 'ds-' || i,
      m[1 + pg_temp.h(i, 1) % cardinality(m)] || ' ' || tp[1 + pg_temp.h(i, 2) % cardinality(tp)]
        || coalesce(nullif(' ' || ql[1 + pg_temp.h(i, 3) % cardinality(ql)], ' '), '') || ' ' || pl[1 + pg_temp.h(i, 4) % cardinality(pl)]
        || ' năm ' || (2015 + pg_temp.h(i, 5) % 11),
      'Bộ dữ liệu về ' || tp[1 + pg_temp.h(i, 6) % cardinality(tp)] || ' và ' || tp[1 + pg_temp.h(i, 7) % cardinality(tp)]
        || ' do ' || o.name || ' cung cấp, ' || pl[1 + pg_temp.h(i, 8) % cardinality(pl)] || '.',
      o.id, lic[1 + pg_temp.h(i, 9) % cardinality(lic)],
      case when ${opts.publicOnly ?? false} or a < 70 then 'public' when a < 82 then 'government' when a < 92 then 'restricted' else 'private' end,
      case when a between 82 and 91 then array[oa[1 + pg_temp.h(i, 11) % cardinality(oa)]] else '{}' end,
      case when a between 82 and 86 then array['commune_committee'] else '{}' end,
      case when pg_temp.h(i, 12) % 100 < 3 then 'draft' else 'active' end,
      case when pg_temp.h(i, 13) % 3 = 0 then array['58'] else array['58', (array['582','584','585','586','587','588','589'])[1 + pg_temp.h(i, 14) % 7]] end,
      case when pg_temp.h(i, 15) % 20 = 0 then jsonb_build_object('managingOrgId', o.id, 'legalBasis', 'QĐ', 'dataOwner', o.name, 'sharingMethods', '["file"]'::jsonb, 'allowedOrgIds', '[]'::jsonb, 'allowedKinds', '[]'::jsonb) end,
      pg_temp.h(i, 16) % 5000,
      ts, ts + (pg_temp.h(i, 18) % 400) * interval '1 day'
    from generate_series(1, ${n}) i
    cross join lateral (select pg_temp.h(i, 10) % 100 as a, timestamptz '2020-01-01' + (pg_temp.h(i, 17) % 1800) * interval '1 day' + (i % 86400) * interval '1 second' as ts) x
    cross join (select array_agg(id order by id) oa from organization) orgs
    join organization o on o.id = oa[1 + pg_temp.h(i, 19) % cardinality(oa)]
    cross join (select ${lit(MEASURES)} m, ${lit(TOPICS)} tp, ${lit(QUALIFIERS)} ql, ${lit(PLACES)} pl, ${lit(LICENSES)} lic) v
  `.execute(db);
  await sql`insert into tag (name) select unnest(${lit(TAGS)}) union select 'chủ đề ' || g from generate_series(1, 400) g on conflict do nothing`.execute(db);
  await sql`
    insert into dataset_tag (dataset_id, tag_id)
    select distinct d.id, ta[1 + pg_temp.h(d.i::int * 5 + k, 21) % case when k = 4 then cardinality(ta) else ${TAGS.length} end]
    from (select id, row_number() over () as i from dataset) d
    cross join generate_series(1, 2 + pg_temp.h(d.i::int, 20) % 3) k
    cross join (select array_agg(id order by name like 'chủ đề %', name) ta from tag) t
  `.execute(db);
  await sql`
    insert into dataset_group (dataset_id, group_id)
    select distinct d.id, ga[1 + pg_temp.h(d.i::int * 3 + k, 23) % cardinality(ga)]
    from (select id, row_number() over () as i from dataset) d
    cross join generate_series(1, 1 + pg_temp.h(d.i::int, 22) % 2) k
    cross join (select array_agg(id order by name) ga from catalog_group) g
  `.execute(db);
  await sql`
    insert into resource (dataset_id, position, name, url, format)
    select d.id, k, 'Dữ liệu ' || k, 'https://example.org/' || d.i || '/' || k, (${lit(FORMATS)})[1 + pg_temp.h(d.i::int * 11 + k, 24) % ${FORMATS.length}]
    from (select id, row_number() over () as i from dataset) d
    cross join generate_series(0, pg_temp.h(d.i::int, 25) % 3) k
  `.execute(db);
  await refreshSearchColumns(db, null);
  await sql`select catalog_search_rebuild()`.execute(db);
  await sql`reset tinhso.search_bulk`.execute(db);
  // The bulk updates above leave every row version three times over; a real catalogue does not.
  await sql`vacuum full analyze`.execute(db);
  console.error(`generated ${n} datasets in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** A few hand-made datasets the quality checks look for among the 100k. */
async function plant(db: Db): Promise<void> {
  await sql`
    update dataset set title = v.title, metadata_modified = now() - interval '3 years' from (values
      ('ds-11', 'Danh sách khách sạn khu du lịch Vĩnh Hy'),
      ('ds-12', 'Danh sách tàu cá vịnh Vịnh Hý'),
      ('ds-13', 'Hiện trạng nước thải của các khu công nghiệp'))
    as v(name, title) where dataset.name = v.name`.execute(db);
  await sql`
    update dataset d set search_folded = lower(unaccent(d.title)),
      search_doc = setweight(to_tsvector('simple', lower(unaccent(d.title))), 'A'),
      search_exact = to_tsvector('simple', lower(d.title))
    where d.name in ('ds-11', 'ds-12', 'ds-13')`.execute(db);
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! * 100) / 100;
};

async function time(n: number, f: () => Promise<unknown>) {
  for (let i = 0; i < Math.min(10, n); i++) await f();
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await f();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { p50: pct(ms, 50), p95: pct(ms, 95), max: pct(ms, 100) };
}

/** The naive way: ILIKE over folded title/notes, count, page, and one GROUP BY per facet. */
async function naive(db: Db, v: Viewer, p: SearchParams): Promise<number> {
  const readable =
    p.includePrivate && v.orgIds.length
      ? sql`d.state = 'active' and (d.access_level in ('public', 'government') or d.owner_org = any(${sql.val(v.orgIds)}::uuid[]) or d.restricted_orgs && ${sql.val(v.orgIds)}::uuid[])`
      : sql`d.state = 'active' and d.access_level = 'public'`;
  const text = p.q ? sql`lower(unaccent(d.title || ' ' || coalesce(d.notes, ''))) ilike ${`%${p.q.toLowerCase()}%`}` : sql`true`;
  const fq = p.fq.length
    ? sql`d.owner_org = (select id from organization where slug = 'so-tnmt') and exists (select 1 from resource r where r.dataset_id = d.id and r.format = 'CSV')`
    : sql`true`;
  const where = sql`${readable} and ${text} and ${fq}`;
  const { rows } = await sql<{ n: number }>`select count(*)::int n from dataset d where ${where}`.execute(db);
  await sql`select d.id from dataset d where ${where} order by d.metadata_modified desc limit ${p.rows}`.execute(db);
  await sql`select o.slug, count(*) from dataset d join organization o on o.id = d.owner_org where ${where} group by 1`.execute(db);
  await sql`select g.name, count(*) from dataset d join dataset_group dg on dg.dataset_id = d.id join catalog_group g on g.id = dg.group_id where ${where} group by 1`.execute(
    db,
  );
  await sql`select t.name, count(*) from dataset d join dataset_tag dt on dt.dataset_id = d.id join tag t on t.id = dt.tag_id where ${where} group by 1`.execute(
    db,
  );
  await sql`select r.format, count(distinct d.id) from dataset d join resource r on r.dataset_id = d.id where ${where} group by 1`.execute(db);
  await sql`select d.license_id, count(*) from dataset d where ${where} group by 1`.execute(db);
  await sql`select d.access_level, count(*) from dataset d where ${where} group by 1`.execute(db);
  await sql`select c, count(*) from dataset d, unnest(d.spatial_codes) c where ${where} group by 1`.execute(db);
  await sql`select d.shared_db is not null, count(*) from dataset d where ${where} group by 1`.execute(db);
  return rows[0]!.n;
}

export async function run(): Promise<void> {
  // BENCH_KEEP_DIR=/some/dir keeps the generated database between runs (generated once).
  const keep = process.env.BENCH_KEEP_DIR;
  const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-bench-search-'));
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o755);
  const pgh = await startEmbedded({ dataDir: dir, database: 'postgres', settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } });
  const admin = connect(pgh.adminUrl, { max: 1 });
  const exists = (await sql<{ n: number }>`select count(*)::int n from pg_database where datname = 'bench_search'`.execute(admin.db)).rows[0]!.n > 0;
  if (!exists) await sql`create database bench_search`.execute(admin.db);
  await admin.close();
  const u = new URL(pgh.adminUrl);
  u.pathname = '/bench_search';
  const database = connect(u.toString(), { max: 4 });
  const db = database.db;
  try {
    await prepareDatabase(db, { demo: false });
    const applied = await sql<{
      n: number;
    }>`select count(*)::int n from information_schema.columns where table_name = 'dataset' and column_name = 'facet_keys'`.execute(db);
    if (applied.rows[0]!.n === 0) for (const m of searchMigrations) await sql.raw(m.up as string).execute(db);
    if (!exists)
      await db.connection().execute(async (conn) => {
        await generateCatalog(conn);
        await plant(conn);
      });
    const tnmt = await sql<{ id: string }>`select id from organization where slug = 'so-tnmt'`.execute(db);
    const signedIn: Viewer = { userId: 'bench', label: 'bench', isSysadmin: false, orgIds: [tnmt.rows[0]!.id], orgKinds: ['department'], editorOf: [] };

    const P = (over: Partial<SearchParams>): SearchParams => searchParams({ sort: '', facetFields: FACETS, ...over });
    const cases: [string, Partial<SearchParams>, string][] = [
      ['empty q, all facets', {}, ''],
      ['single word "du lịch"', { q: 'du lịch' }, 'du lich'],
      ['word "muối"', { q: 'muối' }, 'muoi'],
      ['phrase "nước thải"', { q: 'nước thải' }, 'nuoc thai'],
      ['accentless "chat luong nuoc"', { q: 'chat luong nuoc' }, 'chat luong nuoc'],
      ['exact "Vĩnh Hy"', { q: 'Vĩnh Hy' }, 'vinh hy'],
      ['typo "nuoc thia"', { q: 'nuoc thia' }, 'nuoc thia'],
      ['fq organization + res_format', { fq: ['organization:so-tnmt', 'res_format:CSV'] }, ''],
      ['sorted by metadata_modified', { q: 'điện mặt trời', sort: 'metadata_modified desc' }, 'dien mat troi'],
    ];
    const results: Record<string, unknown> = { datasets: N, iterations: ITER, baselineIterations: BASE_ITER };
    // The app warms the in-memory index after it listens: timed here once, with the heap it takes.
    global.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    const t0 = process.hrtime.bigint();
    const index = new SearchIndex('memory');
    index.start(db, silentLogger());
    await index.ready();
    await searchDatasets(db, ANONYMOUS_VIEWER, P({ q: 'nước' }));
    results.memoryIndex = {
      warmMs: Math.round(Number(process.hrtime.bigint() - t0) / 1e6),
      heapMiB: Math.round((process.memoryUsage().heapUsed - heap0) / 2 ** 20),
    };
    console.error(`in-memory index: first search ${JSON.stringify(results.memoryIndex)}`);
    let worstP95 = 0;
    for (const [who, viewer, priv] of [
      ['anonymous', ANONYMOUS_VIEWER, false],
      ['signedIn', signedIn, true],
    ] as const) {
      const rows: Record<string, unknown> = {};
      for (const [label, over, naiveQ] of cases.filter(([l]) => !process.env.BENCH_CASES || l.includes(process.env.BENCH_CASES))) {
        const params = P({ ...over, includePrivate: priv });
        const r = await searchDatasets(db, viewer, params);
        const ours = await time(ITER, () => searchDatasets(db, viewer, params));
        const sqlOnly = await time(Math.max(5, Math.round(ITER / 4)), () => searchDatasets(db, viewer, params, { engine: 'sql' }));
        const memoryOnly = await time(Math.max(5, Math.round(ITER / 4)), () => searchDatasets(db, viewer, params, { engine: 'memory' }));
        const base = await time(BASE_ITER, () => naive(db, viewer, { ...params, q: naiveQ }));
        worstP95 = Math.max(worstP95, ours.p95);
        rows[label] = {
          count: r.count,
          p50: ours.p50,
          p95: ours.p95,
          sqlOnlyP50: sqlOnly.p50,
          sqlOnlyP95: sqlOnly.p95,
          memoryOnlyP50: memoryOnly.p50,
          memoryOnlyP95: memoryOnly.p95,
          naiveP50: base.p50,
          naiveP95: base.p95,
        };
        console.error(
          `${who.padEnd(9)} ${label.padEnd(32)} count=${String(r.count).padStart(6)}  p50 ${ours.p50} ms  p95 ${ours.p95} ms   sql-only p50 ${sqlOnly.p50} p95 ${sqlOnly.p95}   memory-only p50 ${memoryOnly.p50} p95 ${memoryOnly.p95}   naive p50 ${base.p50} p95 ${base.p95} ms`,
        );
      }
      results[who] = rows;
    }
    const top = async (q: string) => {
      const r = await searchDatasets(db, ANONYMOUS_VIEWER, P({ q, facetFields: [], includePrivate: true }));
      const names = await sql<{ id: string; title: string }>`select id, title from dataset where id = any(${sql.val(r.ids.slice(0, 3))}::uuid[])`.execute(db);
      const byId = new Map(names.rows.map((x) => [x.id, x.title]));
      return r.ids.slice(0, 3).map((id) => byId.get(id));
    };
    results.quality = { 'Vĩnh Hy': await top('Vĩnh Hy'), 'nuoc thia': await top('nuoc thia') };
    results.budget = { p95ms: 25, worstP95ms: worstP95, ok: worstP95 <= 25 };
    if (process.env.BENCH_NO_RECORD) console.log(JSON.stringify(results, null, 1));
    else record('catalog-search', results);
  } finally {
    await database.close();
    await pgh.stop();
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}
