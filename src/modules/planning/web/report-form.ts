import { html, type Html } from '../../../platform/http/index.js';
import {
  csrfField,
  errorSummary,
  formatDate,
  input,
  layout,
  num,
  select,
  textarea,
  breadcrumb,
  type FormError,
  type Values,
} from '../../../platform/web/index.js';
import type { ReportView } from '../reports/service.js';
import type { ReportInput } from '../reports/validate.js';
import { TASK_STATUSES } from '../tables.js';
import { EVENT_LABEL, REPORT_STATUS_LABEL, TASK_STATUS_LABEL, type PlanningView } from './messages.js';

const P = 'rep';
const FIELDS = ['done', 'results', 'difficulties', 'proposals'] as const;

/** The form's values from the stored report. */
export function valuesOfReport(r: ReportView): Values {
  const out: Values = {};
  for (const t of r.tasks) {
    const f = `sections.${t.task.ref}`;
    out[`${f}.status`] = t.section?.status ?? '';
    for (const k of FIELDS) out[`${f}.${k}`] = t.section?.[k] ?? '';
    out[`${f}.evidence`] = (t.section?.evidence ?? []).map((e) => e.url).join('\n');
  }
  for (const i of r.indicators)
    out[`values.${i.indicator.code}`] = i.value === null ? '' : Number(i.value).toLocaleString('vi-VN', { maximumFractionDigits: 6, useGrouping: false });
  return out;
}

/** The posted form as the service's input (the same checks as the API then apply). */
export function inputOfForm(r: ReportView, body: Values): ReportInput {
  const sections: NonNullable<ReportInput['sections']> = {};
  for (const t of r.tasks) {
    const f = `sections.${t.task.ref}`;
    if (!(`${f}.status` in body)) continue;
    sections[t.task.ref] = {
      status: body[`${f}.status`] || null,
      done: body[`${f}.done`] ?? null,
      results: body[`${f}.results`] ?? null,
      difficulties: body[`${f}.difficulties`] ?? null,
      proposals: body[`${f}.proposals`] ?? null,
      evidence: (body[`${f}.evidence`] ?? '')
        .split(/\r?\n/)
        .map((u) => u.trim())
        .filter(Boolean)
        .map((url) => ({ url })),
    };
  }
  const values: NonNullable<ReportInput['values']> = {};
  for (const i of r.indicators) {
    const k = `values.${i.indicator.code}`;
    if (i.indicator.source === 'entered' && k in body) values[i.indicator.code] = { value: body[k] ?? '' };
  }
  return { sections, values };
}

const filesOf = (r: ReportView, taskId: string) => r.files.filter((f) => f.task_id === taskId);
const fileUrl = (r: ReportView, id: string) => `/api/v1/planning/reports/${r.round.year}/units/${encodeURIComponent(r.org.slug)}/evidence/${id}`;

