import * as XLSX from '@e965/xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import { call, type Users } from '../catalog/ckan-helpers.js';
import { openDatastoreApp, type DatastoreClient } from './helpers.js';
import { excelFile, sheetJsFile } from './workbooks.js';

let t: TestApp;
let u: Users;
let ds: DatastoreClient;
beforeAll(async () => ({ t, u, ds } = await openDatastoreApp()));
afterAll(async () => t?.close());

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const HEADER = ['STT', 'Đơn vị', 'Diện tích (ha) - Lúa', 'Diện tích (ha) - Ngô', 'Ngày báo cáo', 'Cơ quan báo cáo', 'Mục', 'Đơn vị (mã)'];

describe('datastore: spreadsheets', () => {
  for (const [format, file, ext] of [
    ['XLSX', excelFile, 'xlsx'],
    ['ODS', () => sheetJsFile('ods'), 'ods'],
    ['XLS', () => sheetJsFile('biff8'), 'xls'],
  ] as const) {
    it(`loads each sheet of an ${format} workbook as its own table, with the report's structure understood`, async () => {
      const id = await ds.dataset(`dien-tich-${ext}`);
      const r = await ds.upload('resource_create', { package_id: id, name: `Diện tích ${format}`, format }, `bao-cao.${ext}`, await file(), XLSX_TYPE);
      const load = await ds.settled(r.id);
      expect(load.status, JSON.stringify(load)).toBe('loaded');
      const sheet1 = await ds.search({ resource_id: r.id });
      expect(sheet1.status, sheet1.raw).toBe(200);
      const fields = sheet1.body.result.fields as { id: string; type: string }[];
      expect(fields.map((f) => f.id)).toEqual(['_id', ...HEADER]);
      expect(Object.fromEntries(fields.map((f) => [f.id, f.type]))).toMatchObject({
        STT: 'int',
        'Diện tích (ha) - Lúa': 'numeric',
        'Diện tích (ha) - Ngô': 'int',
        'Ngày báo cáo': 'date',
        'Cơ quan báo cáo': 'text',
      });
      // Sections and totals are not rows; the data rows carry their section.
      expect(sheet1.body.result.records).toEqual([
        {
          _id: 1,
          STT: 1,
          'Đơn vị': 'Xã Hộ Hải',
          'Diện tích (ha) - Lúa': 1234.5,
          'Diện tích (ha) - Ngô': 100,
          'Ngày báo cáo': '2023-03-15',
          'Cơ quan báo cáo': 'Uỷ ban nhân dân xã', // the bytes say Uỷ (the old tone placement)
          Mục: 'I Huyện Ninh Hải',
          // Resolved through the admin-units data: Hộ Hải (Ninh Hải) was dissolved in 2025 and keeps its code of the time.
          'Đơn vị (mã)': '22861',
        },
        expect.objectContaining({ _id: 2, 'Đơn vị': 'Xã Công Hải', 'Diện tích (ha) - Lúa': 1765.5, 'Đơn vị (mã)': '22840' }),
        // Not the Phước Hải of Hồ Chí Minh City (26686): the owning department's province comes first.
        expect.objectContaining({
          _id: 3,
          'Đơn vị': 'Xã Phước Hải',
          'Cơ quan báo cáo': 'Cộng hoà xã hội chủ nghĩa Việt Nam',
          Mục: 'II Huyện Ninh Phước',
          'Đơn vị (mã)': '22894',
        }),
      ]);
      const sheet2 = await ds.search({ resource_id: `${r.id}:2` });
      expect(sheet2.status, sheet2.raw).toBe(200);
      expect(sheet2.body.result.records).toEqual([
        { _id: 1, 'Mã xã': 22738, 'Tên xã': 'Phường Đô Vinh', 'Dân số (người)': 20345, 'Tên xã (mã)': '22738' },
        { _id: 2, 'Mã xã': 22741, 'Tên xã': 'Phường Phước Mỹ', 'Dân số (người)': 18002, 'Tên xã (mã)': '22741' },
      ]);
      expect((await ds.search({ resource_id: `${r.id}:3` })).status).toBe(404);
      // The report says what was left out, with the sheet's row numbers.
      const notes = load.report!.tasks[0]!.warnings.join('\n');
      expect(notes).toContain('Header in rows 6–7');
      expect(notes).toMatch(/Skipped totals rows \(not data\): rows 12 \(Cộng huyện[^)]*\); 15 \(Tổng cộng/);
      expect(notes).toMatch(/Skipped section rows \(not data\): rows 9 \(I Huyện Ninh Hải\); 13 \(II Huyện Ninh Phước\)/);
      expect(notes).toMatch(/Skipped footnotes and signatures below the table: rows 17 \(Ghi chú: số liệu sơ bộ\); 18/);
      expect(notes).toContain('Column "Đơn vị": 3 administrative-unit names coded into "Đơn vị (mã)" (2 as units before 1 July 2025)');
      expect(load.report!.tasks).toHaveLength(2);
    });
  }

  it('shows every sheet on the dataset page, and the editor can correct the header rows', async () => {
    const id = await ds.dataset('dien-tich-sua');
    const r = await ds.upload('resource_create', { package_id: id, name: 'Diện tích', format: 'XLSX' }, 'bao-cao.xlsx', await excelFile(), XLSX_TYPE);
    await ds.settled(r.id);
    const page = await t.app.inject({ method: 'GET', url: `/dataset/dien-tich-sua`, headers: u.editor });
    expect(page.body).toContain('Trang tính: Biểu 01');
    expect(page.body).toContain('Trang tính: Dân số');
    expect(page.body).toContain(`/api/v1/datastore/${r.id}:2/export.csv`);
    const bad = await t.app.inject({
      method: 'POST',
      url: `/api/v1/datastore/${r.id}/loads`,
      headers: u.editor,
      payload: { layout: { 'Biểu 01': { header_rows: [7, 6] } } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('layout.Biểu 01.header_rows');
    const fix = await t.app.inject({
      method: 'POST',
      url: `/api/v1/datastore/${r.id}/loads`,
      headers: u.editor,
      payload: { layout: { 'Biểu 01': { header_rows: [7, 7], data_rows: [10, 11] } } },
    });
    expect(fix.statusCode, fix.body).toBe(202);
    expect((await ds.settled(r.id, 2)).status).toBe('loaded');
    const res = await ds.search({ resource_id: r.id });
    expect(res.body.result.fields.map((f: { id: string }) => f.id).slice(1, 4)).toEqual(['STT', 'Đơn vị', 'Lúa']);
    expect(res.body.result.total).toBe(2);
  });

  it('refuses a damaged workbook with a report and keeps the previous data', async () => {
    const id = await ds.dataset('hong');
    const r = await ds.upload('resource_create', { package_id: id, name: 'Hỏng', format: 'XLSX' }, 'a.xlsx', await excelFile(), XLSX_TYPE);
    expect((await ds.settled(r.id)).status).toBe('loaded');
    const zip = await excelFile();
    await ds.upload('resource_update', { id: r.id, format: 'XLSX' }, 'a.xlsx', zip.subarray(0, zip.length >> 1), XLSX_TYPE);
    const load = await ds.settled(r.id, 2);
    expect(load.status, JSON.stringify(load)).toBe('invalid');
    expect(load.report!.tasks[0]!.errors[0]!.type).toBe('source-error');
    expect((await ds.search({ resource_id: r.id })).body.result.total).toBe(3);
  });
});

describe('datastore: JSON, JSON Lines and GeoJSON', () => {
  /** A new dataset with one JSON resource, loaded. */
  async function loaded(name: string, format: string, filename: string, body: unknown, type: string): Promise<string> {
    const id = await ds.dataset(name);
    const content = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const r = await ds.upload('resource_create', { package_id: id, name, format }, filename, content, type);
    expect((await ds.settled(r.id)).status).toBe('loaded');
    return r.id;
  }

  it('loads an array of objects, keys in order of first appearance, nested values as JSON', async () => {
    const rows = [
      { ma: '58', ten: 'Ninh Thuận', dan_so: 590_000, thong_tin: { vung: 'Nam Trung Bộ' } },
      { ma: '56', ten: 'Khánh Hòa', dan_so: 1_250_000, cap_nhat: '2025-07-01', thong_tin: null },
    ];
    const rid = await loaded('json-mang', 'JSON', 'tinh.json', rows, 'application/json');
    const res = await ds.search({ resource_id: rid });
    expect(res.body.result.fields.map((f: { id: string; type: string }) => `${f.id}:${f.type}`)).toEqual([
      '_id:int',
      'ma:int',
      'ten:text',
      'dan_so:int',
      'thong_tin:json',
      'cap_nhat:date',
    ]);
    expect(res.body.result.records[0]).toEqual({ _id: 1, ma: 58, ten: 'Ninh Thuận', dan_so: 590000, thong_tin: { vung: 'Nam Trung Bộ' }, cap_nhat: null });
  });

  it('loads JSON Lines, and reports a line that is not an object', async () => {
    const good = '{"tram":"Phan Rang","pm25":21.5}\n{"tram":"Ninh Hải","pm25":18}\n';
    const rid = await loaded('jsonl', 'JSONL', 'tram.jsonl', good, 'application/x-ndjson');
    expect((await ds.search({ resource_id: rid })).body.result.records).toEqual([
      { _id: 1, tram: 'Phan Rang', pm25: 21.5 },
      { _id: 2, tram: 'Ninh Hải', pm25: 18 },
    ]);
    await ds.upload('resource_update', { id: rid, format: 'JSONL' }, 'tram.jsonl', Buffer.from(`${good}[1,2]\n`), 'application/x-ndjson');
    const load = await ds.settled(rid, 2);
    expect(load.status).toBe('invalid');
    expect(load.report!.tasks[0]!.errors[0]!.message).toContain('Item 3 is not a JSON object');
    const deep = `{"tram":${'['.repeat(10_000)}1${']'.repeat(10_000)}}\n`;
    await ds.upload('resource_update', { id: rid, format: 'JSONL' }, 'tram.jsonl', Buffer.from(`${good}${deep}`), 'application/x-ndjson');
    const nested = await ds.settled(rid, 3);
    expect(nested.status).toBe('invalid');
    expect(nested.report!.tasks[0]!.errors[0]!.message).toContain('Item 3 nests deeper than 64 levels');
    expect((await ds.search({ resource_id: rid })).body.result.total).toBe(2);
  });

  it('loads GeoJSON features with their properties and geometry', async () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { ten: 'Vịnh Vĩnh Hy', loai: 'Thắng cảnh' }, geometry: { type: 'Point', coordinates: [109.1983, 11.7247] } },
        { type: 'Feature', properties: { ten: 'Tháp Po Klong Garai', loai: 'Di tích' }, geometry: { type: 'Point', coordinates: [108.9506, 11.6014] } },
      ],
    };
    const rid = await loaded('geojson', 'GeoJSON', 'diem.geojson', fc, 'application/geo+json');
    const res = await ds.search({ resource_id: rid, q: 'vinh hy' });
    expect(res.body.result.records).toEqual([
      { _id: 1, ten: 'Vịnh Vĩnh Hy', loai: 'Thắng cảnh', geometry: { type: 'Point', coordinates: [109.1983, 11.7247] } },
    ]);
    const info = await call(t, 'datastore_info', { id: rid }, u.editor, 'GET');
    expect(info.body.result.fields.find((f: { id: string }) => f.id === 'geometry').schema.native_type).toBe('jsonb');
  });
});

