import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import yazl from 'yazl';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataset, createResource, flushViewCounts, type DatasetInput } from '../../src/modules/catalog/index.js';
import { getOrganization, loadMemberships } from '../../src/modules/organizations/index.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.js';
import { systemPrincipal, type Principal } from '../../src/platform/auth/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let base: string;
const auth: Record<string, { authorization: string }> = {};
let editorPrincipal: Principal;

const dcatReady = !/datasetRdf: not implemented/.test(fs.readFileSync(path.resolve('src/modules/catalog/dcat/index.ts'), 'utf8'));

const CSV = '\uFEFFNgày,Lưu lượng (m³),Trạm\n2024-01-01,120,Phan Rang\n2024-02-01,"1.350",Phan Rang\n2024-03-01,98.5,"Ninh Hải, Khánh Hòa"\n';

async function member(email: string, org: string, role: 'admin' | 'editor' | 'member'): Promise<{ authorization: string }> {
  const u = await t.userWithToken({ email, name: email });
  const { org: o } = await getOrganization(t.db.db, org);
  await t.db.pool.query('insert into org_member (org_id, user_id, role) values ($1, $2, $3)', [o.id, u.id, role]);
  return u.auth;
}

const SOURCE_ID = '5f0c2b8e-1d7a-4c1e-9a43-2f6d1b7e9c10';

async function make(input: DatasetInput, harvest = false) {
  if (harvest && (await t.db.pool.query("select to_regclass('harvest_source') as t")).rows[0]?.t) {
    await t.db.pool.query(
      "insert into harvest_source (id, name, title, type, url, owner_org) select $1, 'cong-quoc-gia', 'Cổng dữ liệu quốc gia', 'ckan', 'https://data.example.gov.vn', id from organization where slug = 'so-tnmt'",
      [SOURCE_ID],
    );
  }
  const opts = harvest ? { harvest: { sourceId: SOURCE_ID, originalId: 'orig-1', url: 'https://data.example.gov.vn/dataset/orig-1' } } : {};
  return createDataset(t.db.db, systemPrincipal(), SYSTEM_ACTOR, input, opts);
}

const get = (url: string, headers: Record<string, string> = {}) => fetch(`${base}${url}`, { headers, redirect: 'manual' });
const page = async (url: string, headers: Record<string, string> = {}) => {
  const res = await get(url, headers);
  const text = await res.text();
  return { status: res.status, text, res };
};

beforeAll(async () => {
  t = await createTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  auth.editor = await member('bientap@tnmt.vn', 'so-tnmt', 'editor');
  auth.tnmtMember = await member('thanhvien@tnmt.vn', 'so-tnmt', 'member');
  auth.khcn = await member('canbo@khcn.vn', 'so-khcn', 'member');
  auth.sys = (await t.userWithToken({ email: 'root@tinhso.vn', sysadmin: true })).auth;
  const editorId = (await t.db.pool.query<{ id: string }>("select id from app_user where email = 'bientap@tnmt.vn'")).rows[0]!.id;
  editorPrincipal = {
    user: { id: editorId, email: 'bientap@tnmt.vn', name: 'x', isSysadmin: false, createdAt: new Date() },
    via: 'token',
    csrfToken: null,
    memberships: await loadMemberships(t.db.db, editorId),
  };

  const pub = await make({
    name: 'nuoc-thai-cong-nghiep',
    title: 'Chất lượng nước thải công nghiệp',
    title_en: 'Industrial wastewater quality',
    notes: 'Kết quả quan trắc nước thải tại các khu công nghiệp.',
    owner_org: 'so-tnmt',
    license_id: 'cc-by',
    tags: ['nước thải', 'quan trắc'],
    groups: [{ name: 'tai-nguyen-moi-truong' }],
    spatial_codes: ['58'],
    temporal_start: '2024-01-01',
    temporal_end: '2024-12-31',
    update_frequency: 'hằng tháng',
    contact_name: 'Phòng Môi trường',
    contact_email: 'moitruong@tnmt.vn',
  });
  await uploadCsv(pub.dataset.id);
  await make({
    name: 'can-bo-noi-bo',
    title: 'Danh sách cán bộ nội bộ',
    owner_org: 'so-tnmt',
    access_level: 'government',
    groups: [{ name: 'tai-nguyen-moi-truong' }],
  });
  await make({
    name: 'du-lieu-rieng',
    title: 'Dữ liệu riêng tư của Sở',
    owner_org: 'so-tnmt',
    access_level: 'private',
    groups: [{ name: 'tai-nguyen-moi-truong' }],
  });
  await make({
    name: 'csdl-dat-dai',
    title: 'Cơ sở dữ liệu đất đai',
    owner_org: 'so-tnmt',
    access_level: 'government',
    shared_db: {
      legal_basis: 'Quyết định 123/QĐ-UBND',
      data_owner: 'Sở Tài nguyên và Môi trường',
      sharing_methods: ['lgsp', 'file'],
      allowed_kinds: ['commune_committee'],
    },
  });
  await make({
    name: 'csdl-cong-khai',
    title: 'Danh mục điểm du lịch',
    owner_org: 'so-tnmt',
    shared_db: { legal_basis: 'Kế hoạch 45/KH-UBND', data_owner: 'Sở Du lịch', sharing_methods: ['datastore_api'] },
  });
  await make({ name: 'thu-thap', title: 'Dữ liệu thu thập từ cổng quốc gia', owner_org: 'so-tnmt' }, true);
});