function section(v: PlanningView, r: ReportView, t: ReportView['tasks'][number], values: Values, error: FormError | undefined, editable: boolean): Html {
  const f = `sections.${t.task.ref}`;
  const s = t.section;
  const returned = s?.return_reason ? html`<p class="alert alert-warning" role="note">${v.t('repSectionReturned', { reason: s.return_reason })}</p>` : '';
  const head = html`<h3 id="${P}-${f}-h"><span class="badge">${t.task.ref}</span> ${t.task.role === 'lead' ? v.t('planLeadUnit') : v.t('planCoordinate')}</h3>
    <p><q lang="vi">${t.task.text}</q></p>
    ${returned}`;
  if (!editable) {
    return html`<section class="report-section panel" aria-labelledby="${P}-${f}-h">
      ${head}
      <dl>
        <dt>${v.t('repFieldStatus')}</dt>
        <dd>${s?.status ? v.msg(TASK_STATUS_LABEL[s.status]) : '—'}</dd>
        <dt>${v.t('repFieldDone')}</dt>
        <dd class="pre">${s?.done ?? '—'}</dd>
        <dt>${v.t('repFieldResults')}</dt>
        <dd class="pre">${s?.results ?? '—'}</dd>
        <dt>${v.t('repFieldDifficulties')}</dt>
        <dd class="pre">${s?.difficulties ?? '—'}</dd>
        <dt>${v.t('repFieldProposals')}</dt>
        <dd class="pre">${s?.proposals ?? '—'}</dd>
        <dt>${v.t('repFieldEvidence')}</dt>
        <dd>${(s?.evidence ?? []).map((e) => html`<a href="${e.url}" rel="noopener nofollow">${e.label}</a> `)}</dd>
        <dt>${v.t('repFiles')}</dt>
        <dd>${filesOf(r, t.task.id).length ? filesOf(r, t.task.id).map((f) => html`<a href="${fileUrl(r, f.id)}" download>${f.name}</a> `) : '—'}</dd>
      </dl>
      ${r.can.review ? textarea({ idPrefix: P, name: `review.${t.task.ref}`, label: v.t('repReturnSection', { ref: t.task.ref }), values: {}, rows: 2, attrs: html` form="review-form"` }) : ''}
    </section>`;
  }
  return html`<fieldset class="report-section panel" aria-labelledby="${P}-${f}-h">
    ${head}
    ${select({
      idPrefix: P,
      name: `${f}.status`,
      label: v.t('repFieldStatus'),
      values,
      error,
      required: true,
      options: [{ value: '', label: v.t('repChoose') }, ...TASK_STATUSES.map((st) => ({ value: st, label: v.msg(TASK_STATUS_LABEL[st]) }))],
    })}
    ${textarea({ idPrefix: P, name: `${f}.done`, label: v.t('repFieldDone'), values, error, rows: 3 })}
    ${textarea({ idPrefix: P, name: `${f}.results`, label: v.t('repFieldResults'), values, error, rows: 2 })}
    ${textarea({ idPrefix: P, name: `${f}.difficulties`, label: v.t('repFieldDifficulties'), values, error, rows: 2 })}
    ${textarea({ idPrefix: P, name: `${f}.proposals`, label: v.t('repFieldProposals'), values, error, rows: 2 })}
    ${textarea({ idPrefix: P, name: `${f}.evidence`, label: v.t('repFieldEvidence'), values, error, rows: 2 })}
    ${
      filesOf(r, t.task.id).length
        ? html`<ul class="files">
            ${filesOf(r, t.task.id).map(
              (x) =>
                html`<li>
                  <a href="${fileUrl(r, x.id)}" download>${x.name}</a>
                  <button type="submit" form="evdel-${x.id}" class="button secondary small">${v.t('repRemoveFile')}</button>
                </li>`,
            )}
          </ul>`
        : ''
    }
    <div class="field">
      <label for="${P}-file.${t.task.ref}">${v.t('repFieldFile')}</label>
      <input id="${P}-file.${t.task.ref}" name="file.${t.task.ref}" type="file" />
    </div>
  </fieldset>`;
}

function indicators(v: PlanningView, r: ReportView, values: Values, error: FormError | undefined, editable: boolean): Html {
  if (!r.indicators.length) return html``;
  return html`<section class="panel" aria-labelledby="${P}-values-h">
    <h2 id="${P}-values-h">${v.t('repValues')}</h2>
    ${r.indicators.map((i) => {
      const name = `values.${i.indicator.code}`;
      const label = `${i.indicator.code} · ${i.indicator.name} (${i.indicator.unit})${i.owed ? ` — ${v.t('repRequiredValue')}` : ''}`;
      if (i.indicator.source === 'computed')
        return html`<p>
          <strong>${label}</strong>: ${i.computed === null ? '—' : num(v, Number(i.computed))}
          <span class="muted">(${v.t('planComputed', { year: r.round.year })})</span>
        </p>`;
      if (!editable) return html`<p><strong>${label}</strong>: ${i.value === null ? '—' : num(v, Number(i.value))}</p>`;
      return input({ idPrefix: P, name, label, values, error, hint: v.t('repValueHint'), attrs: html` inputmode="decimal"` });
    })}
  </section>`;
}

