import type { Db } from '../../../platform/db/index.js';
import { html, isAppError, type App, type Html } from '../../../platform/http/index.js';
import type { ModuleContext } from '../../../platform/module.js';
import { breadcrumb, dataTable, layout, num, sendHtml, viewOf } from '../../../platform/web/index.js';
import { getResource } from '../../catalog/index.js';
import { geometryOf } from '../export.js';
import type { Aggregate, Filter } from '../query.js';
import { readableTable } from '../service.js';
import { DATASTORE_MESSAGES } from './messages.js';
import { chartSvg } from '../../../platform/web/index.js';
import { forecastChoice, forecastForm, forecastPart } from './forecast-part.js';
import type { DsView } from './messages.js';

const PAGE_ROWS = 50;
const MAX_GROUPS = 200;
/** Above this many rows the map is not drawn (every feature is sent to the browser). */
const MAP_MAX_ROWS = 20_000;
const KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(:[0-9]{1,3})?$/i;
const FILTER = /^(.+?):(eq|gte|lte):(.*)$/s;
const AGGS = ['count', 'sum', 'avg', 'min', 'max'] as const;

/** The page's state, as query parameters: the same filters, text and sort as the native API, plus the chart's choices. */
interface DataView {
  filters: string[];
  q: string;
  sort: string;
  offset: number;
  chart: { kind: 'bar' | 'line'; x: string; agg: Aggregate['fn']; y: string } | null;
}

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

function viewState(query: Record<string, unknown>): DataView {
  const filters = list(query.filter)
    .filter((f) => FILTER.test(f))
    .slice(0, 20);
  const nf = String(query.nf ?? '');
  const nv = String(query.nv ?? '');
  if (nf && nv.trim()) filters.push(`${nf}:${['eq', 'gte', 'lte'].includes(String(query.nop)) ? String(query.nop) : 'eq'}:${nv.trim()}`);
  const agg = AGGS.find((a) => a === query.agg) ?? 'count';
  const x = String(query.x ?? '');
  return {
    filters,
    q: String(query.q ?? '').slice(0, 500),
    sort: String(query.sort ?? '').slice(0, 200),
    offset: Math.max(0, Math.min(1_000_000_000, Number(query.offset) || 0)),
    chart: x ? { kind: query.chart === 'line' ? 'line' : 'bar', x, agg, y: String(query.y ?? '') } : null,
  };
}

/** The URL of the page in a state (empty parts left out). */
function urlOf(key: string, s: DataView, patch: Partial<DataView> = {}): string {
  const n = { ...s, ...patch };
  const p = new URLSearchParams();
  for (const f of n.filters) p.append('filter', f);
  if (n.q) p.set('q', n.q);
  if (n.sort) p.set('sort', n.sort);
  if (n.offset) p.set('offset', String(n.offset));
  if (n.chart) {
    p.set('chart', n.chart.kind);
    p.set('x', n.chart.x);
    p.set('agg', n.chart.agg);
    if (n.chart.y) p.set('y', n.chart.y);
  }
  const q = p.toString();
  return `/datastore/${key}${q ? `?${q}` : ''}`;
}

const toFilter = (s: string): Filter => {
  const m = FILTER.exec(s)!;
  return { field: m[1]!, op: m[2] === 'eq' ? 'in' : (m[2] as Filter['op']), values: [m[3]!] };
};

const cell = (v: unknown): string =>
  v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);

/**
 * A resource's data page: the table with filters, text search, sorting and pages; a chart builder
 * (bar or line of a count or an aggregate over a column, grouped); a map of its points or GeoJSON
 * geometry (no online tiles); downloads; and the API calls that give the same rows and groups.
 * Every read goes through readableTable, so row-level sharing holds here as on every path.
 */