/** Stores a CSV like the web upload does and attaches it to the dataset. */
async function uploadCsv(datasetId: string): Promise<void> {
  const form = new FormData();
  form.append('upload', new Blob([CSV], { type: 'text/csv' }), 'luu-luong.csv');
  form.append('name', 'Lưu lượng nước thải');
  const res = await fetch(`${base}/dataset/${datasetId}/resource/new`, { method: 'POST', body: form, headers: auth.editor!, redirect: 'manual' });
  expect(res.status, await res.clone().text()).toBe(303);
}

afterAll(async () => t?.close());

describe('home page', () => {
  it('has a dataset search box, theme tiles with counts and the newest public datasets', async () => {
    const { text } = await page('/');
    expect(text).toContain('action="/dataset"');
    expect(text).toContain('name="q"');
    const tile = /data-theme="tai-nguyen-moi-truong">([\s\S]*?)<\/li>/.exec(text)?.[1] ?? '';
    expect(tile).toContain('href="/group/tai-nguyen-moi-truong"');
    expect(tile).toContain('Tài nguyên – môi trường');
    expect(tile).toMatch(/<span class="count">1 bộ dữ liệu<\/span>/);
    expect(text).toContain('Chất lượng nước thải công nghiệp');
    expect(text).not.toContain('Dữ liệu riêng tư của Sở');
    expect(text).not.toContain('Danh sách cán bộ nội bộ');
    expect(text).toMatch(/data-stat="datasets">\d+</);
  });
});

describe('/dataset search', () => {
  it('shows anonymous visitors public datasets only, without the access facet', async () => {
    const { status, text } = await page('/dataset');
    expect(status).toBe(200);
    expect(text).toContain('<html lang="vi">');
    expect(text).toContain('<h1>Danh mục dữ liệu</h1>');
    expect(text).toContain('href="/dataset/nuoc-thai-cong-nghiep"');
    expect(text).not.toContain('can-bo-noi-bo');
    expect(text).not.toContain('du-lieu-rieng');
    expect(text).not.toContain('data-facet="access_level"');
    expect(text).toContain('data-format="CSV"');
    expect(text).toContain('Tỉnh Ninh Thuận'); // spatial facet shows unit names
  });

  it('shows signed-in members everything they may read, with the access facet', async () => {
    const editor = await page('/dataset', auth.editor);
    expect(editor.text).toContain('href="/dataset/du-lieu-rieng"');
    expect(editor.text).toContain('href="/dataset/can-bo-noi-bo"');
    expect(editor.text).toContain('data-facet="access_level"');
    const other = await page('/dataset', auth.khcn);
    expect(other.text).toContain('href="/dataset/can-bo-noi-bo"');
    expect(other.text).not.toContain('du-lieu-rieng');
  });

  it('filters by a facet and by text, in English too', async () => {
    const { text } = await page('/dataset?res_format=CSV');
    expect(text).toContain('nuoc-thai-cong-nghiep');
    expect(text).not.toContain('href="/dataset/csdl-cong-khai"');
    const en = await page('/dataset?q=wastewater&lang=en');
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('Industrial wastewater quality');
  });
});

