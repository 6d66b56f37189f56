import { THEMES } from '../themes.js';
import { viewerOf, type Viewer } from '../access.js';
import { type DatasetFull } from '../full.js';
import { type FacetItem } from '../search/index.js';
import type { FastifyRequest } from 'fastify';
import {
  isOrgKind as isKind,
  kindLabel,
  listOrganizations,
  orgHref,
  orgName,
  orgNameText,
  ORG_PAGE_SECTIONS,
  ORG_TREE_BADGES,
  type Organization,
} from '../../organizations/index.js';
import type { Db } from '../../../platform/db/index.js';
import { html, notFound, type App, type Html } from '../../../platform/http/index.js';
import { datasetList, licenseTitle, themeTitle, unitNames } from './components.js';
import { findDatasets, fqTerm, type Found } from './search.js';
import {
  dataTable,
  breadcrumb,
  fill,
  layout,
  num,
  pageOf,
  pager,
  ROWS,
  sendHtml,
  viewOf,
  type HomeWidget,
  type SlotFill,
} from '../../../platform/web/index.js';
import { CATALOG_MESSAGES, type CView, type CatalogKey } from './messages.js';
import { accessLabel, datasetCount, FACET_LABELS, frequencyLabel, isAccessLevel, methodLabel, type Facet } from './labels.js';
import { sharedDatabases } from '../shared-dbs.js';

/** The facets of /dataset, in display order; access_level only for signed-in readers. */
const FACETS: readonly Facet[] = ['groups', 'organization', 'tags', 'res_format', 'license_id', 'access_level', 'spatial_codes', 'shared_db'];

export const SORTS: { value: string; label: CatalogKey }[] = [
  { value: 'score desc, metadata_modified desc', label: 'sortRelevance' },
  { value: 'metadata_modified desc', label: 'sortModified' },
  { value: 'metadata_created desc', label: 'sortCreated' },
  { value: 'views_recent desc', label: 'sortViews' },
  { value: 'title_string asc', label: 'sortTitleAsc' },
  { value: 'title_string desc', label: 'sortTitleDesc' },
];

type Query = Record<string, string | string[] | undefined>;
const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter(Boolean));
const one = (v: string | string[] | undefined): string => list(v)[0] ?? '';

/** Signed-in readers search everything they may read; anonymous ones public datasets only. */
const readScope = (viewer: Viewer) => ({ includePrivate: viewer.userId !== null, includeDrafts: false });

function hrefWith(base: string, params: [string, string][]): string {
  const qs = new URLSearchParams(params).toString();
  return qs ? `${base}?${qs}` : base;
}

interface Labels {
  orgs: Map<string, Organization>;
  units: Map<string, string>;
}

function facetLabel(v: CView, facet: Facet, name: string, labels: Labels): Html | string {
  switch (facet) {
    case 'organization': {
      const o = labels.orgs.get(name);
      return o ? orgName(o, v.lang) : name;
    }
    case 'groups':
      return themeTitle(name, v.lang);
    case 'license_id':
      return licenseTitle(name);
    case 'access_level':
      return isAccessLevel(name) ? accessLabel(v, name) : name;
    case 'spatial_codes':
      return labels.units.get(name) ?? name;
    case 'shared_db':
      return name === 'true' ? v.t('yes') : v.t('no');
    default:
      return name;
  }
}

async function labelsFor(db: Db, facets: Record<string, FacetItem[]>, selected: Record<string, string[]>): Promise<Labels> {
  const codes = [...(facets.spatial_codes ?? []).map((f) => f.name), ...(selected.spatial_codes ?? [])];
  const [orgs, units] = await Promise.all([listOrganizations(db), unitNames(db, codes)]);
  return { orgs: new Map(orgs.map((o) => [o.slug, o])), units };
}

function facetBlock(v: CView, facet: Facet, items: FacetItem[], selected: string[], labels: Labels): Html {
  const shown = [...items];
  for (const s of selected) if (!shown.some((i) => i.name === s)) shown.push({ name: s, count: 0 });
  if (shown.length === 0) return html``;
  return html`<fieldset class="facet" data-facet="${facet}">
    <legend>${v.msg(FACET_LABELS[facet])}</legend>
    <ul>
      ${shown.map((item, i) => {
        const id = `f-${facet}-${i}`;
        return html`<li class="field-check">
          <input type="checkbox" id="${id}" name="${facet}" value="${item.name}" ${selected.includes(item.name) ? html` checked` : ''} />
          <label for="${id}">${facetLabel(v, facet, item.name, labels)} <span class="count">(${num(v, item.count)})</span></label>
        </li>`;
      })}
    </ul>
  </fieldset>`;
}

