import type { OrgKind, OrgRow } from '../modules/organizations/index.js';
import { html, type Html } from '../platform/http/index.js';
import type { Lang } from '../platform/i18n/index.js';
import type { MsgKey } from './messages.js';
import type { View } from './view.js';

/** Organization kinds in the order of the hierarchy (mirrors the organizations module). */
export const KINDS: readonly OrgKind[] = ['people_committee', 'department', 'agency', 'district_committee', 'commune_committee', 'other'];
export const isKind = (k: string): k is OrgKind => (KINDS as readonly string[]).includes(k);
export const kindLabel = (v: View, kind: OrgKind): string => v.t(`kind_${kind}` as MsgKey);

/** The name in the reader's language, marked with its own language when it falls back. */
export function orgName(o: Pick<OrgRow, 'name' | 'name_en'>, lang: Lang): Html {
  if (lang === 'en' && o.name_en) return html`${o.name_en}`;
  return lang === 'en' ? html`<span lang="vi">${o.name}</span>` : html`${o.name}`;
}

export const orgNameText = (o: Pick<OrgRow, 'name' | 'name_en'>, lang: Lang): string => (lang === 'en' && o.name_en ? o.name_en : o.name);

/** Sorts siblings by their place in the hierarchy, then by name (Vietnamese collation). */
export function byHierarchy(a: OrgRow, b: OrgRow): number {
  return KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind) || a.name.localeCompare(b.name, 'vi');
}
