import fs from 'node:fs';
import path from 'node:path';
import { SYSTEM_ACTOR } from '../../platform/audit/index.js';
import { systemPrincipal } from '../../platform/auth/index.js';
import type { Db } from '../../platform/db/index.js';
import { EventBus } from '../../platform/events.js';
import { ROOT } from '../../platform/root.js';
import type { FileStore } from '../../platform/storage/index.js';
import { createDataset, createResource, getDataset, type DatasetInput } from '../catalog/index.js';
import { runLoad } from './loader.js';
import { templateById } from './templates.js';
import { createTable } from './write.js';
import { loadRepo } from './repository.js';

const ACTOR = { ...SYSTEM_ACTOR, label: 'demo' };
const DEMO = path.join(ROOT, 'data/demo');
const MAX = 50 * 1024 * 1024;

/** Loads one resource's stored file now (seeds run before the job workers). */
async function loadNow(
  db: Db,
  pool: Db,
  files: FileStore,
  resourceId: string,
  source: { storageKey: string; filename: string; sha256: string | null; size: number | null },
) {
  const { id } = await loadRepo.insert(db, { resource_id: resourceId, source: { kind: 'upload', format: 'CSV', ...source }, created_by: null });
  const r = await runLoad({ db: pool, files }, id);
  if (r.status !== 'loaded') throw new Error(`demo load of ${source.filename} was not valid`);
}

async function publish(
  db: Db,
  pool: Db,
  files: FileStore,
  input: DatasetInput & { name: string },
  uploads: { file: string; name: string; description?: string }[],
) {
  const d = await createDataset(db, systemPrincipal(), ACTOR, { license_id: 'cc-by', access_level: 'public', ...input });
  for (const u of uploads) {
    const stored = await files.put(fs.createReadStream(u.file), MAX);
    const filename = path.basename(u.file);
    const r = await createResource(
      db,
      systemPrincipal(),
      ACTOR,
      d.dataset.id,
      { name: u.name, description: u.description ?? null, format: 'CSV' },
      { storageKey: stored.key, filename, size: stored.size, mimetype: 'text/csv', sha256: stored.sha256 },
      { events: new EventBus() },
    );
    await loadNow(db, pool, files, r.id, { storageKey: stored.key, filename, sha256: stored.sha256, size: stored.size });
  }
}

/**
 * Demo data that is real and may be shipped (sources and licences in THIRD_PARTY_DATA.md): the
 * catalogue's administrative-unit tables loaded into the datastore, the US Embassy Hanoi hourly
 * PM2.5 series 2016–2020 (AirNow, US-government data) and the province's tourism sites. Idempotent.
 */