export function searchBox(v: CView, q: string, idPrefix = 'ds'): Html {
  return html`<div class="search-row">
    <label for="${idPrefix}-q" class="search-label">${v.t('searchLabel')}</label>
    <div class="search-inputs">
      <input type="search" id="${idPrefix}-q" name="q" value="${q}" placeholder="${v.t('searchPlaceholder')}" autocomplete="off" />
      <button type="submit" class="button">${v.t('searchButton')}</button>
    </div>
  </div>`;
}

async function searchPage(db: Db, req: { query: unknown; principal: Parameters<typeof viewerOf>[1] }, v: CView): Promise<Html> {
  const query = (req.query ?? {}) as Query;
  const viewer = await viewerOf(db, req.principal);
  const q = one(query.q);
  const sort = SORTS.some((s) => s.value === one(query.sort)) ? one(query.sort) : SORTS[0]!.value;
  const page = pageOf(query.page);
  const facets = FACETS.filter((f) => f !== 'access_level' || viewer.userId);
  const selected: Record<string, string[]> = Object.fromEntries(facets.map((f) => [f, list(query[f])]));
  const fq = facets.flatMap((f) => selected[f]!.map((value) => fqTerm(f, value)));
  const { result, datasets } = await findDatasets(db, viewer, {
    q,
    fq,
    sort,
    rows: ROWS,
    start: (page - 1) * ROWS,
    facetFields: [...facets],
    facetLimit: 15,
    ...readScope(viewer),
  });
  const labels = await labelsFor(db, result.facets, selected);
  const params: [string, string][] = [
    ...(q ? [['q', q] as [string, string]] : []),
    ...facets.flatMap((f) => selected[f]!.map((val) => [f, val] as [string, string])),
  ];
  if (sort !== SORTS[0]!.value) params.push(['sort', sort]);
  const pageHref = (p: number) => hrefWith('/dataset', p > 1 ? [...params, ['page', String(p)]] : params);
  const active = facets.flatMap((f) => selected[f]!.map((val) => ({ f, val })));
  const heading = q ? v.t('searchResultsFor', { n: num(v, result.count), q }) : v.t('searchResults', { n: num(v, result.count) });
  const body = html`<h1>${v.t('datasetsTitle')}</h1>
    <p class="lead">${v.t('datasetsIntro')}</p>
    <form method="get" action="/dataset" class="dataset-search" id="dataset-search">
      <div role="search">${searchBox(v, q)}</div>
      <div class="search-layout">
        <aside class="facets" aria-labelledby="facets-h">
          <h2 id="facets-h">${v.t('filters')}</h2>
          ${facets.map((f) => facetBlock(v, f, result.facets[f] ?? [], selected[f]!, labels))}
          <button type="submit" class="button">${v.t('applyFilters')}</button>
        </aside>
        <section class="results" aria-labelledby="results-h">
          <div class="results-head">
            <h2 id="results-h" aria-live="polite">${heading}</h2>
            <div class="field sort-field">
              <label for="ds-sort">${v.t('sortBy')}</label>
              <select id="ds-sort" name="sort">
                ${SORTS.map((s) => html`<option value="${s.value}" ${s.value === sort ? html` selected` : ''}>${v.t(s.label)}</option>`)}
              </select>
              <button type="submit" class="button button-small">${v.t('applyFilters')}</button>
            </div>
          </div>
          ${
            active.length
              ? html`<div class="active-filters">
                  <span>${v.t('activeFilters')}:</span>
                  <ul>
                    ${active.map(({ f, val }) => {
                      const rest = params.filter(([k, x]) => !(k === f && x === val));
                      const label = facetLabel(v, f, val, labels);
                      return html`<li>
                        <a class="chip" href="${hrefWith('/dataset', rest)}"
                          ><span class="visually-hidden">${v.t('removeFilter')} </span>${v.msg(FACET_LABELS[f])}: ${label} <span aria-hidden="true">×</span></a
                        >
                      </li>`;
                    })}
                    <li><a href="${hrefWith('/dataset', q ? [['q', q]] : [])}">${v.t('clearFilters')}</a></li>
                  </ul>
                </div>`
              : ''
          }
          ${datasets.length ? datasetList(v, datasets) : html`<p>${v.t('searchNone')}</p>`} ${pager(v, page, result.count, pageHref)}
        </section>
      </div>
    </form>`;
  return layout(v, {
    title: q ? `${q} · ${v.t('datasetsTitle')}` : v.t('datasetsTitle'),
    description: v.t('datasetsIntro'),
    body,
    noindex: params.length > 1 || page > 1,
  });
}

