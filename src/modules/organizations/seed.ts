import type { Db } from '../../platform/db/index.js';
import { slugify } from '../../platform/text/index.js';
import type { OrgKind, OrgTables } from './tables.js';

/** A child unit of an administrative unit, as the admin-units module lists it. */
export interface UnitRef {
  code: string;
  name: string;
}
export type ChildUnits = (db: Db, parentCode: string, at: string) => Promise<UnitRef[]>;

interface SeedOrg {
  slug: string;
  name: string;
  name_en: string;
  kind: OrgKind;
  admin_unit_code: string | null;
}

const PROVINCE = {
  slug: 'ubnd-tinh-ninh-thuan',
  name: 'Ủy ban nhân dân tỉnh Ninh Thuận',
  name_en: "Ninh Thuan Provincial People's Committee",
  kind: 'people_committee',
  admin_unit_code: '58',
} satisfies SeedOrg;

const DEPARTMENTS: SeedOrg[] = [
  ['so-khcn', 'Sở Khoa học và Công nghệ', 'Department of Science and Technology'],
  ['so-tttt', 'Sở Thông tin và Truyền thông', 'Department of Information and Communications'],
  ['so-gddt', 'Sở Giáo dục và Đào tạo', 'Department of Education and Training'],
  ['so-cong-thuong', 'Sở Công Thương', 'Department of Industry and Trade'],
  ['so-nnptnt', 'Sở Nông nghiệp và Phát triển nông thôn', 'Department of Agriculture and Rural Development'],
  ['so-gtvt', 'Sở Giao thông vận tải', 'Department of Transport'],
  ['so-vhttdl', 'Sở Văn hóa, Thể thao và Du lịch', 'Department of Culture, Sports and Tourism'],
  ['so-tnmt', 'Sở Tài nguyên và Môi trường', 'Department of Natural Resources and Environment'],
  ['so-tai-chinh', 'Sở Tài chính', 'Department of Finance'],
].map(([slug, name, name_en]) => ({ slug: slug!, name: name!, name_en: name_en!, kind: 'department' as const, admin_unit_code: '58' }));

const AGENCIES: SeedOrg[] = [
  { slug: 'bao-ninh-thuan', name: 'Báo Ninh Thuận', name_en: 'Ninh Thuan Newspaper', kind: 'agency', admin_unit_code: '58' },
  {
    slug: 'dai-ptth-ninh-thuan',
    name: 'Đài Phát thanh và Truyền hình Ninh Thuận',
    name_en: 'Ninh Thuan Radio and Television',
    kind: 'agency',
    admin_unit_code: '58',
  },
];

/** The province's units before the 1 July 2025 reform, when the plan was written. */
const PLAN_DATE = '2025-03-01';

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);
const ENGLISH_TYPE: [RegExp, string][] = [
  [/^Thành phố (.*)$/, '$1 City'],
  [/^Huyện (.*)$/, '$1 District'],
  [/^Phường (.*)$/, '$1 Ward'],
  [/^Xã (.*)$/, '$1 Commune'],
  [/^Thị trấn (.*)$/, '$1 Township'],
];
const englishOf = (name: string): string => ENGLISH_TYPE.reduce((n, [re, rep]) => n.replace(re, rep), name);

/**
 * The organization tree of Ninh Thuận: the Provincial People's Committee, the departments and
 * agencies the AI plan assigns tasks to, the 7 district-level and 62 commune-level People's
 * Committees. Electronic organ codes (QCVN 102:2016) are left empty: no verified list was
 * available offline; sysadmins fill them in.
 */
export async function seedOrganizations(db: Db, childUnits: ChildUnits): Promise<void> {
  const t = db.withTables<OrgTables>();
  const existing = await t.selectFrom('organization').select('id').limit(1).executeTakeFirst();
  if (existing) return;
  await db.transaction().execute(async (trx) => {
    const tx = trx.withTables<OrgTables>();
    const insert = async (o: SeedOrg, parentId: string | null) =>
      (
        await tx
          .insertInto('organization')
          .values({ ...o, parent_id: parentId })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const root = await insert(PROVINCE, null);
    for (const o of [...DEPARTMENTS, ...AGENCIES]) await insert(o, root);
    const districts = await childUnits(trx, '58', PLAN_DATE);
    for (const d of districts) {
      const districtId = await insert(
        {
          slug: `ubnd-${slugify(d.name)}`,
          name: `Ủy ban nhân dân ${lowerFirst(d.name)}`,
          name_en: `${englishOf(d.name)} People's Committee`,
          kind: 'district_committee',
          admin_unit_code: d.code,
        },
        root,
      );
      const communes = await childUnits(trx, d.code, PLAN_DATE);
      if (communes.length === 0) continue;
      await tx
        .insertInto('organization')
        .values(
          communes.map((c) => ({
            slug: `ubnd-${slugify(c.name)}-${c.code}`,
            name: `Ủy ban nhân dân ${lowerFirst(c.name)}`,
            name_en: `${englishOf(c.name)} People's Committee`,
            kind: 'commune_committee' as const,
            admin_unit_code: c.code,
            parent_id: districtId,
          })),
        )
        .execute();
    }
  });
}
