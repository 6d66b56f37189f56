import type { Db } from '../../../platform/db/index.js';
import { html, type App, type Html } from '../../../platform/http/index.js';
import {
  dataTable,
  errorSummary,
  formatDate,
  formErrorOf,
  input,
  num,
  requireSignedIn,
  sendHtml,
  viewOf,
  type FormError,
  type Values,
} from '../../../platform/web/index.js';
import { searchLog, serviceStats, type LogRow } from '../log/search.js';
import { EXCHANGE_MESSAGES, type ExchangeView } from './messages.js';
import { code, exchangePage } from './parts.js';

const FILTERS = ['client', 'service', 'status', 'from', 'to'] as const;

function logBody(v: ExchangeView, values: Values, items: LogRow[], next: number | null, error: FormError | undefined): Html {
  const P = 'log';
  const q = new URLSearchParams();
  for (const k of FILTERS) if (values[k]) q.set(k, values[k]!);
  const rows = items.map(
    (r) => html`<tr${r.error || r.status >= 500 ? html` class="row-error"` : ''}>
      <td>${formatDate(r.at, v.lang)}</td>
      <td>${code(r.client)}</td>
      <td>${code(r.service)}</td>
      <td><code>${r.method} ${r.path}</code></td>
      <td>${r.status}${r.error ? html` <small>${r.error}</small>` : ''}</td>
      <td>${r.duration_ms === null ? '—' : num(v, Math.round(r.duration_ms * 10) / 10)}</td>
      <td><a href="/api/v1/exchange/log/${encodeURIComponent(r.message_id)}/evidence">${v.t('xrEvidence')}</a></td>
    </tr>`,
  );
  if (next) q.set('before', String(next));
  return html`<h1>${v.t('xrLog')}</h1>
    <p>${v.t('xrLogIntro')}</p>
    ${errorSummary(v, error, P)}
    <form method="get" action="/exchange/log" class="filters">
      ${input({ idPrefix: P, name: 'client', label: v.t('xrClient'), values, error })}
      ${input({ idPrefix: P, name: 'service', label: v.t('xrService'), values, error })}
      ${input({ idPrefix: P, name: 'status', label: v.t('xrStatus'), values, error, hint: v.t('xrStatusHint') })}
      ${input({ idPrefix: P, name: 'from', label: v.t('xrFrom'), values, error })} ${input({ idPrefix: P, name: 'to', label: v.t('xrTo'), values, error })}
      <button type="submit" class="button">${v.t('xrFilter')}</button>
    </form>
    ${
      items.length
        ? dataTable({
            columns: [v.t('xrTime'), v.t('xrClient'), v.t('xrService'), v.t('xrPath'), v.t('xrStatus'), v.t('xrDuration'), v.t('xrEvidence')],
            rows,
            className: 'xr-log',
          })
        : html`<p>${v.t('xrLogEmpty')}</p>`
    }
    ${next ? html`<p><a href="/exchange/log?${q.toString()}" rel="next">${v.t('xrOlder')}</a></p>` : ''}`;
}

/** /exchange/log (search with filters, cursor paging) and /exchange/stats (per service, from the log). */
export function logPages(web: App, { db }: { db: Db }): void {
  web.get<{ Querystring: Record<string, string | undefined> }>('/exchange/log', { schema: { hide: true }, preHandler: requireSignedIn }, async (req, reply) => {
    const v = viewOf(req, EXCHANGE_MESSAGES);
    const values: Values = {};
    for (const k of FILTERS) if (req.query[k]) values[k] = String(req.query[k]).slice(0, 1100);
    const before = Number(req.query.before);
    try {
      const r = await searchLog(db, req.principal, { ...values, ...(Number.isInteger(before) && before > 0 ? { before } : {}) });
      return sendHtml(reply, exchangePage(v, { title: v.t('xrLog'), current: '/exchange/log', body: logBody(v, values, r.items, r.next, undefined) }));
    } catch (e) {
      const { status, error } = formErrorOf(e, v);
      return sendHtml(reply, exchangePage(v, { title: v.t('xrLog'), current: '/exchange/log', body: logBody(v, values, [], null, error) }), status);
    }
  });

  web.get('/exchange/stats', { schema: { hide: true }, preHandler: requireSignedIn }, async (req, reply) => {
    const v = viewOf(req, EXCHANGE_MESSAGES);
    const items = await serviceStats(db, req.principal, 24);
    const ms = (x: number | null) => (x === null ? '—' : num(v, Math.round(x * 10) / 10));
    const rows = items.map(
      (s) =>
        html`<tr>
          <td>${code(s.service)}</td>
          <td>${num(v, s.calls)}</td>
          <td>${num(v, s.errors)}</td>
          <td>${ms(s.p50_ms)}</td>
          <td>${ms(s.p95_ms)}</td>
          <td>${ms(s.p99_ms)}</td>
          <td>${s.last_at ? formatDate(s.last_at, v.lang) : '—'}</td>
        </tr>`,
    );
    const body = html`<h1>${v.t('xrStats')}</h1>
      ${items.length ? dataTable({ columns: [v.t('xrService'), v.t('xrCalls'), v.t('xrErrors'), 'p50 ms', 'p95 ms', 'p99 ms', v.t('xrLast')], rows }) : html`<p>${v.t('xrStatsEmpty')}</p>`}`;
    return sendHtml(reply, exchangePage(v, { title: v.t('xrStats'), current: '/exchange/stats', body }));
  });
}
