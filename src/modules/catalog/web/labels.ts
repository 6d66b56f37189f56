import type { Msg } from '../../../platform/i18n/index.js';
import { frequencyCode } from '../dcat/index.js';
import type { AccessLevel } from '../tables.js';
import { num } from '../../../platform/web/index.js';
import { CATALOG_MESSAGES as M, type CView } from './messages.js';

/** Coded values as readers see them: one typed table per code list (no keys built from strings). */
export const ACCESS_LABELS: Record<AccessLevel, Msg> = {
  public: M.access_public,
  government: M.access_government,
  restricted: M.access_restricted,
  private: M.access_private,
};

export type SharingMethod = 'lgsp' | 'file' | 'datastore_api';
export const METHOD_LABELS: Record<SharingMethod, Msg> = { lgsp: M.method_lgsp, file: M.method_file, datastore_api: M.method_datastore_api };

export type Facet = 'organization' | 'groups' | 'tags' | 'res_format' | 'license_id' | 'access_level' | 'spatial_codes' | 'shared_db';
export const FACET_LABELS: Record<Facet, Msg> = {
  organization: M.facet_organization,
  groups: M.facet_groups,
  tags: M.facet_tags,
  res_format: M.facet_res_format,
  license_id: M.facet_license_id,
  access_level: M.facet_access_level,
  spatial_codes: M.facet_spatial_codes,
  shared_db: M.facet_shared_db,
};

const ACTION_LABELS: Record<string, Msg> = {
  create: M.act_create,
  update: M.act_update,
  delete: M.act_delete,
  'resource.create': M['act_resource.create'],
  'resource.update': M['act_resource.update'],
  'resource.delete': M['act_resource.delete'],
};

/** The EU frequency codes, in both languages (update_frequency is free text; known spellings map to a code). */
const FREQUENCY_LABELS: Record<string, Msg> = {
  CONT: { vi: 'Liên tục', en: 'Continuous' },
  UPDATE_CONT: { vi: 'Cập nhật liên tục', en: 'Continuously updated' },
  HOURLY: { vi: 'Hằng giờ', en: 'Hourly' },
  DAILY: { vi: 'Hằng ngày', en: 'Daily' },
  WEEKLY: { vi: 'Hằng tuần', en: 'Weekly' },
  MONTHLY: { vi: 'Hằng tháng', en: 'Monthly' },
  QUARTERLY: { vi: 'Hằng quý', en: 'Quarterly' },
  ANNUAL: { vi: 'Hằng năm', en: 'Annual' },
  ANNUAL_2: { vi: 'Nửa năm một lần', en: 'Every six months' },
  ANNUAL_3: { vi: 'Bốn tháng một lần', en: 'Three times a year' },
  BIENNIAL: { vi: 'Hai năm một lần', en: 'Every two years' },
  IRREG: { vi: 'Không định kỳ', en: 'Irregular' },
  NEVER: { vi: 'Không cập nhật', en: 'Never updated' },
  OTHER: { vi: 'Khác', en: 'Other' },
  UNKNOWN: { vi: 'Không rõ', en: 'Unknown' },
};

export const isAccessLevel = (s: string): s is AccessLevel => Object.hasOwn(ACCESS_LABELS, s);
export const accessLabel = (v: CView, level: AccessLevel): string => v.msg(ACCESS_LABELS[level]);
export const methodLabel = (v: CView, m: string): string => (Object.hasOwn(METHOD_LABELS, m) ? v.msg(METHOD_LABELS[m as SharingMethod]) : m);
export const actionLabel = (v: CView, action: string): string => (Object.hasOwn(ACTION_LABELS, action) ? v.msg(ACTION_LABELS[action]!) : action);

/** A stored update frequency in the reader's language when it is a known one, as written otherwise. */
export function frequencyLabel(v: CView, value: string | null | undefined): string | null {
  if (!value) return null;
  const code = frequencyCode(value);
  const label = code && Object.hasOwn(FREQUENCY_LABELS, code) ? FREQUENCY_LABELS[code] : undefined;
  return label ? v.msg(label) : value;
}

/** "n datasets" in the reader's language (English has a singular; Vietnamese does not inflect). */
export const datasetCount = (v: CView, n: number): string => v.t(n === 1 ? 'themeCountOne' : 'themeCount', { n: num(v, n) });