export async function seedDatastoreDemo(db: Db, { files, pool }: { files: FileStore; pool: Db }): Promise<void> {
  for (const name of ['don-vi-hanh-chinh-ninh-thuan', 'sap-xep-don-vi-hanh-chinh-2025-ninh-thuan']) {
    const full = await getDataset(db, systemPrincipal(), name).catch(() => undefined);
    for (const r of full?.resources ?? [])
      if (r.storage_key && !r.datastore_active)
        await loadNow(db, pool, files, r.id, { storageKey: r.storage_key, filename: r.url, sha256: r.hash, size: r.size });
  }
  await seedSharedTables(db);
  if (await getDataset(db, systemPrincipal(), 'pm25-ha-noi-airnow').catch(() => undefined)) return;
  await publish(
    db,
    pool,
    files,
    {
      name: 'pm25-ha-noi-airnow',
      title: 'Nồng độ bụi PM2.5 theo giờ tại Hà Nội, 2016–2020 (Đại sứ quán Hoa Kỳ, AirNow)',
      title_en: 'Hourly PM2.5 in Hanoi, 2016–2020 (US Embassy, AirNow)',
      owner_org: 'so-tnmt',
      notes:
        'Số liệu quan trắc PM2.5 theo giờ của trạm Đại sứ quán Hoa Kỳ tại Hà Nội (chương trình AirNow của Bộ Ngoại giao Hoa Kỳ): nồng độ NowCast, chỉ số AQI (US EPA), nồng độ thô và trạng thái kiểm soát chất lượng (Valid, Suspect, Invalid). Giá trị -999 là thiếu số liệu. Dùng làm dữ liệu mẫu cho hệ thống quan trắc môi trường của tỉnh.',
      notes_en:
        'Hourly PM2.5 from the US Embassy monitor in Hanoi (US State Department AirNow): NowCast concentration, US EPA AQI, raw concentration and the QC state (Valid, Suspect, Invalid). -999 marks missing data. Sample data for the province’s environmental monitoring.',
      tags: ['không khí', 'PM2.5', 'quan trắc', 'AQI'],
      groups: [{ name: 'tai-nguyen-moi-truong' }],
      license_id: 'other-pd',
      spatial_codes: ['01'],
      temporal_start: '2016-01-01',
      temporal_end: '2020-08-01',
      update_frequency: 'irregular',
      extras: [{ key: 'source', value: 'US Embassy Hanoi / AirNow DOS, via kikyou21/hanoiair (MIT)' }],
    },
    [2016, 2017, 2018, 2019, 2020].map((y) => ({ file: path.join(DEMO, 'airnow', `airnow_Hanoi_PM2.5_${y}_YTD.csv`), name: `PM2.5 Hà Nội ${y}` })),
  );
  await publish(
    db,
    pool,
    files,
    {
      name: 'diem-du-lich-ninh-thuan',
      title: 'Điểm du lịch tiêu biểu của Ninh Thuận',
      title_en: 'Notable tourist sites of Ninh Thuận',
      owner_org: 'so-vhttdl',
      notes:
        '15 điểm du lịch (di tích Chăm, vườn quốc gia, bãi biển, làng nghề) với huyện (trước 2025), tóm tắt thông tin và nguồn; toạ độ của 5 điểm theo các trang công khai đã dẫn.',
      notes_en:
        '15 tourist sites (Cham heritage, national parks, beaches, craft villages) with their pre-2025 district, facts and sources; coordinates of 5 sites as published on the cited pages.',
      tags: ['du lịch', 'di tích', 'Chăm'],
      groups: [{ name: 'du-lich' }],
      spatial_codes: ['58'],
      update_frequency: 'irregular',
    },
    [
      { file: path.join(DEMO, 'tourism', 'poi_facts.csv'), name: 'Điểm du lịch' },
      { file: path.join(DEMO, 'tourism', 'poi_coordinates.csv'), name: 'Toạ độ điểm du lịch' },
    ],
  );
}

/** The catalogue's sector database entries and the template each one's shared table is made from. */
const SHARED_TABLES: [dataset: string, template: string][] = [
  ['csdl-nong-nghiep', 'nong-nghiep-san-xuat'],
  ['csdl-du-lich', 'du-lich-luu-tru'],
  ['csdl-giao-duc', 'giao-duc-truong-hoc'],
  ['csdl-y-te', 'y-te-co-so'],
  ['csdl-giao-thong', 'giao-thong-ha-tang'],
  ['csdl-tai-nguyen-moi-truong', 'moi-truong-diem-quan-trac'],
];

/** An empty shared table per sector database of the demo catalogue, from its template, ready for the sector software to push into. */
async function seedSharedTables(db: Db): Promise<void> {
  const sys = systemPrincipal();
  for (const [name, templateId] of SHARED_TABLES) {
    const full = await getDataset(db, sys, name).catch(() => undefined);
    const tpl = templateById(templateId)!;
    if (!full || full.resources.some((r) => r.name === tpl.title.vi)) continue;
    const r = await createResource(
      db,
      sys,
      ACTOR,
      full.dataset.id,
      { name: tpl.title.vi, description: tpl.title.en, url: '', url_type: 'datastore' },
      undefined,
      { events: new EventBus() },
    );
    await createTable(db, sys, ACTOR, { resourceId: r.id, template: templateId });
  }
}