/** A unit's report: the form while it is the unit's to edit, the read view otherwise, the review controls for the reviewer. */
export function reportPage(v: PlanningView, r: ReportView, o: { values?: Values; error?: FormError; notice?: string }): Html {
  const editable = r.can.edit;
  const values = o.values ?? valuesOfReport(r);
  const action = `/plan/reports/${r.round.year}/${encodeURIComponent(r.org.slug)}`;
  const status = html`<p>
    <span class="badge status-${r.status}">${v.msg(REPORT_STATUS_LABEL[r.status])}</span>
    ${v.t('repDeadline', { date: r.round.deadline.split('-').reverse().join('/') })}
    ${r.overdue ? html`<strong class="overdue">${v.t('repOverdue')}</strong>` : r.daysLeft >= 0 && editable ? html`(${v.t('repDaysLeft', { n: r.daysLeft })})` : ''}
    · ${v.t('repReviewer', { unit: r.reviewer.name })}
  </p>`;
  const returned =
    r.status === 'returned' && r.report?.return_reason
      ? html`<div class="alert alert-warning" role="alert">${v.t('repReturnedNote', { reason: r.report.return_reason })}</div>`
      : '';
  const stateNote =
    r.status === 'accepted'
      ? html`<p class="alert alert-success">${v.t('repLocked')}</p>`
      : r.status === 'submitted' && !r.can.review
        ? html`<p class="alert">${v.t('repWaiting')}</p>`
        : '';
  const sections = r.tasks.map((t) => section(v, r, t, values, o.error, editable));
  const form = editable
    ? html`${errorSummary(v, o.error, P)}
        <form method="post" action="${action}" class="stack report-form" enctype="multipart/form-data" novalidate>
          ${csrfField(v)} ${sections} ${indicators(v, r, values, o.error, true)}
          <div class="actions">
            <button type="submit" name="action" value="save" class="button secondary">${v.t('repSave')}</button>
            <button type="submit" name="action" value="submit" class="button">${v.t('repSubmit')}</button>
          </div>
        </form>
        ${r.files.map((x) => html`<form id="evdel-${x.id}" method="post" action="${action}/evidence/${x.id}/delete" hidden>${csrfField(v)}</form>`)}`
    : html`${sections} ${indicators(v, r, values, o.error, false)}`;
  const review = r.can.review
    ? html`<section class="panel" aria-labelledby="review-h">
        <h2 id="review-h">${v.t('repReview')}</h2>
        ${errorSummary(v, o.error, 'review')}
        <form method="post" action="${action}/review" id="review-form" class="stack">
          ${csrfField(v)} ${textarea({ idPrefix: 'review', name: 'reason', label: v.t('repReturnReason'), values: {}, error: o.error, rows: 2 })}
          <div class="actions">
            <button type="submit" name="action" value="accept" class="button">${v.t('repAccept')}</button>
            <button type="submit" name="action" value="return" class="button secondary">${v.t('repReturn')}</button>
          </div>
        </form>
      </section>`
    : '';
  const timeline = r.events.length
    ? html`<section aria-labelledby="timeline-h">
        <h2 id="timeline-h">${v.t('repTimeline')}</h2>
        <ol class="timeline">
          ${r.events.map((e) => html`<li><time datetime="${e.at.toISOString()}">${formatDate(e.at, v.lang)}</time> · ${EVENT_LABEL[e.action] ? v.msg(EVENT_LABEL[e.action]!) : e.action} · ${e.actor_label ?? ''}</li>`)}
        </ol>
      </section>`
    : '';
  const title = v.t('repFormTitle', { year: r.round.year, unit: r.org.name });
  const body = html`${breadcrumb(v, [{ href: '/plan', label: v.t('planTitle') }, { href: '/plan/reports', label: v.t('repTitle') }, { label: r.org.name }])}
    <h1>${title}</h1>
    ${status} ${o.notice ? html`<div class="alert alert-success" role="status">${o.notice}</div>` : ''} ${returned} ${stateNote} ${review} ${form} ${timeline}`;
  return layout(v, { title, body, noindex: true });
}
