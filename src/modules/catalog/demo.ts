import { Readable } from 'node:stream';
import { SYSTEM_ACTOR } from '../../platform/audit/index.js';
import { systemPrincipal } from '../../platform/auth/index.js';
import type { Db } from '../../platform/db/index.js';
import { EventBus } from '../../platform/events.js';
import type { FileStore } from '../../platform/storage/index.js';
import { getUnit, unitRecordsFromFile } from '../admin-units/index.js';
import type { DatasetInput } from './input.js';
import { datasetRepo } from './repository.js';
import { createDataset, createResource } from './service.js';
import { csvCell } from '../../platform/text/index.js';

const PLAN =
  'Quyết định của UBND tỉnh Ninh Thuận (02/2023) ban hành Kế hoạch triển khai thực hiện Chiến lược quốc gia về nghiên cứu, phát triển và ứng dụng trí tuệ nhân tạo đến năm 2030 (theo Quyết định số 127/QĐ-TTg ngày 26/01/2021 của Thủ tướng Chính phủ)';
const ACTOR = { ...SYSTEM_ACTOR, label: 'demo' };

const csv = (header: string[], rows: (string | number | null)[][]) =>
  `\uFEFF${[header, ...rows].map((r) => r.map((v) => csvCell(v)).join(',')).join('\r\n')}\r\n`;

async function upload(db: Db, files: FileStore, datasetId: string, filename: string, content: string, name: string, description: string) {
  const stored = await files.put(Readable.from([Buffer.from(content, 'utf8')]), 50 * 1024 * 1024);
  await createResource(
    db,
    systemPrincipal(),
    ACTOR,
    datasetId,
    { name, description, format: 'CSV' },
    { storageKey: stored.key, filename, size: stored.size, mimetype: 'text/csv', sha256: stored.sha256 },
    // Seeds run before the app's modules subscribe; the datastore's demo loads these files itself.
    { events: new EventBus() },
  );
}

/** The sector databases the AI plan names, as entries of the shared-database catalogue. */
const SECTOR_DATABASES: (DatasetInput & { name: string })[] = [
  [
    'csdl-nong-nghiep',
    'Cơ sở dữ liệu ngành nông nghiệp',
    'Agriculture sector database',
    'so-nnptnt',
    'nong-nghiep',
    ['nông nghiệp', 'trồng trọt', 'chăn nuôi', 'thủy sản'],
    'government',
  ],
  ['csdl-du-lich', 'Cơ sở dữ liệu ngành du lịch', 'Tourism sector database', 'so-vhttdl', 'du-lich', ['du lịch', 'lưu trú', 'điểm đến'], 'public'],
  ['csdl-giao-duc', 'Cơ sở dữ liệu ngành giáo dục', 'Education sector database', 'so-gddt', 'giao-duc', ['giáo dục', 'trường học', 'học sinh'], 'restricted'],
  [
    'csdl-giao-thong',
    'Cơ sở dữ liệu ngành giao thông',
    'Transport sector database',
    'so-gtvt',
    'giao-thong',
    ['giao thông', 'xe buýt', 'đường bộ'],
    'government',
  ],
  [
    'csdl-tai-nguyen-moi-truong',
    'Cơ sở dữ liệu tài nguyên và môi trường',
    'Natural resources and environment database',
    'so-tnmt',
    'tai-nguyen-moi-truong',
    ['môi trường', 'quan trắc', 'nước thải', 'không khí'],
    'government',
  ],
  [
    'csdl-khoa-hoc-cong-nghe',
    'Cơ sở dữ liệu khoa học và công nghệ',
    'Science and technology database',
    'so-khcn',
    'khoa-hoc-cong-nghe',
    ['khoa học', 'công nghệ', 'nhiệm vụ khoa học'],
    'public',
  ],
  ['csdl-y-te', 'Cơ sở dữ liệu ngành y tế', 'Health sector database', 'ubnd-tinh-ninh-thuan', 'y-te', ['y tế', 'cơ sở khám chữa bệnh'], 'restricted'],
  [
    'csdl-an-ninh-quoc-phong',
    'Cơ sở dữ liệu an ninh – quốc phòng',
    'Security and defence database',
    'ubnd-tinh-ninh-thuan',
    'an-ninh-quoc-phong',
    ['an ninh', 'quốc phòng'],
    'private',
  ],
].map(([name, title, titleEn, org, theme, tags, access]) => ({
  name: name as string,
  title: title as string,
  title_en: titleEn as string,
  owner_org: org as string,
  groups: [{ name: theme as string }],
  tags: tags as string[],
  access_level: access as DatasetInput['access_level'],
  ...(access === 'restricted' ? { restricted_kinds: ['district_committee', 'commune_committee', 'department'] } : {}),
  notes: `Cơ sở dữ liệu ngành tập trung thu thập qua phần mềm chuyên ngành, chia sẻ đến các cấp tỉnh, huyện, xã theo Kế hoạch ứng dụng trí tuệ nhân tạo của tỉnh. Mục danh mục này mô tả cơ sở dữ liệu; dữ liệu được khai thác qua nền tảng chia sẻ, tích hợp (LGSP) theo quyền được cấp.`,
  notes_en:
    'A sector database collected through the sector software and shared with the province, district and commune levels under the province AI plan. This entry describes the database; its data is accessed through the LGSP according to granted rights.',
  license_id: access === 'public' ? 'cc-by' : 'gov-use-only',
  spatial_codes: ['58'],
  update_frequency: 'continuous',
  shared_db: {
    legal_basis: PLAN,
    data_owner: title as string,
    sharing_methods: ['lgsp', 'datastore_api'],
    update_frequency: 'continuous',
    allowed_kinds: ['department', 'district_committee', 'commune_committee'],
  },
}));