const PUBLIC: Viewer = { userId: null, label: null, isSysadmin: false, orgIds: [], orgKinds: [], editorOf: [] };

/** The home page's catalogue figures and themes come from one facet query per request. */
const overviews = new WeakMap<FastifyRequest, Promise<Found>>();
const overviewOf = (db: Db, req: FastifyRequest): Promise<Found> => {
  let o = overviews.get(req);
  if (!o) overviews.set(req, (o = findDatasets(db, PUBLIC, { rows: 0, facetFields: ['groups', 'organization', 'res_format'], facetLimit: -1 })));
  return o;
};

/** Home page blocks: the search box, themes with counts, totals, newest and most viewed (public only). */
export function catalogHomeWidgets(db: Db): HomeWidget[] {
  return [
    {
      kind: 'hero',
      order: 10,
      render: async (_shell, req) => {
        const v = viewOf(req, CATALOG_MESSAGES);
        return html`<form method="get" action="/dataset" class="home-search" role="search" aria-labelledby="home-search-h">
          <h2 id="home-search-h" class="visually-hidden">${v.t('homeSearchTitle')}</h2>
          ${searchBox(v, '', 'home')}
        </form>`;
      },
    },
    {
      kind: 'section',
      order: 10,
      render: async (_shell, req) => {
        const v = viewOf(req, CATALOG_MESSAGES);
        const overview = await overviewOf(db, req);
        const counts = new Map((overview.result.facets.groups ?? []).map((f) => [f.name, f.count]));
        return html`<section aria-labelledby="themes-h">
          <h2 id="themes-h">${v.t('homeThemes')}</h2>
          <ul class="theme-tiles">
            ${THEMES.map(
              (t) =>
                html`<li class="theme-tile" data-theme="${t.name}">
                  <a href="/group/${t.name}"
                    ><span class="theme-title">${themeTitle(t.name, v.lang)}</span> <span class="count">${datasetCount(v, counts.get(t.name) ?? 0)}</span></a
                  >
                </li>`,
            )}
          </ul>
        </section>`;
      },
    },
    {
      kind: 'stats',
      order: 10,
      stats: async (_v, req) => {
        const { result } = await overviewOf(db, req);
        return [
          { id: 'datasets', value: result.count, label: CATALOG_MESSAGES.statDatasets, href: '/dataset' },
          { id: 'publishers', value: (result.facets.organization ?? []).length, label: CATALOG_MESSAGES.statPublishers, href: '/organization' },
          { id: 'formats', value: (result.facets.res_format ?? []).length, label: CATALOG_MESSAGES.statFormats },
        ];
      },
    },
    {
      kind: 'section',
      order: 60,
      render: async (_shell, req) => {
        const v = viewOf(req, CATALOG_MESSAGES);
        const [newest, viewed] = await Promise.all([
          findDatasets(db, PUBLIC, { rows: 5, sort: 'metadata_created desc' }),
          findDatasets(db, PUBLIC, { rows: 5, sort: 'views_recent desc' }),
        ]);
        const short = (items: DatasetFull[], id: string, title: string) =>
          html`<section aria-labelledby="${id}" class="home-list">
            <h2 id="${id}">${title}</h2>
            ${items.length ? datasetList(v, items) : html`<p>${v.t('searchNone')}</p>`}
          </section>`;
        return html`<div class="home-lists">
            ${short(newest.datasets, 'newest-h', v.t('homeNewest'))} ${short(viewed.datasets, 'viewed-h', v.t('homeMostViewed'))}
          </div>
          <p><a href="/dataset">${v.t('allDatasets')}</a></p>`;
      },
    },
  ];
}

