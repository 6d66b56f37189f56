import type { Db } from '../../platform/db/index.js';
import { badRequest, FieldErrors } from '../../platform/http/index.js';
import { cleanText, isEmailAddress } from '../../platform/text/index.js';
import { findOrganization, ORG_KINDS, type OrgKind } from '../organizations/index.js';
import type { DatasetInput } from './input.js';
import { licenseById } from './licenses.js';
import { groupRepo } from './repository.js';
import { ACCESS_LEVELS, type AccessLevel } from './tables.js';

const NAME_RE = /^[a-z0-9_-]{2,100}$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const CODE_RE = /^\d{2,5}$/;
export const SHARING_METHODS = ['lgsp', 'file', 'datastore_api'] as const;

export const invalid = (field: string, vi: string, en: string, params: Record<string, string | number> = {}) =>
  badRequest('invalid_field', { vi, en }, field, params);
export const missing = (field: string) => badRequest('missing_value', { vi: 'Thiếu giá trị', en: 'Missing value' }, field);

export const text = (v: string | null | undefined): string | null => (v === undefined || v === null ? null : cleanText(v) || null);

export function checkName(name: string): string {
  if (!NAME_RE.test(name)) {
    throw invalid(
      'name',
      'Tên chỉ gồm chữ thường không dấu a-z, số, "-" và "_", dài 2–100 ký tự',
      'Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_, 2–100 characters long',
    );
  }
  return name;
}

function checkDate(field: string, v: string | null | undefined): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (!DATE_RE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)) || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v) {
    throw invalid(field, 'Ngày không hợp lệ (YYYY-MM-DD)', 'Invalid date (YYYY-MM-DD)');
  }
  return v;
}

function checkEmail(field: string, v: string | null | undefined): string | null {
  const t = text(v);
  if (t && !isEmailAddress(t)) throw invalid(field, 'Địa chỉ email không hợp lệ', 'Invalid e-mail address');
  return t;
}

export async function resolveOrgId(db: Db, field: string, idOrSlug: string): Promise<string> {
  const org = await findOrganization(db, idOrSlug);
  if (!org) throw invalid(field, 'Không tìm thấy cơ quan "{value}"', 'Organization "{value}" not found', { value: idOrSlug });
  return org.id;
}

export async function resolveGroupIds(db: Db, groups: { id?: string; name?: string }[]): Promise<string[]> {
  const ids: string[] = [];
  for (const g of groups) {
    const key = g.id ?? g.name ?? '';
    const found = key ? await groupRepo.find(db, key) : undefined;
    if (!found) throw invalid('groups', 'Không tìm thấy nhóm "{value}"', 'Group "{value}" not found', { value: key });
    ids.push(found.id);
  }
  return [...new Set(ids)];
}

export function tagNames(tags: ({ name: string } | string)[]): string[] {
  const names = tags.map((t) => cleanText(typeof t === 'string' ? t : t.name));
  for (const n of names) {
    if (n.length < 1 || n.length > 100) throw invalid('tags', 'Thẻ phải dài 1–100 ký tự', 'Tags must be 1–100 characters long');
  }
  return [...new Set(names)];
}

/** Checks the scalar fields of a dataset input; every bad field goes into `errors` (thrown here when the caller passes none). */
export function checkScalars(input: DatasetInput, errors?: FieldErrors): void {
  const out = errors ?? new FieldErrors();
  const c = (fn: () => unknown) => void out.check(fn);
  c(() => {
    if (input.license_id && !licenseById(input.license_id)) throw invalid('license_id', 'Giấy phép không có trong danh sách', 'Unknown licence');
  });
  c(() => {
    if (input.access_level !== undefined && !ACCESS_LEVELS.includes(input.access_level as AccessLevel))
      throw invalid('access_level', 'Mức truy cập không hợp lệ', 'Invalid access level');
  });
  c(() => {
    for (const k of input.restricted_kinds ?? [])
      if (!ORG_KINDS.includes(k as OrgKind))
        throw invalid('restricted_kinds', 'Loại cơ quan không hợp lệ: {value}', 'Invalid organization kind: {value}', { value: k });
  });
  c(() => {
    for (const code of input.spatial_codes ?? [])
      if (!CODE_RE.test(code))
        throw invalid('spatial_codes', 'Mã đơn vị hành chính không hợp lệ: {value}', 'Invalid administrative unit code: {value}', { value: code });
  });
  c(() => {
    if (!input.bbox) return;
    const [w, s, e, n] = input.bbox;
    const ok = input.bbox.length === 4 && input.bbox.every(Number.isFinite) && w! >= -180 && e! <= 180 && s! >= -90 && n! <= 90 && w! <= e! && s! <= n!;
    if (!ok) throw invalid('bbox', 'Khung bao phải là [tây, nam, đông, bắc] theo độ', 'The bounding box must be [west, south, east, north] in degrees');
  });
  const start = out.check(() => checkDate('temporal_start', input.temporal_start));
  const end = out.check(() => checkDate('temporal_end', input.temporal_end));
  c(() => {
    if (start && end && start > end) throw invalid('temporal_end', 'Ngày kết thúc trước ngày bắt đầu', 'The end date is before the start date');
  });
  c(() => checkEmail('author_email', input.author_email));
  c(() => checkEmail('maintainer_email', input.maintainer_email));
  c(() => checkEmail('contact_email', input.contact_email));
  const s = input.shared_db;
  if (s) {
    c(() => {
      if (!text(s.legal_basis)) throw missing('shared_db.legal_basis');
    });
    c(() => {
      if (!text(s.data_owner)) throw missing('shared_db.data_owner');
    });
    c(() => {
      if (!Array.isArray(s.sharing_methods) || s.sharing_methods.length === 0) throw missing('shared_db.sharing_methods');
      for (const m of s.sharing_methods) {
        if (!SHARING_METHODS.includes(m as (typeof SHARING_METHODS)[number]))
          throw invalid('shared_db.sharing_methods', 'Phương thức chia sẻ không hợp lệ: {value}', 'Invalid sharing method: {value}', { value: m });
      }
    });
    c(() => {
      for (const k of s.allowed_kinds ?? [])
        if (!ORG_KINDS.includes(k as OrgKind))
          throw invalid('shared_db.allowed_kinds', 'Loại cơ quan không hợp lệ: {value}', 'Invalid organization kind: {value}', { value: k });
    });
  }
  if (!errors) out.throwIfAny();
}
