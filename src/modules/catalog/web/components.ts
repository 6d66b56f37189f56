import { getUnit } from '../../admin-units/index.js';
import { licenseById } from '../licenses.js';
import { THEMES } from '../themes.js';
import { type AccessLevel, type GroupRow } from '../tables.js';
import { type DatasetFull, type OrgBrief } from '../full.js';
import type { Db } from '../../../platform/db/index.js';
import { html, type Html } from '../../../platform/http/index.js';
import type { Lang } from '../../../platform/i18n/index.js';
import { orgName } from '../../organizations/index.js';
import { num } from '../../../platform/web/index.js';
import { type CView } from './messages.js';
import { accessLabel } from './labels.js';

/** Text in the reader's language; the other language's text is marked with its `lang`. */
export function bilingual(vi: string | null, en: string | null, lang: Lang): Html {
  if (lang === 'en' && en) return html`${en}`;
  if (lang === 'vi' && vi) return html`${vi}`;
  if (vi) return html`<span lang="vi">${vi}</span>`;
  return en ? html`<span lang="en">${en}</span>` : html``;
}

export const titleText = (d: DatasetFull['dataset'], lang: Lang): string => (lang === 'en' && d.title_en ? d.title_en : d.title);
export const datasetTitle = (d: DatasetFull['dataset'], lang: Lang): Html => bilingual(d.title, d.title_en, lang);
export const notesText = (d: DatasetFull['dataset'], lang: Lang): string | null => (lang === 'en' && d.notes_en ? d.notes_en : (d.notes ?? d.notes_en));

export function excerpt(text: string | null, max = 220): string {
  if (!text) return '';
  const plain = text
    .replace(/[#*_`>[\]]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (plain.length <= max) return plain;
  const cut = plain.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 20))}…`;
}

export function accessBadge(v: CView, level: AccessLevel): Html {
  return html`<span class="badge badge-access badge-${level}">${accessLabel(v, level)}</span>`;
}

export const formatsOf = (d: DatasetFull): string[] => [...new Set(d.resources.map((r) => r.format).filter((f): f is string => !!f))].sort();

export const licenseTitle = (id: string | null | undefined): string => licenseById(id)?.title ?? id ?? '';

export function themeTitle(name: string, lang: Lang, groups: GroupRow[] = []): string {
  const g = groups.find((x) => x.name === name) ?? THEMES.find((x) => x.name === name);
  if (!g) return name;
  return lang === 'en' && g.title_en ? g.title_en : g.title;
}

export const orgLink = (o: OrgBrief | undefined, lang: Lang): Html => (o ? html`<a href="/organization/${o.slug}">${orgName(o, lang)}</a>` : html``);

/** One search result: title link, organization, formats, access badge, excerpt. */
export function datasetItem(v: CView, d: DatasetFull, headingLevel: 2 | 3 = 3): Html {
  const ds = d.dataset;
  const formats = formatsOf(d);
  const title = html`<a href="/dataset/${ds.name}">${datasetTitle(ds, v.lang)}</a>`;
  return html`<li class="dataset-item">
    ${headingLevel === 2 ? html`<h2 class="dataset-item-title">${title}</h2>` : html`<h3 class="dataset-item-title">${title}</h3>`}
    <p class="dataset-meta">
      ${d.org ? html`<span class="dataset-org">${orgName(d.org, v.lang)}</span>` : ''} ${accessBadge(v, ds.access_level)}
      ${ds.state === 'draft' ? html`<span class="badge">${v.t('stateDraft')}</span>` : ''}
      ${ds.shared_db ? html`<span class="badge badge-shared">${v.t('sharedDbBadge')}</span>` : ''}
    </p>
    ${excerpt(notesText(ds, v.lang)) ? html`<p class="dataset-excerpt">${excerpt(notesText(ds, v.lang))}</p>` : ''}
    <ul class="formats" aria-label="${v.t('format')}">
      ${formats.length ? formats.map((f) => html`<li class="format" data-format="${f}">${f}</li>`) : html`<li class="format format-none">${v.t('noFormat')}</li>`}
    </ul>
  </li>`;
}

export const datasetList = (v: CView, list: DatasetFull[], headingLevel: 2 | 3 = 3): Html =>
  html`<ul class="dataset-list">
    ${list.map((d) => datasetItem(v, d, headingLevel))}
  </ul>`;

const unitCache = new Map<string, { name: string; at: number }>();
const UNIT_TTL_MS = 10 * 60_000;

/** Names of administrative units by code (e.g. "58" → "Tỉnh Ninh Thuận"); unknown codes map to themselves. */
export async function unitNames(db: Db, codes: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await Promise.all(
    [...new Set(codes)].map(async (code) => {
      const hit = unitCache.get(code);
      if (hit && Date.now() - hit.at < UNIT_TTL_MS) return void out.set(code, hit.name);
      const name = await getUnit(db, code).then(
        (u) => u.unit.name,
        () => code,
      );
      unitCache.set(code, { name, at: Date.now() });
      out.set(code, name);
    }),
  );
  return out;
}

export function fileSize(v: CView, bytes: number | null): string {
  if (bytes === null) return '';
  const units = ['B', 'KB', 'MB', 'GB'];
  let n = bytes;
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${num(v, n, { maximumFractionDigits: i === 0 ? 0 : 1 })} ${units[i]}`;
}

/** dd/mm/yyyy (Vietnamese style) for a yyyy-mm-dd date. */
export const viDate = (iso: string | null): string => (iso ? iso.slice(0, 10).split('-').reverse().join('/') : '');