export async function dataPages(app: App, ctx: ModuleContext): Promise<void> {
  const { db } = ctx;
  app.get<{ Params: { key: string } }>('/datastore/:key', { schema: { hide: true } }, async (req, reply) => {
    const key = req.params.key;
    if (!KEY.test(key)) return reply.callNotFound();
    const v = viewOf(req, DATASTORE_MESSAGES);
    const { table, queries } = await readableTable(db, req.principal, key);
    const { resource, full } = await getResource(db, req.principal, table.resource_id);
    const s = viewState(req.query as Record<string, unknown>);
    const fc = forecastChoice(req.query as Record<string, unknown>);
    const title = v.t('dpTitle', { name: resource.name ?? resource.url });
    const fields = table.fields;
    let problem: string | null = null;
    let rows: Record<string, unknown>[] = [];
    let total = 0;
    let chart: Html = html``;
    const sort = s.sort ? [{ field: s.sort.replace(/^-/, ''), desc: s.sort.startsWith('-') }] : [];
    try {
      const r = await queries.search(db, {
        filters: s.filters.map(toFilter),
        ...(s.q ? { q: s.q } : {}),
        sort,
        limit: PAGE_ROWS,
        offset: s.offset,
        includeTotal: true,
      });
      rows = r.records;
      total = r.total ?? rows.length;
      if (s.chart) chart = await chartPart(v, db, key, s, queries, fields);
    } catch (e) {
      if (!isAppError(e) || e.status >= 500) throw e;
      problem = v.msg(e.msg, e.params);
    }
    const apiParams = new URLSearchParams();
    for (const f of s.filters) apiParams.append('filter', f);
    if (s.q) apiParams.set('q', s.q);
    if (s.sort) apiParams.set('sort', s.sort);
    apiParams.set('limit', String(PAGE_ROWS));
    const api = `/api/v1/datastore/${key}?${apiParams.toString()}`;
    const geo = geometryOf(fields);
    const body = html`${breadcrumb(v, [{ href: `/dataset/${full.dataset.name}`, label: full.dataset.title }, { label: title }])}
      <h1>${title}</h1>
      ${problem ? html`<div class="alert alert-error" role="alert">${problem}</div>` : ''} ${filterForm(v, key, s, fields)}
      <p class="dp-count" role="status">${v.t('dpMatches', { n: num(v, total) })}</p>
      ${tableWithSort(v, key, s, fields, rows)}
      <nav class="pager" aria-label="${v.t('dpNext')}">
        ${s.offset > 0 ? html`<a href="${urlOf(key, s, { offset: Math.max(0, s.offset - PAGE_ROWS) })}" rel="prev">${v.t('dpPrev')}</a>` : ''}
        ${s.offset + PAGE_ROWS < total ? html`<a href="${urlOf(key, s, { offset: s.offset + PAGE_ROWS })}" rel="next">${v.t('dpNext')}</a>` : ''}
      </nav>
      <p>
        ${v.t('dsApiCall')}: <code><a href="${api}">${api}</a></code>
      </p>
      ${chartForm(v, key, s, fields)} ${chart} ${forecastForm(v, key, fields, fc)} ${fc ? await forecastPart(v, db, req, key, fields, fc) : ''}
      ${
        geo
          ? html`<section class="dp-map-section">
              <h2>${v.t('dpMap')}</h2>
              ${
                table.row_count <= MAP_MAX_ROWS
                  ? html`<div id="dp-map" class="dp-map" data-map="/api/v1/datastore/${key}/export.geojson" aria-label="${v.t('dpMap')}"></div>
                      <p class="hint">${v.t('dpMapNote', { n: num(v, table.row_count) })}</p>`
                  : ''
              }
            </section>`
          : ''
      }
      <p class="ds-downloads">
        ${v.t('dsDownload')}:
        ${(['csv', 'xlsx', 'json', ...(geo ? ['geojson'] : [])] as const).map((f) => html`<a class="button" href="/api/v1/datastore/${key}/export.${f}" download>${f.toUpperCase()}</a> `)}
      </p>`;
    return sendHtml(reply, layout(v, { title, body, description: `${title} — ${v.t('dsRows', { n: num(v, table.row_count), f: fields.length })}` }));
  });
}

