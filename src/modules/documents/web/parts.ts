import { html, type Html } from '../../../platform/http/index.js';
import { breadcrumb, dataTable, flash, layout } from '../../../platform/web/index.js';
import { PRIORITIES, STATUS } from '../codes.js';
import type { DocumentSummary } from '../queries.js';
import type { DeliveryState } from '../tables.js';
import type { DocumentsView } from './messages.js';

export const numberOf = (d: { code_number: string; code_notation: string }): string =>
  d.code_notation ? `${d.code_number}/${d.code_notation}` : d.code_number;

/** yyyy-mm-dd as dd/mm/yyyy. */
export const dmy = (iso: string | null): string => (iso ? iso.split('-').reverse().join('/') : '');

export const statusText = (v: DocumentsView, code: string | null): string => (code && STATUS[code] ? `${code} · ${v.msg(STATUS[code])}` : v.t('dcNoneYet'));

const STATE_KEYS: Record<DeliveryState, 'dcStateDelivered' | 'dcStatePending' | 'dcStateRefused' | 'dcStateDead' | 'dcStateCancelled'> = {
  delivered: 'dcStateDelivered',
  pending: 'dcStatePending',
  refused: 'dcStateRefused',
  dead: 'dcStateDead',
  cancelled: 'dcStateCancelled',
};
export const stateText = (v: DocumentsView, s: DeliveryState): string => v.t(STATE_KEYS[s]);

/** A documents page: breadcrumb, notice, body. */
export function documentsPage(
  v: DocumentsView,
  o: { title: string; body: Html; notice?: string | undefined; crumbs?: { href?: string; label: string }[] },
): Html {
  const body = html`${breadcrumb(v, [{ href: '/', label: v.t('home') }, { href: '/edoc', label: v.t('dcTitle') }, ...(o.crumbs ?? [{ label: o.title }])])}
  ${flash(o.notice)} ${o.body}`;
  return layout(v, { title: o.title, body, noindex: true });
}

/** A box's documents as a table: number, date, the other side, subject, urgency, status. */
export function documentTable(v: DocumentsView, items: DocumentSummary[], box: 'inbox' | 'outbox'): Html {
  if (!items.length) return html`<p>${v.t('dcEmpty')}</p>`;
  const rows = items.map(
    (d) =>
      html`<tr>
        <td><a href="/edoc/doc/${d.id}">${numberOf(d) || '—'}</a></td>
        <td>${dmy(d.promulgation_date)}</td>
        ${box === 'inbox' ? html`<td>${d.from_name}</td>` : ''}
        <td>
          ${d.subject}${d.recalled ? html` <span class="badge">${v.t('dcRecall')}</span>` : ''}${d.pending_action ? html` <span class="badge">13</span>` : ''}
        </td>
        <td>${d.priority ? v.msg(PRIORITIES[String(d.priority)]!) : ''}</td>
        ${box === 'inbox' ? html`<td>${statusText(v, d.status)}</td>` : ''}
      </tr>`,
  );
  const columns = [
    v.t('dcNumber'),
    v.t('dcDate'),
    ...(box === 'inbox' ? [v.t('dcFrom')] : []),
    v.t('dcSubject'),
    v.t('dcPriority'),
    ...(box === 'inbox' ? [v.t('dcStatus')] : []),
  ];
  return dataTable({ columns, rows });
}