async function orgCounts(db: Db, viewer: Viewer): Promise<Map<string, number>> {
  const { result } = await findDatasets(db, viewer, { rows: 0, facetFields: ['organization'], facetLimit: -1, ...readScope(viewer) });
  return new Map((result.facets.organization ?? []).map((f) => [f.name, f.count]));
}

/** What the catalog adds to the organization pages: dataset counts in the tree, the datasets on each page. */
export function catalogOrgFills(db: Db): SlotFill[] {
  return [
    fill(ORG_TREE_BADGES, 10, async (_shell, req) => {
      const v = viewOf(req, CATALOG_MESSAGES);
      const counts = await orgCounts(db, await viewerOf(db, req.principal));
      return new Map([...counts].map(([slug, n]) => [slug, html` <span class="count" data-count="${n}">${datasetCount(v, n)}</span>`]));
    }),
    fill(ORG_PAGE_SECTIONS, 10, async (_shell, req, { org, query }) => {
      const v = viewOf(req, CATALOG_MESSAGES);
      const viewer = await viewerOf(db, req.principal);
      const page = pageOf(query.page);
      const { result, datasets } = await findDatasets(db, viewer, {
        fq: [fqTerm('organization', org.slug)],
        sort: 'title_string asc',
        rows: ROWS,
        start: (page - 1) * ROWS,
        ...readScope(viewer),
      });
      const href = orgHref(org.slug);
      return html`<section aria-labelledby="org-ds-h">
        <h2 id="org-ds-h">${v.t('orgDatasets')} <span class="count">(${num(v, result.count)})</span></h2>
        ${datasets.length ? datasetList(v, datasets) : html`<p>${v.t('searchNone')}</p>`}
        ${pager(v, page, result.count, (p) => (p > 1 ? `${href}?page=${p}` : href))}
      </section>`;
    }),
  ];
}

