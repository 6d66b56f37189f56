import { defineMessages } from '../../../platform/i18n/index.js';
import type { ShellKey, View } from '../../../platform/web/index.js';

/** What the organization pages show. */
export const ORG_MESSAGES = defineMessages({
  organizations: { vi: 'Cơ quan, đơn vị', en: 'Organizations' },
  orgTreeTitle: { vi: 'Cơ quan, đơn vị', en: 'Organizations' },
  orgTreeIntro: {
    vi: 'Ủy ban nhân dân tỉnh, các sở, ban, ngành, UBND cấp huyện và cấp xã.',
    en: "The Provincial People's Committee, its departments and agencies, district and commune committees.",
  },
  orgEmpty: { vi: 'Chưa có cơ quan nào.', en: 'No organizations yet.' },
  orgSubunits: { vi: '{n} đơn vị trực thuộc', en: '{n} subordinate units' },
  orgParents: { vi: 'Cấp trên', en: 'Parent organizations' },
  orgChildren: { vi: 'Đơn vị trực thuộc', en: 'Subordinate units' },
  orgNone: { vi: 'Không có.', en: 'None.' },
  orgDetails: { vi: 'Thông tin', en: 'Details' },
  fieldNameEn: { vi: 'Tên tiếng Anh', en: 'English name' },
  fieldOrganCode: { vi: 'Mã định danh điện tử', en: 'Electronic organ code' },
  fieldOrganCodeHint: { vi: 'Theo QCVN 102:2016, ví dụ H43.01.02.A01', en: 'Per QCVN 102:2016, e.g. H43.01.02.A01' },
  fieldKind: { vi: 'Loại', en: 'Kind' },
  fieldParent: { vi: 'Cơ quan cấp trên', en: 'Parent organization' },
  fieldNoParent: { vi: '— Không có —', en: '— None —' },
  fieldSlug: { vi: 'Mã rút gọn', en: 'Slug' },
  fieldAdminUnit: { vi: 'Mã đơn vị hành chính', en: 'Administrative unit code' },
  fieldWebsite: { vi: 'Trang web', en: 'Website' },
  kind_people_committee: { vi: 'Ủy ban nhân dân tỉnh', en: "Provincial People's Committee" },
  kind_department: { vi: 'Sở, ban, ngành', en: 'Department' },
  kind_agency: { vi: 'Cơ quan, đơn vị sự nghiệp', en: 'Agency' },
  kind_district_committee: { vi: 'UBND cấp huyện', en: 'District committee' },
  kind_commune_committee: { vi: 'UBND cấp xã', en: 'Commune committee' },
  kind_other: { vi: 'Khác', en: 'Other' },
  orgsList: { vi: 'Danh sách cơ quan ({n})', en: 'Organizations ({n})' },
  orgCreate: { vi: 'Tạo cơ quan', en: 'Create an organization' },
  orgCreated: { vi: 'Đã tạo cơ quan {name}.', en: 'Organization {name} created.' },
  orgEditTitle: { vi: 'Sửa: {name}', en: 'Edit: {name}' },
  orgCodeInvalid: { vi: 'Mã định danh không đúng định dạng (ví dụ H43.01.02.A01).', en: 'The organ code has the wrong format (e.g. H43.01.02.A01).' },
  kindInvalid: { vi: 'Loại cơ quan không hợp lệ.', en: 'Invalid organization kind.' },
  statOrgs: { vi: 'cơ quan, đơn vị', en: 'organizations' },
  viewOrgTree: { vi: 'Xem sơ đồ cơ quan, đơn vị', en: 'Browse the organization tree' },
  adminOrgs: { vi: 'Quản lý cơ quan', en: 'Manage organizations' },
});

export type OrgKey = keyof typeof ORG_MESSAGES;

/** A view with the organization pages' messages. */
export type OrgView = View<OrgKey | ShellKey>;