type Fields = Awaited<ReturnType<typeof readableTable>>['table']['fields'];

function tableWithSort(v: DsView, key: string, s: DataView, fields: Fields, rows: Record<string, unknown>[]): Html {
  return html`<div class="table-wrap">
    <table class="ds-preview dp-table">
      <thead>
        <tr>
          ${fields.map((f) => {
            const asc = s.sort === f.id;
            const desc = s.sort === `-${f.id}`;
            const next = asc ? `-${f.id}` : f.id;
            return html`<th scope="col" ${asc ? html` aria-sort="ascending"` : desc ? html` aria-sort="descending"` : ''}>
              <a href="${urlOf(key, s, { sort: next, offset: 0 })}" title="${v.t(asc ? 'dpSortDesc' : 'dpSortAsc', { f: f.title })}"
                >${f.title}${asc ? ' ▲' : desc ? ' ▼' : ''}</a
              >
            </th>`;
          })}
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (r) =>
            html`<tr>
              ${fields.map((f) => html`<td>${cell(r[f.id])}</td>`)}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function filterForm(v: DsView, key: string, s: DataView, fields: Fields): Html {
  return html`<form method="get" action="/datastore/${key}" class="dp-filters" role="search">
    ${s.filters.map((f) => html`<input type="hidden" name="filter" value="${f}" />`)}
    ${s.sort ? html`<input type="hidden" name="sort" value="${s.sort}" />` : ''}
    <div class="field">
      <label for="dp-q">${v.t('dpSearch')}</label>
      <input id="dp-q" name="q" type="search" value="${s.q}" />
    </div>
    <div class="field">
      <label for="dp-nf">${v.t('dpColumn')}</label>
      <select id="dp-nf" name="nf">
        <option value=""></option>
        ${fields.filter((f) => f.pgType !== 'jsonb').map((f) => html`<option value="${f.id}">${f.title}</option>`)}
      </select>
    </div>
    <div class="field">
      <label for="dp-nop">${v.t('dpOp')}</label>
      <select id="dp-nop" name="nop">
        <option value="eq">${v.t('dpOpEq')}</option>
        <option value="gte">${v.t('dpOpGte')}</option>
        <option value="lte">${v.t('dpOpLte')}</option>
      </select>
    </div>
    <div class="field">
      <label for="dp-nv">${v.t('dsValue')}</label>
      <input id="dp-nv" name="nv" />
    </div>
    <button type="submit" class="button button-primary">${v.t('dpApply')}</button>
    ${s.filters.length || s.q ? html`<a href="/datastore/${key}">${v.t('dpClear')}</a>` : ''}
    ${
      s.filters.length
        ? html`<ul class="dp-chips">
            ${s.filters.map((f) => html`<li>${f.replace(/:(eq|gte|lte):/, (_m, op: string) => ` ${op === 'eq' ? '=' : op === 'gte' ? '≥' : '≤'} `)} <a href="${urlOf(key, s, { filters: s.filters.filter((x) => x !== f), offset: 0 })}" aria-label="${v.t('dpClear')}: ${f}">×</a></li>`)}
          </ul>`
        : ''
    }
  </form>`;
}

function chartForm(v: DsView, key: string, s: DataView, fields: Fields): Html {
  const numeric = fields.filter((f) => f.pgType === 'numeric' || f.pgType === 'bigint');
  const opt = (value: string, label: string, current: string | undefined) =>
    html`<option value="${value}" ${value === current ? html` selected` : ''}>${label}</option>`;
  return html`<form method="get" action="/datastore/${key}" class="dp-chart-form">
    <h2>${v.t('dpChart')}</h2>
    ${s.filters.map((f) => html`<input type="hidden" name="filter" value="${f}" />`)} ${s.q ? html`<input type="hidden" name="q" value="${s.q}" />` : ''}
    <div class="field">
      <label for="dp-chart">${v.t('dpChartType')}</label>
      <select id="dp-chart" name="chart">
        ${opt('bar', v.t('dpBar'), s.chart?.kind)}${opt('line', v.t('dpLine'), s.chart?.kind)}
      </select>
    </div>
    <div class="field">
      <label for="dp-x">${v.t('dpGroupBy')}</label>
      <select id="dp-x" name="x">
        ${fields.filter((f) => f.pgType !== 'jsonb').map((f) => opt(f.id, f.title, s.chart?.x))}
      </select>
    </div>
    <div class="field">
      <label for="dp-agg">${v.t('dpValue')}</label>
      <select id="dp-agg" name="agg">
        ${AGGS.map((a) => opt(a, a === 'count' ? v.t('dpCount') : a, s.chart?.agg))}
      </select>
      <label for="dp-y" class="visually-hidden">${v.t('dpColumn')}</label>
      <select id="dp-y" name="y">
        <option value=""></option>
        ${numeric.map((f) => opt(f.id, f.title, s.chart?.y))}
      </select>
    </div>
    <button type="submit" class="button">${v.t('dpDraw')}</button>
  </form>`;
}

async function chartPart(
  v: DsView,
  db: Db,
  key: string,
  s: DataView,
  queries: Awaited<ReturnType<typeof readableTable>>['queries'],
  fields: Fields,
): Promise<Html> {
  const c = s.chart!;
  const agg: Aggregate = c.agg === 'count' || !c.y ? { fn: 'count' } : { fn: c.agg, field: c.y };
  const filters = s.filters.map(toFilter);
  const groups = await queries.aggregate(db, { filters, ...(s.q ? { q: s.q } : {}) }, [c.x], [agg], MAX_GROUPS + 1);
  const valueKey = agg.field ? `${agg.fn}_${agg.field}` : 'count';
  const points = groups.slice(0, MAX_GROUPS).map((g) => ({ label: cell(g[c.x]), value: Number(g[valueKey] ?? 0) }));
  const xTitle = fields.find((f) => f.id === c.x)?.title ?? c.x;
  const aggTitle = agg.field ? `${agg.fn}(${fields.find((f) => f.id === agg.field)?.title ?? agg.field})` : v.t('dpCount');
  const caption = v.t('dpChartCaption', { agg: aggTitle, x: xTitle });
  const p = new URLSearchParams();
  for (const f of s.filters) p.append('filter', f);
  if (s.q) p.set('q', s.q);
  p.set('group_by', c.x);
  p.set('agg', agg.field ? `${agg.fn}:${agg.field}` : 'count');
  p.set('limit', String(MAX_GROUPS));
  const api = `/api/v1/datastore/${key}?${p.toString()}`;
  const fmt = (n: number) => num(v, Math.round(n * 100) / 100);
  return html`<figure class="dp-chart">
    ${points.length ? chartSvg(points, { kind: c.kind, title: caption, format: fmt }) : html`<p>${v.t('dpChartEmpty')}</p>`}
    <figcaption>${caption}${groups.length > MAX_GROUPS ? html` — ${v.t('dpChartMore', { n: MAX_GROUPS })}` : ''}</figcaption>
    <details>
      <summary>${v.t('dsFirstRows', { n: points.length })}</summary>
      ${dataTable({
        columns: [xTitle, aggTitle],
        rows: points.map(
          (pt) =>
            html`<tr>
              <td>${pt.label}</td>
              <td>${fmt(pt.value)}</td>
            </tr>`,
        ),
      })}
    </details>
    <p>
      ${v.t('dsApiCall')}: <code><a href="${api}">${api}</a></code>
    </p>
  </figure>`;
}