describe('/dataset/:name', () => {
  it('renders metadata, resources, the CSV preview, a chart and JSON-LD for a public dataset', async () => {
    const { status, text } = await page('/dataset/nuoc-thai-cong-nghiep');
    expect(status).toBe(200);
    expect(text).toContain('<h1>Chất lượng nước thải công nghiệp</h1>');
    expect(text).toContain('lang="en">Industrial wastewater quality');
    expect(text).toContain('Creative Commons Attribution 4.0');
    expect(text).toContain('href="/group/tai-nguyen-moi-truong"');
    expect(text).toContain('Tỉnh Ninh Thuận');
    expect(text).toContain('01/01/2024 – 31/12/2024');
    // A known update frequency is shown in the reader's language, whatever spelling it was stored in.
    expect(text).toMatch(/<dt>Tần suất cập nhật<\/dt>\s*<dd>Hằng tháng<\/dd>/);
    expect((await page('/dataset/nuoc-thai-cong-nghiep?lang=en')).text).toMatch(/<dt>Update frequency<\/dt>\s*<dd>Monthly<\/dd>/);
    expect(text).toMatch(/href="\/dataset\/[0-9a-f-]{36}\/resource\/[0-9a-f-]{36}\/download\/luu-luong\.csv"/);
    expect(text).toContain('<th scope="col">Lưu lượng (m³)</th>');
    expect(text).toContain('<td>Ninh Hải, Khánh Hòa</td>');
    expect(text).toContain('class="chart-svg"');
    expect(text).toContain('<script type="application/ld+json">');
    expect(text).not.toContain('/dataset/nuoc-thai-cong-nghiep/edit');
  });

  it('shows editors the progress of a load still running (no workers run here: it stays queued)', async () => {
    const res = await fetch(`${base}/dataset/nuoc-thai-cong-nghiep`, { headers: auth.editor! });
    const text = await res.text();
    expect(text).toMatch(/class="wz-progress"[^>]*data-job="[0-9a-f-]{36}"/);
    expect(text).toContain('<progress max="100" value="0">');
    expect(text).toContain('Lần nạp gần nhất: đang chờ');
    // Readers without edit rights see neither the load nor its progress.
    expect((await page('/dataset/nuoc-thai-cong-nghiep')).text).not.toContain('wz-progress');
  });

  it('previews the first sheet of an uploaded XLSX workbook', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Số liệu');
    ws.addRow(['Ngày', 'Huyện', 'Lượng mưa (mm)']);
    ws.addRow([new Date(Date.UTC(2024, 0, 15)), 'Ninh Phước', 12.5]);
    ws.addRow([new Date(Date.UTC(2024, 1, 15)), 'Thuận Nam', { formula: '2*4', result: 8 }]);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const id = (await t.db.pool.query<{ id: string }>("select id from dataset where name = 'nuoc-thai-cong-nghiep'")).rows[0]!.id;
    const form = new FormData();
    form.append('upload', new Blob([buf], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), 'luong-mua.xlsx');
    form.append('name', 'Lượng mưa');
    const res = await fetch(`${base}/dataset/${id}/resource/new`, { method: 'POST', body: form, headers: auth.editor!, redirect: 'manual' });
    expect(res.status, await res.clone().text()).toBe(303);
    const { text } = await page('/dataset/nuoc-thai-cong-nghiep');
    expect(text).toContain('<th scope="col">Lượng mưa (mm)</th>');
    expect(text).toContain('<td>15/01/2024</td>');
    expect(text).toContain('<td>Thuận Nam</td>');
    expect(text).toContain('<td>8</td>');
  });

  it('answers a public page holding an XLSX zip bomb at once, with a note instead of a preview', async () => {
    // 1 MB on disk; its shared strings inflate to 300 MB, and the sheet uses the last of them.
    const zip = new yazl.ZipFile();
    const add = (name: string, body: string) => zip.addBuffer(Buffer.from(body), name);
    add('[Content_Types].xml', '<?xml version="1.0"?><Types/>');
    add('xl/workbook.xml', '<?xml version="1.0"?><workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>');
    add('xl/_rels/workbook.xml.rels', '<?xml version="1.0"?><Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>');
    add('xl/worksheets/sheet1.xml', '<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1" t="s"><v>299999</v></c></row></sheetData></worksheet>');
    const si = `<si><t>${'b'.repeat(1000)}</t></si>`.repeat(1000);
    zip.addReadStream(
      Readable.from(
        (function* () {
          yield '<sst>';
          for (let i = 0; i < 300; i++) yield si;
          yield '</sst>';
        })(),
      ),
      'xl/sharedStrings.xml',
    );
    zip.end();
    const chunks: Buffer[] = [];
    for await (const c of zip.outputStream as AsyncIterable<Buffer>) chunks.push(c);
    const bomb = Buffer.concat(chunks);
    const id = (await t.db.pool.query<{ id: string }>("select id from dataset where name = 'nuoc-thai-cong-nghiep'")).rows[0]!.id;
    const form = new FormData();
    form.append('upload', new Blob([bomb]), 'bom.xlsx');
    form.append('name', 'Bom');
    const res = await fetch(`${base}/dataset/${id}/resource/new`, { method: 'POST', body: form, headers: auth.editor!, redirect: 'manual' });
    expect(res.status).toBe(303);
    const { status, text } = await page('/dataset/nuoc-thai-cong-nghiep');
    expect(status).toBe(200);
    expect(text).not.toContain('b'.repeat(1000));
    expect(text).toContain('Không thể xem trước tệp này.');
  });

  it('counts HTML views without writing the dataset row; the flush job adds them up', async () => {
    const row = async () =>
      (await t.db.pool.query<{ view_count: string; xmin: string }>("select view_count, xmin::text from dataset where name = 'nuoc-thai-cong-nghiep'")).rows[0]!;
    await flushViewCounts(t.db.db);
    const before = await row();
    await page('/dataset/nuoc-thai-cong-nghiep');
    await page('/dataset/nuoc-thai-cong-nghiep?lang=en');
    const during = await row();
    expect(during).toEqual(before); // same count, same row version: a view rewrote nothing
    expect(await flushViewCounts(t.db.db)).toBe(2);
    expect(Number((await row()).view_count)).toBe(Number(before.view_count) + 2);
    expect(await flushViewCounts(t.db.db)).toBe(0);
  });

  it('holds the access levels, with HTML error pages', async () => {
    const anon = await page('/dataset/can-bo-noi-bo');
    expect(anon.status).toBe(403);
    expect(anon.text).toContain('<h1>Lỗi 403</h1>');
    expect((await page('/dataset/du-lieu-rieng', auth.khcn)).status).toBe(403);
    const missing = await page('/dataset/khong-co');
    expect(missing.status).toBe(404);
    expect(missing.res.headers.get('content-type')).toContain('text/html');
    const own = await page('/dataset/du-lieu-rieng', auth.editor);
    expect(own.status).toBe(200);
    expect(own.text).not.toContain('<script type="application/ld+json">');
    expect(own.text).toContain('name="robots" content="noindex"');
    expect(own.text).toContain('href="/dataset/du-lieu-rieng/edit"');
    const memberView = await page('/dataset/du-lieu-rieng', auth.tnmtMember);
    expect(memberView.status).toBe(200);
    expect(memberView.text).not.toContain('/edit"');
  });

  it('shows the shared-database designation and provenance blocks', async () => {
    const { text } = await page('/dataset/csdl-dat-dai', auth.khcn);
    expect(text).toContain('Cơ sở dữ liệu dùng chung');
    expect(text).toContain('Quyết định 123/QĐ-UBND');
    expect(text).toContain('Dịch vụ qua LGSP');
    expect(text).toContain('UBND cấp xã');
    const harvested = await page('/dataset/thu-thap', auth.editor);
    expect(harvested.text).toContain('https://data.example.gov.vn/dataset/orig-1');
    expect(harvested.text).toContain('Nguồn gốc');
    expect(harvested.text).not.toContain('/dataset/thu-thap/edit');
    expect((await page('/dataset/thu-thap/edit', auth.editor)).status).toBe(403);
  });

  it.skipIf(!dcatReady)('answers RDF when Accept prefers it', async () => {
    const ttl = await get('/dataset/nuoc-thai-cong-nghiep', { accept: 'text/turtle' });
    expect(ttl.status).toBe(200);
    expect(ttl.headers.get('content-type')).toContain('text/turtle');
    const ld = await get('/dataset/nuoc-thai-cong-nghiep', { accept: 'application/ld+json, text/html;q=0.5' });
    expect(ld.headers.get('content-type')).toContain('json');
    const html = await get('/dataset/nuoc-thai-cong-nghiep', { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' });
    expect(html.headers.get('content-type')).toContain('text/html');
    expect((await get('/dataset/du-lieu-rieng', { accept: 'text/turtle' })).status).toBe(403);
  });

  it('lists the activity with who and when', async () => {
    const { status, text } = await page('/dataset/nuoc-thai-cong-nghiep/activity');
    expect(status).toBe(200);
    expect(text).toContain('Tạo bộ dữ liệu');
    expect(text).toContain('Thêm tài nguyên');
    expect(text).toContain('bientap@tnmt.vn');
    expect((await page('/dataset/du-lieu-rieng/activity')).status).toBe(403);
  });
});

describe('organizations, themes and shared databases', () => {
  it('counts and lists only readable datasets per organization', async () => {
    const list = await page('/organization');
    expect(list.text).toContain('href="/organization/so-tnmt"');
    // Each organization of the tree carries its readable-dataset count, singular in English for one.
    const en = (await page('/organization?lang=en')).text;
    const badges = [...en.matchAll(/data-count="(\d+)">([^<]+)</g)].map((m) => [Number(m[1]), m[2]!.trim()] as const);
    expect(badges.length).toBeGreaterThan(0);
    for (const [n, label] of badges) expect(label).toBe(n === 1 ? '1 dataset' : `${n} datasets`);
    const anon = await page('/organization/so-tnmt');
    expect(anon.status).toBe(200);
    expect(anon.text).toContain('nuoc-thai-cong-nghiep');
    expect(anon.text).not.toContain('du-lieu-rieng');
    const editor = await page('/organization/so-tnmt', auth.editor);
    expect(editor.text).toContain('du-lieu-rieng');
    expect((await page('/organization/khong-co')).status).toBe(404);
  });

  it('lists themes and their readable datasets', async () => {
    expect((await page('/group')).text).toContain('href="/group/nong-nghiep"');
    const anon = await page('/group/tai-nguyen-moi-truong');
    expect(anon.text).toContain('<h1>Tài nguyên – môi trường</h1>');
    expect(anon.text).toContain('nuoc-thai-cong-nghiep');
    expect(anon.text).not.toContain('can-bo-noi-bo');
    expect((await page('/group/tai-nguyen-moi-truong', auth.khcn)).text).toContain('can-bo-noi-bo');
    expect((await page('/group/khong-co')).status).toBe(404);
  });

  it('shows the shared-database catalogue per reader, filterable by managing agency', async () => {
    const anon = await page('/shared-databases');
    expect(anon.text).toContain('<h1>Danh mục cơ sở dữ liệu dùng chung</h1>');
    expect(anon.text).toContain('Danh mục điểm du lịch');
    expect(anon.text).not.toContain('Cơ sở dữ liệu đất đai');
    const gov = await page('/shared-databases?managing=so-tnmt', auth.khcn);
    expect(gov.text).toContain('Cơ sở dữ liệu đất đai');
    expect(gov.text).toContain('Kế hoạch 45/KH-UBND');
    expect((await page('/shared-databases?managing=so-khcn', auth.khcn)).text).not.toContain('Cơ sở dữ liệu đất đai');
  });
});

describe('editor pages', () => {
  it('sends anonymous visitors to sign in and refuses non-editors', async () => {
    const anon = await get('/dataset/new');
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toBe('/login?next=%2Fdataset%2Fnew');
    expect((await page('/dataset/new', auth.khcn)).status).toBe(403);
    expect((await page('/dataset/new', auth.tnmtMember)).status).toBe(403);
    expect((await page('/dataset/nuoc-thai-cong-nghiep/edit', auth.khcn)).status).toBe(403);
    expect((await page('/dataset/nuoc-thai-cong-nghiep/resource/new', auth.tnmtMember)).status).toBe(403);
    const post = await fetch(`${base}/dataset/nuoc-thai-cong-nghiep/delete`, { method: 'POST', headers: auth.khcn, redirect: 'manual' });
    expect(post.status).toBe(403);
  });

  it('re-renders the form with field errors and the entered values', async () => {
    const body = new URLSearchParams({ title: '', title_en: 'Only English', owner_org: 'so-tnmt', access_level: 'public' });
    const res = await fetch(`${base}/dataset/new`, { method: 'POST', body, headers: auth.editor, redirect: 'manual' });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain('href="#ds-title"');
    expect(text).toContain('value="Only English"');
    const bad = new URLSearchParams({ title: 'Ngày sai', owner_org: 'so-tnmt', temporal_start: '31/02/2024' });
    const r2 = await fetch(`${base}/dataset/new`, { method: 'POST', body: bad, headers: auth.editor, redirect: 'manual' });
    expect(r2.status).toBe(400);
    expect(await r2.text()).toContain('value="31/02/2024"');
  });

  it('creates and edits a dataset, converting dd/mm/yyyy dates and resolving unit names', async () => {
    const body = new URLSearchParams([
      ['title', 'Số liệu mưa hằng ngày'],
      ['owner_org', 'so-tnmt'],
      ['access_level', 'public'],
      ['groups', 'tai-nguyen-moi-truong'],
      ['groups', 'nong-nghiep'],
      ['tags', 'mưa, khí tượng'],
      ['temporal_start', '01/01/2020'],
      ['spatial_codes', '58, Thành phố Phan Rang-Tháp Chàm'],
    ]);
    const res = await fetch(`${base}/dataset/new`, { method: 'POST', body, headers: auth.editor, redirect: 'manual' });
    expect(res.status, await res.clone().text()).toBe(303);
    expect(res.headers.get('location')).toBe('/dataset/so-lieu-mua-hang-ngay?msg=created');
    const { text } = await page('/dataset/so-lieu-mua-hang-ngay?msg=created', auth.editor);
    expect(text).toContain('Đã tạo bộ dữ liệu.');
    expect(text).toContain('01/01/2020 – …');
    expect(text).toContain('Thành phố Phan Rang-Tháp Chàm</a> <span class="note">(582)</span>');
    expect(text).toContain('href="/group/nong-nghiep"');
    const edit = await page('/dataset/so-lieu-mua-hang-ngay/edit', auth.editor);
    expect(edit.text).toContain('value="01/01/2020"');
    expect(edit.text).toContain('value="khí tượng, mưa"');
    const save = new URLSearchParams([
      ['title', 'Số liệu mưa hằng ngày'],
      ['name', 'so-lieu-mua-hang-ngay'],
      ['owner_org', 'so-tnmt'],
      ['access_level', 'private'],
      ['tags', 'mưa'],
    ]);
    const r2 = await fetch(`${base}/dataset/so-lieu-mua-hang-ngay/edit`, { method: 'POST', body: save, headers: auth.editor, redirect: 'manual' });
    expect(r2.status).toBe(303);
    expect((await page('/dataset/so-lieu-mua-hang-ngay')).status).toBe(403);
    const del = await fetch(`${base}/dataset/so-lieu-mua-hang-ngay/delete`, { method: 'POST', headers: auth.editor, redirect: 'manual' });
    expect(del.status).toBe(303);
    expect((await page('/dataset/so-lieu-mua-hang-ngay', auth.editor)).status).toBe(404);
  });

  it('refuses uploads without a file or link, and accepts links', async () => {
    const empty = new FormData();
    empty.append('name', 'Không có gì');
    const res = await fetch(`${base}/dataset/nuoc-thai-cong-nghiep/resource/new`, { method: 'POST', body: empty, headers: auth.editor, redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('value="Không có gì"');
    const link = new FormData();
    link.append('url', 'https://example.org/bao-cao.pdf');
    link.append('format', 'pdf');
    const ok = await fetch(`${base}/dataset/nuoc-thai-cong-nghiep/resource/new`, { method: 'POST', body: link, headers: auth.editor, redirect: 'manual' });
    expect(ok.status).toBe(303);
    expect((await page('/dataset/nuoc-thai-cong-nghiep')).text).toContain('href="https://example.org/bao-cao.pdf"');
  });

  it('uses the service layer directly too (sanity: editor principal can create)', async () => {
    const full = await createDataset(t.db.db, editorPrincipal, SYSTEM_ACTOR, { title: 'Thử nghiệm', owner_org: 'so-tnmt' });
    const r = await createResource(t.db.db, editorPrincipal, SYSTEM_ACTOR, full.dataset.id, { url: 'https://example.org/x.csv' }, undefined, {
      events: t.services.ctx.events,
    });
    expect(r.url).toBe('https://example.org/x.csv');
  });
});