/**
 * The Ninh Thuận demo catalogue: real administrative-unit data shipped with the product (MIT, see
 * THIRD_PARTY_DATA.md) published by the Department of Science and Technology, and catalogue
 * entries for the sector databases the AI plan names. Idempotent.
 */
export async function seedCatalogDemo(db: Db, { files }: { files: FileStore }): Promise<void> {
  if (await datasetRepo.find(db, 'don-vi-hanh-chinh-ninh-thuan')) return;
  const sys = systemPrincipal();
  const units = unitRecordsFromFile().filter((u) => u.validTo === '2025-07-01');
  const districts = units.filter((u) => u.parentCode === '58');
  const communes = units.filter((u) => districts.some((d) => d.code === u.parentCode));

  const au = await createDataset(db, sys, ACTOR, {
    name: 'don-vi-hanh-chinh-ninh-thuan',
    title: 'Danh mục đơn vị hành chính tỉnh Ninh Thuận (trước 01/7/2025)',
    title_en: 'Administrative units of Ninh Thuận province (before 1 July 2025)',
    owner_org: 'so-khcn',
    notes: 'Mã và tên 7 đơn vị hành chính cấp huyện và 62 đơn vị cấp xã của tỉnh Ninh Thuận theo danh mục của Tổng cục Thống kê (01/3/2025).',
    notes_en: 'Codes and names of the 7 district-level and 62 commune-level units of Ninh Thuận, from the GSO list as of 1 March 2025.',
    tags: ['đơn vị hành chính', 'mã hành chính', 'Ninh Thuận'],
    groups: [{ name: 'hanh-chinh' }],
    license_id: 'cc-by',
    access_level: 'public',
    spatial_codes: ['58'],
    bbox: [108.55, 11.3, 109.25, 12.2],
    temporal_end: '2025-06-30',
    update_frequency: 'irregular',
    contact_name: 'Sở Khoa học và Công nghệ tỉnh Ninh Thuận',
    extras: [{ key: 'source', value: 'ThangLeQuoc/vietnamese-provinces-database (MIT), GSO codes' }],
  });
  await upload(
    db,
    files,
    au.dataset.id,
    'don-vi-hanh-chinh-ninh-thuan.csv',
    csv(
      ['ma', 'ten', 'ten_tieng_anh', 'cap', 'ma_cap_tren'],
      [...districts, ...communes].map((u) => [u.code, u.name, u.nameEn, u.level === 'district' ? 'huyện' : 'xã', u.parentCode]),
    ),
    'Đơn vị hành chính (CSV)',
    '69 dòng: 7 đơn vị cấp huyện, 62 đơn vị cấp xã',
  );

  const links: (string | null)[][] = [];
  for (const c of communes) {
    const detail = await getUnit(db, c.code, { at: '2025-03-01' });
    for (const s of detail.successors) links.push([c.code, c.name, s.code, s.name, s.kind]);
  }
  const reform = await createDataset(db, sys, ACTOR, {
    name: 'sap-xep-don-vi-hanh-chinh-2025-ninh-thuan',
    title: 'Sắp xếp đơn vị hành chính cấp xã năm 2025: Ninh Thuận vào Khánh Hòa',
    title_en: '2025 reorganisation of commune-level units: Ninh Thuận into Khánh Hòa',
    owner_org: 'so-khcn',
    notes:
      'Liên kết từ 62 xã, phường, thị trấn cũ của Ninh Thuận đến các đơn vị cấp xã mới của tỉnh Khánh Hòa từ ngày 01/7/2025 (toàn bộ hoặc một phần). Dữ liệu cộng đồng dvhcvn/20250701 (MIT), dựng từ các nghị quyết của Ủy ban Thường vụ Quốc hội.',
    notes_en:
      'Links from the 62 former communes of Ninh Thuận to the new commune-level units of Khánh Hòa from 1 July 2025 (full or partial). Community dataset dvhcvn/20250701 (MIT) built from the Standing Committee resolutions.',
    tags: ['sắp xếp đơn vị hành chính', 'Khánh Hòa', 'Ninh Thuận'],
    groups: [{ name: 'hanh-chinh' }],
    license_id: 'cc-by',
    spatial_codes: ['58', '56'],
    temporal_start: '2025-07-01',
    update_frequency: 'irregular',
  });
  await upload(
    db,
    files,
    reform.dataset.id,
    'sap-xep-2025-ninh-thuan.csv',
    csv(['ma_cu', 'ten_cu', 'ma_moi', 'ten_moi', 'loai'], links),
    'Bảng chuyển đổi mã (CSV)',
    `${links.length} liên kết cũ → mới`,
  );

  for (const d of SECTOR_DATABASES) await createDataset(db, sys, ACTOR, d);
}
