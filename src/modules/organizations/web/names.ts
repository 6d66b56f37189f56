import { html, type Html } from '../../../platform/http/index.js';
import type { Lang } from '../../../platform/i18n/index.js';
import type { View } from '../../../platform/web/index.js';
import { ORG_KINDS, type OrgKind, type OrgRow } from '../tables.js';
import { ORG_MESSAGES } from './messages.js';

const KIND_LABELS: Record<OrgKind, (typeof ORG_MESSAGES)[keyof typeof ORG_MESSAGES]> = {
  people_committee: ORG_MESSAGES.kind_people_committee,
  department: ORG_MESSAGES.kind_department,
  agency: ORG_MESSAGES.kind_agency,
  district_committee: ORG_MESSAGES.kind_district_committee,
  commune_committee: ORG_MESSAGES.kind_commune_committee,
  other: ORG_MESSAGES.kind_other,
};

/** An organization kind in the reader's language. */
export const kindLabel = (v: Pick<View, 'msg'>, kind: OrgKind): string => v.msg(KIND_LABELS[kind]);

/** The name in the reader's language, marked with its own language when it falls back. */
export function orgName(o: Pick<OrgRow, 'name' | 'name_en'>, lang: Lang): Html {
  if (lang === 'en' && o.name_en) return html`${o.name_en}`;
  return lang === 'en' ? html`<span lang="vi">${o.name}</span>` : html`${o.name}`;
}

export const orgNameText = (o: Pick<OrgRow, 'name' | 'name_en'>, lang: Lang): string => (lang === 'en' && o.name_en ? o.name_en : o.name);

/** Sorts siblings by their place in the hierarchy, then by name (Vietnamese collation). */
export function byHierarchy(a: OrgRow, b: OrgRow): number {
  return ORG_KINDS.indexOf(a.kind) - ORG_KINDS.indexOf(b.kind) || a.name.localeCompare(b.name, 'vi');
}

/** The canonical page of an organization. */
export const orgHref = (slug: string): string => `/organization/${encodeURIComponent(slug)}`;
