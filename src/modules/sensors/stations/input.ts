import { sql } from 'kysely';
import { hasOrgRole, requireUser, type Principal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { badRequest, FieldErrors, forbidden } from '../../../platform/http/index.js';
import { cleanMultiline, cleanText, parseNumber } from '../../../platform/text/index.js';
import { getUnit, resolveAdminUnit } from '../../admin-units/index.js';
import { findOrganization } from '../../organizations/index.js';

export const STATION_KINDS = ['air', 'water'] as const;
export const STATION_MODES = ['automatic', 'periodic'] as const;
export type StationKind = (typeof STATION_KINDS)[number];
export type StationMode = (typeof STATION_MODES)[number];

/** A station as a form or the API gives it: strings where a person types (coordinates the Vietnamese way too). */
export interface StationInput {
  /** The owning unit (id or slug); on creation only. */
  org?: string;
  name?: string;
  code?: string;
  kind?: string;
  mode?: string;
  operator?: string;
  description?: string;
  longitude?: number | string;
  latitude?: number | string;
  /** An administrative unit's official code, or its name (resolved within the unit's province). */
  adminUnit?: string;
}

/** A station's metadata as checked, ready to store (in its Thing's properties, beside any others). */
export interface StationFields {
  org: string | null;
  name: string;
  code: string;
  kind: StationKind;
  mode: StationMode;
  operator: string | null;
  description: string;
  longitude: number;
  latitude: number;
  adminUnit: { code: string; name: string } | null;
}

/** A station's code: what the form, the API and a results file's new stations must all have. */
export const STATION_CODE = /^[\p{L}\p{N}._-]{1,40}$/u;
/** A typed field as the platform cleans a line of text; anything but a string (a number from JSON, an object) is no text at all, so its check names it. */
const clean = (s: unknown) => (typeof s === 'string' ? cleanText(s) : '');

const coordinate = (v: number | string | undefined): number | null => {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  const t = clean(v);
  if (!t) return null;
  // A coordinate has no thousands: "108,98" and "108.98" are both a decimal.
  return /^-?\d+([.,]\d+)?$/.test(t) ? Number(t.replace(',', '.')) : (parseNumber(t) ?? null);
};

/**
 * The one check of a station's metadata, for the API and the form alike; every bad field is named
 * at once. `current`: the station being edited (its unit stays). The administrative unit is taken
 * as a code when it is one, else resolved by name inside the owning unit's province; a name that
 * is not found, or matches several units, is an error naming the candidates.
 */
export async function checkStation(db: Db, p: Principal, input: StationInput, current?: { id: number; org: string | null }): Promise<StationFields> {
  const user = requireUser(p);
  const errors = new FieldErrors();
  let org: string | null = current?.org ?? null;
  let home: string | null = null;
  if (!current) {
    const named = clean(input.org);
    const found = named ? await findOrganization(db, named) : undefined;
    if (!named) errors.add(badRequest('missing_org', { vi: 'Chọn đơn vị quản lý trạm.', en: 'Choose the unit that runs the station.' }, 'org'));
    else if (!found) errors.add(badRequest('unknown_org', { vi: 'Không có đơn vị này.', en: 'No such unit.' }, 'org'));
    else if (!hasOrgRole(p, found.id, 'editor'))
      throw forbidden('forbidden', { vi: 'Bạn không biên tập cho đơn vị này.', en: 'You do not edit for this unit.' });
    else {
      org = found.id;
      home = found.admin_unit_code;
    }
  } else if (org) home = (await findOrganization(db, org))?.admin_unit_code ?? null;
  else if (!user.isSysadmin) throw forbidden('forbidden', { vi: 'Bạn không sửa được trạm này.', en: 'You may not change this station.' });

  const name = clean(input.name);
  if (!name || name.length > 200)
    errors.add(badRequest('invalid_name', { vi: 'Đặt tên cho trạm (tối đa 200 ký tự).', en: 'Give the station a name (at most 200 characters).' }, 'name'));
  const code = clean(input.code);
  if (!STATION_CODE.test(code))
    errors.add(
      badRequest(
        'invalid_code',
        {
          vi: 'Mã trạm: 1–40 chữ, số, dấu chấm, gạch ngang hoặc gạch dưới (ví dụ NT-KK-01).',
          en: 'Station code: 1–40 letters, digits, dots, hyphens or underscores (e.g. NT-KK-01).',
        },
        'code',
      ),
    );
  else if (org) {
    const taken = (await sql`select 1 from sta_thing where org_id = ${org} and properties->>'code' = ${code} and id <> ${current?.id ?? -1}`.execute(db)).rows
      .length;
    if (taken) errors.add(badRequest('code_taken', { vi: 'Đơn vị đã có trạm mang mã này.', en: 'The unit already has a station with this code.' }, 'code'));
  }
  const kind = clean(input.kind) as StationKind;
  if (!STATION_KINDS.includes(kind))
    errors.add(badRequest('invalid_kind', { vi: 'Loại trạm: air (không khí) hoặc water (nước mặt).', en: 'Kind: air or water (surface water).' }, 'kind'));
  const mode = clean(input.mode) as StationMode;
  if (!STATION_MODES.includes(mode))
    errors.add(badRequest('invalid_mode', { vi: 'Hình thức: automatic (tự động) hoặc periodic (định kỳ).', en: 'Mode: automatic or periodic.' }, 'mode'));
  const operator = clean(input.operator);
  if (operator.length > 200) errors.add(badRequest('invalid_operator', { vi: 'Tối đa 200 ký tự.', en: 'At most 200 characters.' }, 'operator'));
  const description = typeof input.description === 'string' ? cleanMultiline(input.description) : '';
  if (description.length > 2000) errors.add(badRequest('invalid_description', { vi: 'Tối đa 2000 ký tự.', en: 'At most 2000 characters.' }, 'description'));
  const longitude = coordinate(input.longitude);
  if (longitude === null || longitude < -180 || longitude > 180)
    errors.add(
      badRequest(
        'invalid_longitude',
        { vi: 'Kinh độ: số thập phân từ -180 đến 180 (ví dụ 108,99).', en: 'Longitude: a decimal from -180 to 180 (e.g. 108.99).' },
        'longitude',
      ),
    );
  const latitude = coordinate(input.latitude);
  if (latitude === null || latitude < -90 || latitude > 90)
    errors.add(
      badRequest(
        'invalid_latitude',
        { vi: 'Vĩ độ: số thập phân từ -90 đến 90 (ví dụ 11,56).', en: 'Latitude: a decimal from -90 to 90 (e.g. 11.56).' },
        'latitude',
      ),
    );
  const adminUnit = await unitOf(db, clean(input.adminUnit), home, errors);
  errors.throwIfAny();
  return { org, name, code, kind, mode, operator: operator || null, description, longitude: longitude!, latitude: latitude!, adminUnit };
}

/** The province an organization's unit lies in (itself when it is one), to resolve names within. */
async function provinceOf(db: Db, unitCode: string | null): Promise<string | undefined> {
  if (!unitCode) return undefined;
  const u = await getUnit(db, unitCode).catch(() => undefined);
  if (!u) return undefined;
  return u.unit.level === 'province' ? u.unit.code : u.parents.find((x) => x.level === 'province')?.code;
}

async function unitOf(db: Db, text: string, home: string | null, errors: FieldErrors): Promise<{ code: string; name: string } | null> {
  if (!text) return null;
  if (/^\d{2,5}$/.test(text)) {
    const u = await getUnit(db, text).catch(() => undefined);
    if (u) return { code: u.unit.code, name: u.unit.name };
    errors.add(
      badRequest('unknown_admin_unit', { vi: `Không có đơn vị hành chính mã ${text}.`, en: `No administrative unit has the code ${text}.` }, 'adminUnit'),
    );
    return null;
  }
  const province = await provinceOf(db, home);
  let r = await resolveAdminUnit(db, { name: text, ...(province ? { parent: province } : {}) });
  // A unit of the province before the merger (Ninh Thuận's communes are Khánh Hòa's since 1 July 2025): look once more nationwide.
  if (!r.match && !r.ambiguous && province) r = await resolveAdminUnit(db, { name: text });
  if (r.match && !r.ambiguous) return { code: r.match.code, name: r.match.name };
  const options = r.alternatives
    .slice(0, 5)
    .map((c) => `${c.name} (${c.code})`)
    .join(', ');
  errors.add(
    badRequest(
      r.ambiguous ? 'ambiguous_admin_unit' : 'unknown_admin_unit',
      r.ambiguous
        ? { vi: `“${text}” khớp nhiều đơn vị: ${options}. Hãy nhập mã.`, en: `"${text}" matches several units: ${options}. Enter the code.` }
        : {
            vi: `Không tìm thấy đơn vị hành chính “${text}”${options ? ` (gần nhất: ${options})` : ''}.`,
            en: `No administrative unit "${text}"${options ? ` (nearest: ${options})` : ''}.`,
          },
      'adminUnit',
    ),
  );
  return null;
}