describe('datastore: exports', () => {
  it('streams CSV, JSON, JSON Lines, GeoJSON and XLSX of the same rows', async () => {
    const id = await ds.dataset('diem-xuat');
    const body = 'ten,loai,vi_do,kinh_do,ngay\nVịnh Vĩnh Hy,"Thắng cảnh, biển",11.7247,109.1983,15/03/2023\nTháp Po Klong Garai,Di tích,11.6014,108.9506,\n';
    const r = await ds.upload('resource_create', { package_id: id, name: 'Điểm' }, 'diem.csv', Buffer.from(body));
    expect((await ds.settled(r.id)).status).toBe('loaded');
    const get = (ext: string) => t.app.inject({ method: 'GET', url: `/api/v1/datastore/${r.id}/export.${ext}`, headers: u.editor });
    const csv = await get('csv');
    expect(csv.body).toBe(
      'ten,loai,vi_do,kinh_do,ngay\nVịnh Vĩnh Hy,"Thắng cảnh, biển",11.7247,109.1983,2023-03-15\nTháp Po Klong Garai,Di tích,11.6014,108.9506,\n',
    );
    const json = await get('json');
    expect(json.headers['content-type']).toContain('application/json');
    expect(JSON.parse(json.body)).toEqual([
      { ten: 'Vịnh Vĩnh Hy', loai: 'Thắng cảnh, biển', vi_do: 11.7247, kinh_do: 109.1983, ngay: '2023-03-15' },
      { ten: 'Tháp Po Klong Garai', loai: 'Di tích', vi_do: 11.6014, kinh_do: 108.9506, ngay: null },
    ]);
    const lines = (await get('jsonl')).body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { ten: string });
    expect(lines.map((l) => l.ten)).toEqual(['Vịnh Vĩnh Hy', 'Tháp Po Klong Garai']);
    const geo = JSON.parse((await get('geojson')).body) as { type: string; features: { geometry: unknown; properties: Record<string, unknown> }[] };
    expect(geo.type).toBe('FeatureCollection');
    expect(geo.features[0]).toEqual({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [109.1983, 11.7247] },
      properties: { ten: 'Vịnh Vĩnh Hy', loai: 'Thắng cảnh, biển', vi_do: 11.7247, kinh_do: 109.1983, ngay: '2023-03-15' },
    });
    const xlsx = await get('xlsx');
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const wb = XLSX.read(xlsx.rawPayload, { type: 'buffer' });
    expect(XLSX.utils.sheet_to_json(wb.Sheets[wb.SheetNames[0]!]!, { header: 1 })).toEqual([
      ['ten', 'loai', 'vi_do', 'kinh_do', 'ngay'],
      ['Vịnh Vĩnh Hy', 'Thắng cảnh, biển', 11.7247, 109.1983, '2023-03-15'],
      ['Tháp Po Klong Garai', 'Di tích', 11.6014, 108.9506],
    ]);
    // An empty table is an empty array, not broken JSON.
    await ds.upload('resource_update', { id: r.id }, 'diem.csv', Buffer.from('ten,so\n'));
    await ds.settled(r.id, 2);
    expect(JSON.parse((await get('json')).body)).toEqual([]);
  });
});