export async function browsePages(app: App, { db }: { db: Db }): Promise<void> {
  app.get('/dataset', { schema: { hide: true } }, async (req, reply) => {
    const v = viewOf(req, CATALOG_MESSAGES);
    return sendHtml(reply, await searchPage(db, req, v));
  });

  app.get('/group', { schema: { hide: true } }, async (req, reply) => {
    const v = viewOf(req, CATALOG_MESSAGES);
    const viewer = await viewerOf(db, req.principal);
    const { result } = await findDatasets(db, viewer, { rows: 0, facetFields: ['groups'], facetLimit: -1, ...readScope(viewer) });
    const counts = new Map((result.facets.groups ?? []).map((f) => [f.name, f.count]));
    const others = [...counts.keys()].filter((n) => !THEMES.some((t) => t.name === n));
    const body = html`<h1>${v.t('groupListTitle')}</h1>
      <p class="lead">${v.t('groupListIntro')}</p>
      <ul class="theme-tiles">
        ${[...THEMES.map((t) => t.name), ...others].map(
          (name) =>
            html`<li class="theme-tile" data-theme="${name}">
              <a href="/group/${name}"
                ><span class="theme-title">${themeTitle(name, v.lang)}</span> <span class="count">${datasetCount(v, counts.get(name) ?? 0)}</span></a
              >
            </li>`,
        )}
      </ul>`;
    return sendHtml(reply, layout(v, { title: v.t('groupListTitle'), description: v.t('groupListIntro'), body }));
  });

  app.get<{ Params: { name: string }; Querystring: { page?: string } }>('/group/:name', { schema: { hide: true } }, async (req, reply) => {
    const v = viewOf(req, CATALOG_MESSAGES);
    const viewer = await viewerOf(db, req.principal);
    const page = pageOf(req.query.page);
    const name = req.params.name;
    const { result, datasets } = await findDatasets(db, viewer, {
      fq: [fqTerm('groups', name)],
      sort: 'title_string asc',
      rows: ROWS,
      start: (page - 1) * ROWS,
      ...readScope(viewer),
    });
    const theme = THEMES.find((t) => t.name === name);
    const group = theme ?? datasets.flatMap((d) => d.groups).find((g) => g.name === name);
    if (!group) throw notFound('group_not_found', { vi: 'Không tìm thấy chủ đề.', en: 'Theme not found.' }, 'name');
    const title = v.lang === 'en' && group.title_en ? group.title_en : group.title;
    const body = html`${breadcrumb(v, [{ href: '/group', label: v.t('groupListTitle') }, { label: title }])}
      <h1>${title}</h1>
      ${v.lang === 'vi' && group.title_en ? html`<p class="lead" lang="en">${group.title_en}</p>` : ''}
      <section aria-labelledby="group-ds-h">
        <h2 id="group-ds-h">${v.t('groupDatasets')} <span class="count">(${num(v, result.count)})</span></h2>
        ${datasets.length ? datasetList(v, datasets) : html`<p>${v.t('searchNone')}</p>`}
        ${pager(v, page, result.count, (p) => (p > 1 ? `/group/${name}?page=${p}` : `/group/${name}`))}
      </section>`;
    return sendHtml(reply, layout(v, { title, body }));
  });

  app.get<{ Querystring: { managing?: string; page?: string } }>('/shared-databases', { schema: { hide: true } }, async (req, reply) => {
    const v = viewOf(req, CATALOG_MESSAGES);
    const viewer = await viewerOf(db, req.principal);
    const orgs = await listOrganizations(db);
    const byId = new Map(orgs.map((o) => [o.id, o]));
    const filterOrg = req.query.managing ? orgs.find((o) => o.slug === req.query.managing) : undefined;
    const page = pageOf(req.query.page);
    const found = await sharedDatabases(db, viewer, { managingOrgId: filterOrg?.id, limit: ROWS, offset: (page - 1) * ROWS });
    const managing = found.managingOrgIds
      .map((id) => byId.get(id))
      .filter((o): o is NonNullable<typeof o> => !!o)
      .sort((a, b) => a.name.localeCompare(b.name, 'vi'));
    const pageRows = found.datasets;
    const units = (s: NonNullable<DatasetFull['dataset']['shared_db']>) =>
      [
        ...s.allowedOrgIds
          .map((id) => byId.get(id))
          .filter((o): o is NonNullable<typeof o> => !!o)
          .map((o) => orgNameText(o, v.lang)),
        ...s.allowedKinds.map((k) => (isKind(k) ? kindLabel(v, k) : k)),
      ].join('; ') || v.t('none');
    const body = html`<h1>${v.t('sharedDbTitle')}</h1>
      <p class="lead">${v.t('sharedDbIntro')}</p>
      <form method="get" action="/shared-databases" class="filter-form">
        <div class="field">
          <label for="sdb-managing">${v.t('sharedDbFilter')}</label>
          <select id="sdb-managing" name="managing">
            <option value="">${v.t('sharedDbAll')}</option>
            ${managing.map((o) => html`<option value="${o.slug}" ${filterOrg?.id === o.id ? html` selected` : ''}>${orgNameText(o, v.lang)}</option>`)}
          </select>
        </div>
        <button type="submit" class="button">${v.t('applyFilters')}</button>
      </form>
      ${
        pageRows.length
          ? html`${dataTable({
              className: 'shared-dbs',
              columns: [
                v.t('fieldTitle'),
                v.t('sharedDbManaging'),
                v.t('sharedDbLegal'),
                v.t('sharedDbOwner'),
                v.t('fieldFrequency'),
                v.t('sharedDbMethods'),
                v.t('sharedDbAllowed'),
              ],
              rows: pageRows.map((d) => {
                const s = d.dataset.shared_db!;
                const m = byId.get(s.managingOrgId);
                return html`<tr>
                  <th scope="row"><a href="/dataset/${d.dataset.name}">${d.dataset.title}</a></th>
                  <td>${m ? html`<a href="/organization/${m.slug}">${orgName(m, v.lang)}</a>` : ''}</td>
                  <td>${s.legalBasis}</td>
                  <td>${s.dataOwner}</td>
                  <td>${frequencyLabel(v, s.updateFrequency ?? d.dataset.update_frequency) ?? ''}</td>
                  <td>${s.sharingMethods.map((x) => methodLabel(v, x)).join(', ')}</td>
                  <td>${units(s)}</td>
                </tr>`;
              }),
              caption: v.t('sharedDbTitle'),
              hideCaption: true,
            })}`
          : html`<p>${v.t('sharedDbNone')}</p>`
      }
      ${pager(v, page, found.total, (p) => hrefWith('/shared-databases', [...(filterOrg ? [['managing', filterOrg.slug] as [string, string]] : []), ...(p > 1 ? [['page', String(p)] as [string, string]] : [])]))}`;
    return sendHtml(reply, layout(v, { title: v.t('sharedDbTitle'), description: v.t('sharedDbIntro'), body }));
  });
}
