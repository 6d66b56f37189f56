/**
 * The Ninh Thuận 2023 AI plan as reference data: what the text does not say in a form a program
 * can read. The tasks themselves are quoted from the text (data/plan/…txt, parsed by parse.ts);
 * this file says which content group each belongs to and which units carry it. Section IV names
 * its units in its headings; section II names none, so its lead and coordinating units are the
 * ones section IV gives the matching work to (e.g. II.2.3, the LGSP, to Information and
 * Communications). Units are organization slugs of the seeded tree.
 */
export const PLAN_CODE = 'ttnt-2023';
export const PLAN_FILE = 'data/plan/ke-hoach-ttnt-ninh-thuan-2023.txt';

export const PLAN_META = {
  code: PLAN_CODE,
  title: 'Kế hoạch triển khai thực hiện Chiến lược quốc gia về nghiên cứu, phát triển và ứng dụng trí tuệ nhân tạo đến năm 2030',
  titleEn: 'Plan to implement the National Strategy on research, development and application of Artificial Intelligence to 2030',
  issuer: 'ubnd-tinh-ninh-thuan',
  decisionRef: 'Quyết định ban hành Kế hoạch, tháng 02/2023 (Tờ trình số 120/TTr-SKHCN ngày 30/01/2023)',
  issuedOn: '2023-02-01',
  firstYear: 2023,
  lastYear: 2030,
} as const;

export interface GroupRef {
  code: string;
  title: string;
  titleEn: string;
}

/** Section II's five content groups, then the funding and organisation tasks (sections III–IV). */
export const GROUPS: readonly GroupRef[] = [
  { code: '1', title: 'Tuyên truyền, nâng cao nhận thức', titleEn: 'Awareness' },
  { code: '2', title: 'Xây dựng hạ tầng dữ liệu', titleEn: 'Data infrastructure' },
  { code: '3', title: 'Phát triển hệ sinh thái TTNT (nhân lực, nghiên cứu và phát triển)', titleEn: 'The AI ecosystem (human resources, R&D)' },
  { code: '4', title: 'Thúc đẩy ứng dụng TTNT', titleEn: 'Applications of AI' },
  { code: '5', title: 'Thúc đẩy hợp tác trong lĩnh vực TTNT', titleEn: 'Cooperation' },
  { code: '6', title: 'Kinh phí và tổ chức thực hiện', titleEn: 'Funding and organisation' },
];

/** Stand-ins for "every department" and "every district People's Committee" (IV.11). */
export const ALL_DEPARTMENTS = '*department';
export const ALL_DISTRICTS = '*district_committee';

export interface TaskRef {
  group: string;
  lead: string[];
  coordinate?: string[];
}

const SECTORS = ['so-nnptnt', 'so-vhttdl', 'so-gddt', 'so-gtvt', 'so-tnmt'];
const MEDIA = ['bao-ninh-thuan', 'dai-ptth-ninh-thuan'];

/** Every task ref the parser finds must be here, and every ref here must be found (tested). */
export const TASKS: Readonly<Record<string, TaskRef>> = {
  'II.1.1': { group: '1', lead: ['so-khcn'], coordinate: ['so-tttt', ...MEDIA] },
  'II.1.2': { group: '1', lead: ['so-tttt'], coordinate: ['so-khcn'] },
  'II.2.1': { group: '2', lead: ['so-tttt'], coordinate: SECTORS },
  'II.2.2': { group: '2', lead: ['so-tttt'], coordinate: ['so-khcn', ...SECTORS] },
  'II.2.3': { group: '2', lead: ['so-tttt'] },
  'II.2.4': { group: '2', lead: ['so-tttt'], coordinate: ['so-khcn'] },
  'II.2.5': { group: '2', lead: ['so-tttt'], coordinate: ['so-khcn'] },
  'II.2.6': { group: '2', lead: ['so-tttt'], coordinate: ['so-tnmt'] },
  'II.3.a.1': { group: '3', lead: ['so-khcn'], coordinate: ['so-gddt', 'so-tttt'] },
  'II.3.a.2': { group: '3', lead: ['so-gddt'], coordinate: ['so-tttt'] },
  'II.3.a.3': { group: '3', lead: ['so-khcn'] },
  'II.3.b.1': { group: '3', lead: ['so-khcn'] },
  'II.3.b.2': { group: '3', lead: ['so-khcn'], coordinate: SECTORS },
  'II.4.1': { group: '4', lead: ['so-khcn'], coordinate: ['so-tttt', 'so-cong-thuong', ...SECTORS] },
  'II.5.1': { group: '5', lead: ['so-khcn'] },
  'II.5.2': { group: '5', lead: ['so-khcn'] },
  'IV.1.1': { group: '6', lead: ['so-khcn'] },
  'IV.1.2': { group: '3', lead: ['so-khcn'] },
  'IV.1.3': { group: '1', lead: ['so-khcn'], coordinate: MEDIA },
  'IV.1.4': { group: '3', lead: ['so-khcn'] },
  'IV.1.5': { group: '3', lead: ['so-khcn'] },
  'IV.1.6': { group: '5', lead: ['so-khcn'] },
  'IV.1.7': { group: '3', lead: ['so-khcn'] },
  'IV.1.8': { group: '5', lead: ['so-khcn'] },
  'IV.2.1': { group: '1', lead: ['so-tttt'] },
  'IV.2.2': { group: '2', lead: ['so-tttt'] },
  'IV.2.3': { group: '3', lead: ['so-tttt'] },
  'IV.2.4': { group: '4', lead: ['so-tttt'], coordinate: [ALL_DEPARTMENTS, ALL_DISTRICTS] },
  'IV.3.1': { group: '3', lead: ['so-gddt'] },
  'IV.3.2': { group: '3', lead: ['so-gddt'] },
  'IV.3.3': { group: '3', lead: ['so-gddt'] },
  'IV.3.4': { group: '3', lead: ['so-gddt'] },
  'IV.4.1': { group: '4', lead: ['so-cong-thuong'] },
  'IV.4.2': { group: '4', lead: ['so-cong-thuong'] },
  'IV.5.1': { group: '2', lead: ['so-nnptnt'] },
  'IV.5.2': { group: '3', lead: ['so-nnptnt'] },
  'IV.6.1': { group: '4', lead: ['so-gtvt'] },
  'IV.7.1': { group: '4', lead: ['so-vhttdl'] },
  'IV.8.1': { group: '2', lead: ['so-tnmt'] },
  'IV.9.1': { group: '6', lead: ['so-tai-chinh'], coordinate: ['so-khcn'] },
  'IV.10.1': { group: '1', lead: MEDIA },
  'IV.11.1': { group: '4', lead: [ALL_DEPARTMENTS] },
  'IV.11.2': { group: '4', lead: [ALL_DISTRICTS] },
  'IV.11.3': { group: '6', lead: [ALL_DEPARTMENTS, ALL_DISTRICTS] },
};

