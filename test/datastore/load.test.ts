import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { call, makeUsers, type Users } from '../catalog/ckan-helpers.js';
import { cp1258Form, datastoreClient } from './helpers.js';

const FIXTURES = path.join(import.meta.dirname, '../fixtures/datastore');
let t: TestApp;
let u: Users;

beforeAll(async () => {
  t = await createTestApp({ work: true });
  u = await makeUsers(t);
});
afterAll(async () => t?.close());

let dataset: ReturnType<typeof datastoreClient>['dataset'];
let upload: ReturnType<typeof datastoreClient>['upload'];
let settled: ReturnType<typeof datastoreClient>['settled'];
let search: ReturnType<typeof datastoreClient>['search'];
beforeAll(() => {
  ({ dataset, upload, settled, search } = datastoreClient(t, u));
});

describe('datastore: loading an upload through the CKAN API', () => {
  let rid: string;
  beforeAll(async () => {
    const id = await dataset('pm25-ha-noi-2016');
    const r = await upload(
      'resource_create',
      { package_id: id, name: 'PM2.5 Hà Nội 2016' },
      'Hanoi_PM2.5_2016_YTD.csv',
      fs.readFileSync(path.join(FIXTURES, 'airnow_Hanoi_PM2.5_2016_YTD.csv')),
    );
    expect(r.datastore_active).toBe(false);
    rid = r.id;
    const load = await settled(rid);
    expect(load.status, JSON.stringify(load)).toBe('loaded');
  });

  it('turns datastore_active on once the load has committed', async () => {
    const r = await call(t, 'resource_show', { id: rid }, {}, 'GET');
    expect(r.body.result.datastore_active).toBe(true);
  });

  it('infers the AirNow columns over all 8,784 rows (-999 stays a number, QC a text column)', async () => {
    const r = await search({ resource_id: rid, limit: 1 });
    expect(r.status, r.raw).toBe(200);
    expect(r.body.result.total).toBe(8784);
    const types = Object.fromEntries((r.body.result.fields as { id: string; type: string }[]).map((f) => [f.id, f.type]));
    expect(types).toMatchObject({
      _id: 'int',
      'Date (LT)': 'timestamp',
      'NowCast Conc.': 'numeric',
      AQI: 'int',
      'Raw Conc.': 'numeric',
      'QC Name': 'text',
      Site: 'text',
    });
    expect(r.body.result.records[0]).toMatchObject({ _id: 1, 'Date (LT)': '2016-01-01T01:00:00', 'NowCast Conc.': 81, AQI: 164, 'QC Name': 'Valid' });
    const pm = await search({ resource_id: rid, filters: { 'Date (LT)': '2016-01-01 13:00:00' } });
    expect(pm.body.result.records).toHaveLength(1);
    expect(pm.body.result.records[0]['Date (LT)']).toBe('2016-01-01T13:00:00');
    const missing = await search({ resource_id: rid, filters: { 'Raw Conc.': -999 }, limit: 0 });
    expect(missing.body.result.total).toBeGreaterThan(0);
  });

  it('estimates the total above the threshold, as CKAN’s total_estimation_threshold does', async () => {
    const exact = await search({ resource_id: rid, filters: { 'QC Name': 'Valid' }, limit: 0 });
    expect(exact.body.result.total_was_estimated).toBe(false);
    const est = await search({ resource_id: rid, filters: { 'QC Name': 'Valid' }, limit: 0, total_estimation_threshold: 1000 });
    expect(est.body.result.total_was_estimated).toBe(true);
    expect(Math.abs(est.body.result.total - exact.body.result.total)).toBeLessThan(exact.body.result.total * 0.1);
  });

  it('filters (a list means any of), sorts, limits and pages like CKAN', async () => {
    const qc = await search({ resource_id: rid, filters: { 'QC Name': ['Suspect', 'Invalid'] }, limit: 1000 });
    expect(qc.body.result.total).toBe(qc.body.result.records.length);
    expect(new Set(qc.body.result.records.map((x: Record<string, unknown>) => x['QC Name']))).not.toContain('Valid');
    const top = await search({ resource_id: rid, sort: 'AQI desc', limit: 3, fields: 'AQI,Date (LT)' });
    const aqis = top.body.result.records.map((x: { AQI: number }) => x.AQI);
    expect(aqis).toEqual([...aqis].sort((a: number, b: number) => b - a));
    expect(Object.keys(top.body.result.records[0])).toEqual(['AQI', 'Date (LT)']);
    const quoted = await search({ resource_id: rid, sort: '"Date (LT)" desc', limit: 1 });
    expect(quoted.body.result.records[0]['Date (LT)']).toBe('2017-01-01T00:00:00');
    const page2 = await search({ resource_id: rid, limit: 2, offset: 2 });
    expect(page2.body.result.records.map((x: { _id: number }) => x._id)).toEqual([3, 4]);
    expect(page2.body.result._links.next).toContain('offset=4');
    const lists = await search({ resource_id: rid, limit: 1, fields: ['_id', 'AQI'], records_format: 'lists' });
    expect(lists.body.result.records).toEqual([[1, 164]]);
    const csv = await search({ resource_id: rid, limit: 2, fields: ['_id', 'QC Name'], records_format: 'csv' });
    expect(csv.body.result.records).toBe('1,Valid\n2,Valid\n');
    const clamped = await search({ resource_id: rid, limit: 100000, include_total: false, fields: '_id' });
    expect(clamped.body.result.records).toHaveLength(8784);
    expect(clamped.body.result.total).toBeUndefined();
  });

  it('names the bad parameter in a 409 Validation Error, as CKAN does', async () => {
    const sort = await search({ resource_id: rid, sort: 'khong_co desc' });
    expect(sort.status).toBe(409);
    expect(sort.body.error.__type).toBe('Validation Error');
    expect(sort.body.error.sort).toBeDefined();
    const fields = await search({ resource_id: rid, fields: 'AQI,nope' });
    expect(fields.status).toBe(409);
    expect(fields.body.error.fields).toBeDefined();
    const filters = await search({ resource_id: rid, filters: { nope: 1 } });
    expect(filters.body.error.filters).toBeDefined();
    const value = await search({ resource_id: rid, filters: { AQI: 'abc' } });
    expect(value.status).toBe(409);
    expect(value.body.error.filters).toBeDefined();
    const offset = await search({ resource_id: rid, offset: -1 });
    expect(offset.status).toBe(409);
    expect(offset.body.error.offset).toBeDefined();
    const missing = await search({ resource_id: '00000000-0000-4000-8000-000000000000' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.__type).toBe('Not Found Error');
  });

  it('describes the table in datastore_info', async () => {
    const r = await call(t, 'datastore_info', { id: rid }, {}, 'GET');
    expect(r.status, r.raw).toBe(200);
    expect(r.body.result.meta.count).toBe(8784);
    expect(r.body.result.fields.find((f: { id: string }) => f.id === 'AQI')).toMatchObject({
      type: 'int',
      info: { label: 'AQI', frictionless_type: 'integer' },
    });
  });

  it('serves the native API with filters, ranges, cursor paging and group-by', async () => {
    const get = async (qs: string) => {
      const r = await t.app.inject({ method: 'GET', url: `/api/v1/datastore/${rid}?${qs}` });
      expect(r.statusCode, r.body).toBe(200);
      return r.json() as { records: Record<string, unknown>[]; total?: number; next?: string; fields: { id: string }[] };
    };
    const high = await get(`filter=${encodeURIComponent('AQI:gte:300')}&fields=AQI&limit=5`);
    expect(high.records.every((x) => (x.AQI as number) >= 300)).toBe(true);
    const first = await get('limit=3&fields=AQI');
    expect(first.total).toBe(8784);
    expect(first.next).toBeDefined();
    const r2 = await t.app.inject({ method: 'GET', url: first.next! });
    const second = r2.json() as { records: { _id: number }[] };
    expect(second.records.map((x) => x._id)).toEqual([4, 5, 6]);
    const groups = await get(`group_by=${encodeURIComponent('QC Name')}&agg=count,avg:AQI,max:AQI`);
    const valid = groups.records.find((g) => g['QC Name'] === 'Valid')!;
    const total = groups.records.reduce((s, g) => s + (g.count as number), 0);
    expect(total).toBe(8784);
    expect(valid.max_AQI as number).toBeGreaterThanOrEqual(valid.avg_AQI as number);
    const bad = await t.app.inject({ method: 'GET', url: `/api/v1/datastore/${rid}?filter=AQI` });
    expect(bad.statusCode).toBe(400);
  });

  it('shows the data on the dataset page: first rows, download and the API call; editors also see the load', async () => {
    const anon = await t.app.inject({ method: 'GET', url: '/dataset/pm25-ha-noi-2016' });
    expect(anon.statusCode).toBe(200);
    expect(anon.body).toContain(`id="data-${rid}"`);
    expect(anon.body).toContain('8.784 dòng, 14 trường');
    expect(anon.body).toContain(`/api/v1/datastore/${rid}/export.csv`);
    expect(anon.body).toContain(`/api/3/action/datastore_search?resource_id=${rid}`);
    expect(anon.body).toContain('<td>2016-01-01T01:00:00</td>');
    expect(anon.body).not.toContain('Lần nạp gần nhất');
    const editor = await t.app.inject({ method: 'GET', url: '/dataset/pm25-ha-noi-2016?lang=en', headers: u.editor });
    expect(editor.body).toContain('Latest load: loaded');
    expect(editor.body).toContain('8,784 rows, 14 fields');
  });

  it('exports the whole table as CSV', async () => {
    const r = await t.app.inject({ method: 'GET', url: `/api/v1/datastore/${rid}/export.csv` });
    expect(r.statusCode).toBe(200);
    const lines = r.body.trimEnd().split('\n');
    expect(lines).toHaveLength(8785);
    expect(lines[0]).toBe('Site,Parameter,Date (LT),Year,Month,Day,Hour,NowCast Conc.,AQI,AQI Category,Raw Conc.,Conc. Unit,Duration,QC Name');
    expect(lines[1]).toBe('Hanoi,PM2.5 - Principal,2016-01-01 01:00:00,2016,01,01,01,81.0,164,Unhealthy,94.7,UG/M3,1 Hr,Valid');
  });
});

describe('datastore: Vietnamese files', () => {
  const vnCsv = [
    'Mã xã;Tên xã;Ngày báo cáo;Diện tích (ha);Sản lượng (tấn);Ghi chú',
    '22738;Phường Đô Vinh;15/03/2023;1.234,5;12.345;Vụ Đông Xuân',
    '22783;Xã Phước Bình;01/12/2023;987,25;1.002;"Thiếu nước; hạn"',
    '22810;Thị trấn Tân Sơn;29/02/2024;-;0;',
  ].join('\r\n');

  it('reads a Windows-1258 file with semicolons, 1.234,5 numbers and dd/mm/yyyy dates', async () => {
    const id = await dataset('nong-nghiep-1258');
    const r = await upload(
      'resource_create',
      { package_id: id, name: 'Sản xuất nông nghiệp', format: 'CSV' },
      'san-xuat.csv',
      iconv.encode(cp1258Form(vnCsv), 'windows-1258'),
    );
    const load = await settled(r.id);
    expect(load.status, JSON.stringify(load)).toBe('loaded');
    const s = await search({ resource_id: r.id });
    const types = Object.fromEntries((s.body.result.fields as { id: string; type: string }[]).map((f) => [f.id, f.type]));
    expect(types).toMatchObject({ 'Mã xã': 'int', 'Tên xã': 'text', 'Ngày báo cáo': 'date', 'Diện tích (ha)': 'numeric', 'Sản lượng (tấn)': 'int' });
    expect(s.body.result.records).toEqual([
      {
        _id: 1,
        'Mã xã': 22738,
        'Tên xã': 'Phường Đô Vinh',
        'Ngày báo cáo': '2023-03-15',
        'Diện tích (ha)': 1234.5,
        'Sản lượng (tấn)': 12345,
        'Ghi chú': 'Vụ Đông Xuân',
        'Tên xã (mã)': '22738',
      },
      {
        _id: 2,
        'Mã xã': 22783,
        'Tên xã': 'Xã Phước Bình',
        'Ngày báo cáo': '2023-12-01',
        'Diện tích (ha)': 987.25,
        'Sản lượng (tấn)': 1002,
        'Ghi chú': 'Thiếu nước; hạn',
        'Tên xã (mã)': '22783',
      },
      {
        _id: 3,
        'Mã xã': 22810,
        'Tên xã': 'Thị trấn Tân Sơn',
        'Ngày báo cáo': '2024-02-29',
        'Diện tích (ha)': null,
        'Sản lượng (tấn)': 0,
        'Ghi chú': null,
        'Tên xã (mã)': '22810',
      },
    ]);
    // The names resolve to the codes the file itself gives (the admin-units data agrees with the department's list).
    expect((s.body.result.records[0]['Tên xã'] as string) === 'Phường Đô Vinh'.normalize('NFC')).toBe(true);
    const q = await search({ resource_id: r.id, q: 'phuoc binh' });
    expect(q.body.result.records.map((x: { _id: number }) => x._id)).toEqual([2]);
  });

  it('codes administrative-unit names and lists the ones it could not resolve or tell apart', async () => {
    const id = await dataset('don-vi-hanh-chinh');
    const body = 'Huyện,Số trường\nH. Ninh Hải,12\nTP. Phan Rang - Tháp Chàm,30\nHuyện Không Có Thật,1\nThuận Bắc,8\n';
    const r = await upload('resource_create', { package_id: id, name: 'Trường theo huyện' }, 'truong.csv', Buffer.from(body));
    const load = await settled(r.id);
    expect(load.status).toBe('loaded');
    const rows = (await search({ resource_id: r.id, fields: 'Huyện,Huyện (mã)' })).body.result.records;
    expect(rows).toEqual([
      { Huyện: 'H. Ninh Hải', 'Huyện (mã)': '586' },
      { Huyện: 'TP. Phan Rang - Tháp Chàm', 'Huyện (mã)': '582' },
      { Huyện: 'Huyện Không Có Thật', 'Huyện (mã)': null },
      { Huyện: 'Thuận Bắc', 'Huyện (mã)': '588' },
    ]);
    const notes = load.report!.tasks[0]!.warnings.join('\n');
    expect(notes).toContain('Column "Huyện": 3 administrative-unit names coded into "Huyện (mã)" (3 as units before 1 July 2025)');
    expect(notes).toContain('Not found (Huyện): Huyện Không Có Thật');
  });

  it('reads a second header row of units into the field titles', async () => {
    const id = await dataset('quan-trac-nuoc');
    const body = 'Kyhieu,pH,DO,Date\n,,mg/L,d/m/yyyy\nQL1,7.2,6.78,29/2/2016\nQL2,6.9,5.1,01/03/2016\nQL3,7.0,4.9,02/03/2016\n';
    const r = await upload('resource_create', { package_id: id, name: 'Quan trắc' }, 'nuoc.csv', Buffer.from(body));
    expect((await settled(r.id)).status).toBe('loaded');
    const info = await call(t, 'datastore_info', { id: r.id }, {}, 'GET');
    const byId = Object.fromEntries(info.body.result.fields.map((f: { id: string; type: string; info: { label: string } }) => [f.id, f]));
    expect(byId.DO).toMatchObject({ type: 'numeric', info: { label: 'DO (mg/L)' } });
    expect(byId.Date.type).toBe('date');
    expect(info.body.result.meta.count).toBe(3);
  });

  it('converts a VNI-encoded file and TCVN3 (.VnTime) text to Unicode', async () => {
    const id = await dataset('phong-chu-cu');
    // The bytes as VNI-Times and .VnTime keyboards typed them (examples from the Vietnamese-data spec).
    const vni = Buffer.from('Teân ñôn vò,Ñòa chæ\r\nSôû Khoa hoïc vaø Coâng ngheä,Ninh Thuaän\r\nUÛY BAN NHAÂN DAÂN TÆNH,Vieät Nam\r\n', 'latin1');
    const a = await upload('resource_create', { package_id: id, name: 'VNI' }, 'vni.csv', vni);
    expect((await settled(a.id)).status).toBe('loaded');
    const sa = await search({ resource_id: a.id });
    expect(sa.body.result.fields.map((f: { id: string }) => f.id)).toEqual(['_id', 'Tên đơn vị', 'Địa chỉ']);
    expect(sa.body.result.records.map((x: Record<string, string>) => [x['Tên đơn vị'], x['Địa chỉ']])).toEqual([
      ['Sở Khoa học và Công nghệ', 'Ninh Thuận'],
      ['ỦY BAN NHÂN DÂN TỈNH', 'Việt Nam'],
    ]);
    // TCVN3 mojibake inside a UTF-8 file: one column typed with .VnTime fonts.
    const tcvn = Buffer.from('ma,ten\n1,Céng hoµ x· héi chñ nghÜa ViÖt Nam\n2,Uû ban nh©n d©n tØnh\n', 'utf8');
    const b = await upload('resource_create', { package_id: id, name: 'TCVN3' }, 'tcvn3.csv', tcvn);
    expect((await settled(b.id)).status).toBe('loaded');
    const sb = await search({ resource_id: b.id });
    expect(sb.body.result.records.map((x: Record<string, string>) => x.ten)).toEqual(['Cộng hoà xã hội chủ nghĩa Việt Nam', 'Uỷ ban nhân dân tỉnh']);
    const info = await call(t, 'datastore_info', { id: b.id }, {}, 'GET');
    expect(info.status).toBe(200);
  });
});

describe('datastore: a bad file changes nothing', () => {
  it('reports the bad value with its row and field, and keeps the previous version', async () => {
    const id = await dataset('bao-cao-loi');
    const good = ['ma,so_luong', ...Array.from({ length: 3000 }, (_, i) => `${i + 1},${i * 3}`)].join('\n');
    const r = await upload('resource_create', { package_id: id, name: 'Số liệu' }, 'so-lieu.csv', Buffer.from(good));
    const first = await settled(r.id);
    expect(first.status).toBe('loaded');
    const rows = good.split('\n');
    rows[2995] = '2995,khoảng 12';
    await upload('resource_update', { id: r.id, name: 'Số liệu' }, 'so-lieu.csv', Buffer.from(rows.join('\n')));
    const second = await settled(r.id, 2);
    expect(second.status).toBe('invalid');
    expect(second.report!.valid).toBe(false);
    expect(second.report!.stats.errors).toBe(1);
    expect(second.report!.tasks[0]!.errors[0]).toMatchObject({ type: 'type-error', rowNumber: 2996, fieldName: 'so_luong', cell: 'khoảng 12' });
    expect(second.report!.tasks[0]!.errors[0]!.message).toContain('2996');
    const s = await search({ resource_id: r.id, filters: { ma: 2995 } });
    expect(s.body.result.records[0].so_luong).toBe(2994 * 3);
    expect(s.body.result.total).toBe(1);
    const info = await call(t, 'datastore_info', { id: r.id }, {}, 'GET');
    expect(info.body.result.meta.version).toBe(first.version);
  });
});

describe('datastore: a large file (read and checked in a worker thread)', () => {
  it('loads it in NFC, and a bad value near the end of the next one leaves that version in place', { timeout: 60_000 }, async () => {
    const id = await dataset('bao-cao-lon');
    const note = 'Báo cáo tổng hợp diện tích gieo trồng vụ Đông Xuân';
    const lines = ['ma,ghi_chu,so_luong', ...Array.from({ length: 260_000 }, (_, i) => `${i + 1},${note} ${i % 97},${i * 3}`)];
    // Decomposed Vietnamese (as some Mac software writes it) in one cell past the first read.
    lines[200_000] = `200000,${'Huyện Ninh Phước'.normalize('NFD')},7`;
    const good = Buffer.from(`${lines.join('\n')}\n`);
    expect(good.length).toBeGreaterThan(16 << 20);
    const r = await upload('resource_create', { package_id: id, name: 'Báo cáo lớn' }, 'bao-cao-lon.csv', good);
    const first = await settled(r.id);
    expect(first.status).toBe('loaded');
    expect(first.rows).toBe(260_000);
    const nfc = await search({ resource_id: r.id, filters: { ma: 200000 } });
    expect(nfc.body.result.records[0].ghi_chu).toBe('Huyện Ninh Phước'.normalize('NFC'));

    lines[259_990] = `259990,${note},khoảng 12`;
    await upload('resource_update', { id: r.id, name: 'Báo cáo lớn' }, 'bao-cao-lon.csv', Buffer.from(`${lines.join('\n')}\n`));
    const second = await settled(r.id, 2);
    expect(second.status).toBe('invalid');
    expect(second.report!.tasks[0]!.errors[0]).toMatchObject({ type: 'type-error', rowNumber: 259_991, fieldName: 'so_luong', cell: 'khoảng 12' });
    const info = await call(t, 'datastore_info', { id: r.id }, {}, 'GET');
    expect(info.body.result.meta.version).toBe(first.version);
    expect((await search({ resource_id: r.id, limit: 0 })).body.result.total).toBe(260_000);
  });
});

describe('datastore: access follows the dataset', () => {
  it('hides a private dataset’s table from those who may not read it, on every read path', async () => {
    const id = await dataset('rieng-tu', { access_level: 'private' });
    const r = await upload('resource_create', { package_id: id, name: 'Riêng' }, 'rieng.csv', Buffer.from('a,b\n1,x\n'));
    expect((await settled(r.id)).status).toBe('loaded');
    for (const who of [{}, u.noOrg, u.otherEditor]) {
      const s = await search({ resource_id: r.id }, who);
      expect(s.status).toBe(403);
      const info = await call(t, 'datastore_info', { id: r.id }, who, 'GET');
      expect(info.status).toBe(403);
      for (const url of [`/api/v1/datastore/${r.id}`, `/api/v1/datastore/${r.id}/export.csv`, `/api/v1/datastore/${r.id}/loads`]) {
        const n = await t.app.inject({ method: 'GET', url, headers: who });
        expect([401, 403], `${url} ${n.statusCode}`).toContain(n.statusCode);
      }
    }
    for (const who of [u.member, u.editor, u.sys]) expect((await search({ resource_id: r.id }, who)).status).toBe(200);
    const reload = await t.app.inject({ method: 'POST', url: `/api/v1/datastore/${r.id}/loads`, headers: u.member });
    expect(reload.statusCode, reload.body).toBe(403);
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/datastore/${r.id}/loads`, headers: u.editor });
    expect(again.statusCode, again.body).toBe(202);
    expect((await settled(r.id, 2)).status).toBe('loaded');
  });
});

describe('datastore: indexes by use', () => {
  it('indexes a column of a large table once it is filtered, and the next version keeps the index', async () => {
    const id = await dataset('bang-lon');
    const body = Buffer.from(
      ['ma,huyen,so_luong', ...Array.from({ length: 60_000 }, (_, i) => `${i + 1},${['582', '584', '585', '586'][i % 4]},${i % 1000}`)].join('\n'),
    );
    const r = await upload('resource_create', { package_id: id, name: 'Bảng lớn' }, 'bang-lon.csv', body);
    expect((await settled(r.id)).status).toBe('loaded');
    const indexes = async (version: number) =>
      (
        await t.db.pool.query<{ def: string }>(
          `select indexdef as def from pg_indexes where schemaname = 'datastore' and tablename = $1 and indexname like 'ds_%'`,
          [`${r.id}_v${version}`],
        )
      ).rows.map((x) => x.def);
    expect(await indexes(1)).toEqual([]);
    const s = await search({ resource_id: r.id, filters: { huyen: 584 }, limit: 1 });
    expect(s.body.result.total).toBe(15_000);
    for (let i = 0; i < 100 && (await indexes(1)).length === 0; i++) await new Promise((res) => setTimeout(res, 100));
    expect((await indexes(1)).join()).toContain('(huyen)');
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/datastore/${r.id}/loads`, headers: u.editor });
    expect(again.statusCode).toBe(202);
    expect((await settled(r.id, 2)).status).toBe('loaded');
    expect((await indexes(2)).join()).toContain('(huyen)');
  });
});
