import { badRequest, FieldErrors } from '../../platform/http/index.js';
import type { Msg } from '../../platform/i18n/index.js';
import { ORG_KINDS, type OrgKind } from './tables.js';

/** The electronic organ code of QCVN 102:2016 (e.g. H43.01.02.A01's shape: 000.00.00.A00). */
export const ORGAN_CODE_RE = /^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9]{2}$/;
export const SLUG_RE = /^[a-z0-9][a-z0-9_-]{1,99}$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UNIT_CODE_RE = /^[0-9]{2,5}$/;

export const isOrgKind = (k: unknown): k is OrgKind => typeof k === 'string' && (ORG_KINDS as readonly string[]).includes(k);

/** Fields with a fixed shape: the organ code of QCVN 102, the slug, a parent's id, an administrative unit code. */
const PATTERNS: [string, RegExp, string, Msg][] = [
  [
    'organCode',
    ORGAN_CODE_RE,
    'invalid_organ_code',
    { vi: 'Mã định danh không đúng định dạng (ví dụ H43.01.02.A01).', en: 'The organ code has the wrong format (e.g. H43.01.02.A01).' },
  ],
  [
    'slug',
    SLUG_RE,
    'invalid_slug',
    { vi: 'Mã rút gọn chỉ gồm a-z, 0-9, "-" và "_" (2–100 ký tự).', en: 'The slug may only contain a-z, 0-9, "-" and "_" (2–100 characters).' },
  ],
  ['parentId', UUID_RE, 'parent_not_found', { vi: 'Cơ quan cấp trên không tồn tại.', en: 'The parent organization does not exist.' }],
  ['adminUnitCode', UNIT_CODE_RE, 'invalid_admin_unit', { vi: 'Mã đơn vị hành chính gồm 2–5 chữ số.', en: 'An administrative unit code has 2–5 digits.' }],
];

const MAX: Record<string, number> = { name: 300, nameEn: 300, shortName: 100, description: 5000, email: 254, website: 500 };
const tooLong = (max: number): Msg => ({ vi: `Quá dài (tối đa ${max} ký tự).`, en: `Too long (${max} characters at most).` });

/**
 * The one set of rules for an organization's fields, used by the JSON API, the CKAN actions and
 * the admin form alike (through the service); every invalid field is reported at once.
 */
export function checkOrgInput(input: Record<string, unknown>, mode: 'create' | 'update'): void {
  const errors = new FieldErrors();
  const str = (k: string): string | null | undefined => {
    const v = input[k];
    if (v === undefined || v === null) return v;
    if (typeof v !== 'string') {
      errors.add(badRequest('invalid_type', { vi: 'Phải là chuỗi ký tự.', en: 'Must be a string.' }, k));
      return undefined;
    }
    return v;
  };
  const name = str('name');
  if (mode === 'create' ? !name?.trim() : name !== undefined && !name?.trim())
    errors.add(badRequest('required', { vi: 'Trường này là bắt buộc.', en: 'This field is required.' }, 'name'));
  for (const [k, max] of Object.entries(MAX)) {
    const v = str(k);
    if (v && v.length > max) errors.add(badRequest('too_long', tooLong(max), k));
  }
  const kind = input.kind;
  if ((mode === 'create' || kind !== undefined) && !isOrgKind(kind))
    errors.add(
      badRequest(
        'invalid_kind',
        { vi: `Loại cơ quan không hợp lệ (một trong ${ORG_KINDS.join(', ')}).`, en: `Invalid organization kind (one of ${ORG_KINDS.join(', ')}).` },
        'kind',
      ),
    );
  for (const [k, re, code, msg] of PATTERNS) {
    const v = str(k);
    if (v && !re.test(v)) errors.add(badRequest(code, msg, k));
  }
  errors.throwIfAny();
}