export interface IndicatorRef {
  code: string;
  scope: 'national' | 'province';
  name: string;
  nameEn: string;
  unit: string;
  unitEn: string;
  direction?: 'up' | 'down';
  responsible: string;
  targets: Record<number, number>;
  computeKey?: string;
  note: string;
}

const QD127 = 'Chiến lược quốc gia (QĐ 127/QĐ-TTg ngày 26/01/2021), mục tiêu';

/** The national strategy's 2025 and 2030 targets, and what the province's platform counts itself. */
export const INDICATORS: readonly IndicatorRef[] = [
  {
    code: 'QG-01',
    scope: 'national',
    name: 'Xếp hạng của Việt Nam trong ASEAN về nghiên cứu, phát triển và ứng dụng TTNT',
    nameEn: "Vietnam's rank in ASEAN in AI R&D and application",
    unit: 'thứ hạng',
    unitEn: 'rank',
    direction: 'down',
    responsible: 'so-khcn',
    targets: { 2025: 5, 2030: 4 },
    note: `${QD127} 2025 (top 5) và 2030 (top 4)`,
  },
  {
    code: 'QG-02',
    scope: 'national',
    name: 'Xếp hạng của Việt Nam trên thế giới về nghiên cứu, phát triển và ứng dụng TTNT',
    nameEn: "Vietnam's world rank in AI R&D and application",
    unit: 'thứ hạng',
    unitEn: 'rank',
    direction: 'down',
    responsible: 'so-khcn',
    targets: { 2025: 60, 2030: 50 },
    note: `${QD127} 2025 (top 60) và 2030 (top 50)`,
  },
  {
    code: 'QG-03',
    scope: 'national',
    name: 'Thương hiệu TTNT có uy tín trong khu vực',
    nameEn: 'Reputable AI brands in the region',
    unit: 'thương hiệu',
    unitEn: 'brands',
    responsible: 'so-khcn',
    targets: { 2025: 5, 2030: 10 },
    note: `${QD127} 2025 và 2030`,
  },
  {
    code: 'QG-04',
    scope: 'national',
    name: 'Trung tâm quốc gia về lưu trữ dữ liệu lớn và tính toán hiệu năng cao',
    nameEn: 'National big-data and high-performance computing centres',
    unit: 'trung tâm',
    unitEn: 'centres',
    responsible: 'so-khcn',
    targets: { 2025: 1, 2030: 3 },
    note: `${QD127} 2025 và 2030 (kết nối thành mạng lưới)`,
  },
  {
    code: 'QG-05',
    scope: 'national',
    name: 'Trung tâm đổi mới sáng tạo quốc gia về TTNT',
    nameEn: 'National AI innovation centres',
    unit: 'trung tâm',
    unitEn: 'centres',
    responsible: 'so-khcn',
    targets: { 2025: 2, 2030: 3 },
    note: `${QD127} 2025 và 2030`,
  },
  {
    code: 'QG-06',
    scope: 'national',
    name: 'Cơ sở nghiên cứu và đào tạo trọng điểm về TTNT',
    nameEn: 'Key AI research and training institutions',
    unit: 'cơ sở',
    unitEn: 'institutions',
    responsible: 'so-khcn',
    targets: { 2025: 10 },
    note: `${QD127} 2025`,
  },
  {
    code: 'QG-07',
    scope: 'national',
    name: 'Bộ dữ liệu mở, liên thông của các ngành',
    nameEn: 'Open, interconnected datasets across sectors',
    unit: 'bộ dữ liệu',
    unitEn: 'datasets',
    responsible: 'so-khcn',
    targets: { 2030: 50 },
    note: `${QD127} 2030`,
  },
  {
    code: 'QG-08',
    scope: 'national',
    name: 'Cơ sở nghiên cứu và đào tạo về TTNT thuộc nhóm 20 hàng đầu ASEAN',
    nameEn: "AI research and training institutions in ASEAN's top 20",
    unit: 'cơ sở',
    unitEn: 'institutions',
    responsible: 'so-khcn',
    targets: { 2030: 1 },
    note: `${QD127} 2030`,
  },
  {
    code: 'T-01',
    scope: 'province',
    name: 'Bộ dữ liệu mở trên Cổng dữ liệu của tỉnh',
    nameEn: "Open datasets on the province's data portal",
    unit: 'bộ dữ liệu',
    unitEn: 'datasets',
    responsible: 'so-tttt',
    targets: {},
    computeKey: 'catalog.open-datasets',
    note: 'Nhiệm vụ II.2.5; do nền tảng đếm (bộ dữ liệu công khai đang hoạt động)',
  },
  {
    code: 'T-02',
    scope: 'province',
    name: 'Cơ sở dữ liệu dùng chung trong danh mục của tỉnh',
    nameEn: "Shared databases in the province's catalog",
    unit: 'cơ sở dữ liệu',
    unitEn: 'databases',
    responsible: 'so-tttt',
    targets: {},
    computeKey: 'catalog.shared-databases',
    note: 'Nhiệm vụ II.2.5; do nền tảng đếm',
  },
  {
    code: 'T-03',
    scope: 'province',
    name: 'Trạm quan trắc môi trường gửi dữ liệu trong 24 giờ qua',
    nameEn: 'Monitoring stations reporting in the last 24 hours',
    unit: 'trạm',
    unitEn: 'stations',
    responsible: 'so-tnmt',
    targets: {},
    computeKey: 'sensors.stations-reporting',
    note: 'Nhiệm vụ IV.8.1; do nền tảng đếm',
  },
  {
    code: 'T-04',
    scope: 'province',
    name: 'Lượt cán bộ được tập huấn về dữ liệu và TTNT',
    nameEn: 'Officials trained in data and AI',
    unit: 'lượt người',
    unitEn: 'trainees',
    responsible: 'so-tttt',
    targets: {},
    note: 'Nhiệm vụ IV.2.2, IV.2.3; đơn vị nhập',
  },
  {
    code: 'T-05',
    scope: 'province',
    name: 'Nhiệm vụ khoa học và công nghệ về TTNT được phê duyệt',
    nameEn: 'Approved S&T tasks on AI',
    unit: 'nhiệm vụ',
    unitEn: 'tasks',
    responsible: 'so-khcn',
    targets: {},
    note: 'Nhiệm vụ IV.1.4; đơn vị nhập',
  },
  {
    code: 'T-06',
    scope: 'province',
    name: 'Tin, bài, chương trình tuyên truyền về TTNT',
    nameEn: 'News items and programmes on AI',
    unit: 'tin, bài',
    unitEn: 'items',
    responsible: 'bao-ninh-thuan',
    targets: {},
    note: 'Nhiệm vụ IV.10.1; đơn vị nhập',
  },
];

/** The plan's annual report as a reporting regime (its own words: section IV.11, third bullet). */
export const ANNUAL_REGIME = {
  code: 'ttnt-2023-hang-nam',
  name: 'Báo cáo tình hình triển khai thực hiện Kế hoạch ứng dụng trí tuệ nhân tạo (hằng năm)',
  nameEn: 'Annual report on the implementation of the AI plan',
  content: 'Tình hình thực hiện từng nhiệm vụ được giao (trạng thái, kết quả, khó khăn, đề xuất) và số liệu các chỉ tiêu.',
  senders: 'Sở, ban, ngành cấp tỉnh; Ủy ban nhân dân các huyện, thành phố',
  receiver: 'so-khcn',
  channel: 'electronic' as const,
  frequency: 'annual' as const,
  deadline: { month: 11, day: 15 },
  outline:
    'I. Tình hình triển khai (theo từng nhiệm vụ: trạng thái, kết quả đạt được, khó khăn, đề xuất). II. Số liệu chỉ tiêu. III. Đánh giá chung. IV. Kiến nghị, đề xuất.',
};
