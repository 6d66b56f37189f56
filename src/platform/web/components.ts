import { html, type Html } from '../http/index.js';
import type { View } from './view.js';

/** Rows per page of the shell's lists. */
export const ROWS = 20;

/** Previous/next and numbered page links; `hrefFor(page)` builds each link. */
export function pager(v: View, page: number, total: number, hrefFor: (page: number) => string, rows = ROWS): Html {
  const pages = Math.max(1, Math.ceil(total / rows));
  if (pages <= 1) return html``;
  const near = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, pages])].filter((p) => p >= 1 && p <= pages).sort((a, b) => a - b);
  return html`<nav class="pager" aria-label="${v.t('pagination')}">
    <p class="visually-hidden">${v.t('pageOf', { page, pages })}</p>
    <ul>
      ${page > 1 ? html`<li><a href="${hrefFor(page - 1)}" rel="prev">${v.t('pagePrev')}</a></li>` : ''}
      ${near.map((p) => html`<li>${p === page ? html`<a href="${hrefFor(p)}" aria-current="page">${p}</a>` : html`<a href="${hrefFor(p)}">${p}</a>`}</li>`)}
      ${page < pages ? html`<li><a href="${hrefFor(page + 1)}" rel="next">${v.t('pageNext')}</a></li>` : ''}
    </ul>
  </nav>`;
}

/** The page number from `?page=`, 1-based and bounded. */
export function pageOf(q: unknown): number {
  const n = Number(Array.isArray(q) ? q[0] : q);
  return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1;
}

export const dlRow = (label: string, value: Html | string | null | undefined): Html =>
  value !== null && value !== undefined && value !== '' && !(value instanceof Object && 'value' in value && value.value.trim() === '')
    ? html`<div>
        <dt>${label}</dt>
        <dd>${value}</dd>
      </div>`
    : html``;

export function breadcrumb(v: View, items: { href?: string; label: Html | string }[]): Html {
  return html`<nav aria-label="${v.t('breadcrumb')}" class="breadcrumb">
    <ol>
      ${items.map((i) => (i.href ? html`<li><a href="${i.href}">${i.label}</a></li>` : html`<li aria-current="page">${i.label}</li>`))}
    </ol>
  </nav>`;
}

/** A confirmation after a form post (the "saved" notice). */
export const flash = (message: string | null | undefined): Html => (message ? html`<div class="alert alert-success" role="status">${message}</div>` : html``);

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A data table: scrollable on small screens, header cells scoped to their column, an optional caption (visually hidden when `hideCaption`). */
export function dataTable(o: { columns: string[]; rows: Html | Html[]; className?: string; caption?: string; hideCaption?: boolean }): Html {
  const caption = o.caption ? html`<caption${o.hideCaption ? html` class="visually-hidden"` : ''}>${o.caption}</caption>` : '';
  return html`<div class="table-wrap">
    <table${o.className ? html` class="${o.className}"` : ''}>
      ${caption}
      <thead>
        <tr>
          ${o.columns.map((c) => html`<th scope="col">${c}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${o.rows}
      </tbody>
    </table>
  </div>`;
}
