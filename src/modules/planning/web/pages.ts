import fastifyMultipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { actorOf, hasOrgRole } from '../../../platform/auth/index.js';
import { html, type App } from '../../../platform/http/index.js';
import type { ModuleContext } from '../../../platform/module.js';
import {
  dataTable,
  formatDate,
  formErrorOf,
  layout,
  requireSignedIn,
  sendHtml,
  textarea,
  input,
  csrfField,
  errorSummary,
  viewOf,
  num,
  breadcrumb,
  type Values,
  type FormError,
  allFields,
} from '../../../platform/web/index.js';
import { consolidate } from '../consolidate/build.js';
import { finaliseConsolidated, publishRound, updateConsolidated } from '../consolidate/edit.js';
import { sendConsolidated } from '../consolidate/send.js';
import { DOCUMENTS_OUTBOX } from '../../documents/index.js';
import { onTimeRates, roundOverview } from '../reports/round.js';
import { myReports } from '../reports/mine.js';
import { indicatorHistory } from '../reports/history.js';
import { attachEvidence, EVIDENCE_MAX_BYTES, evidenceStored, removeEvidence, storeEvidenceFile } from '../reports/evidence.js';
import type { StoredFile } from '../../../platform/storage/index.js';
import { acceptReport, getReport, returnReport, saveReport, submitReport } from '../reports/service.js';
import { PLANNING_MESSAGES, REPORT_STATUS_LABEL, type PlanningView } from './messages.js';
import { planPage } from './plan-page.js';
import { proposalPages } from './proposal-pages.js';
import { inputOfForm, reportPage } from './report-form.js';

type YearReq = FastifyRequest<{ Params: { year: string }; Querystring: { saved?: string } }>;
type UnitReq = FastifyRequest<{ Params: { year: string; org: string }; Querystring: { saved?: string } }>;

const fmtDate = (iso: string) => iso.split('-').reverse().join('/');

/** The plan's pages: the public plan, the user's reports, a unit's report form, the Department's overview. */
export async function planningPages(web: App, ctx: ModuleContext): Promise<void> {
  const { db } = ctx;
  const opts = { schema: { hide: true }, preHandler: requireSignedIn };
  await planPage(web, db);
  await proposalPages(web, ctx);

  web.get('/plan/reports', opts, async (req, reply) => {
    const v = viewOf(req, PLANNING_MESSAGES);
    const { round, units, rounds } = await myReports(db, req.principal);
    const body = html`${breadcrumb(v, [{ href: '/plan', label: v.t('planTitle') }, { label: v.t('repTitle') }])}
      <h1>${v.t('repTitle')}</h1>
      <p>${round.title} · ${v.t('repDeadline', { date: fmtDate(round.deadline) })}</p>
      <section aria-labelledby="mine-h">
        <h2 id="mine-h">${v.t('repYourUnits')}</h2>
        ${
          units.length
            ? dataTable({
                columns: [v.t('repUnit'), v.t('repStatus')],
                rows: units.map(
                  ({ org, status }) =>
                    html`<tr>
                      <th scope="row"><a href="/plan/reports/${round.year}/${org.slug}">${org.name}</a></th>
                      <td>${v.msg(REPORT_STATUS_LABEL[status])}</td>
                    </tr>`,
                ),
              })
            : html`<p>${v.t('repNoUnits')}</p>`
        }
      </section>
      ${
        rounds
          ? html`<section aria-labelledby="all-h">
              <h2 id="all-h">${v.t('repOverview')}</h2>
              <p><a href="/plan/proposals">${v.t('prList')}</a></p>
              <ul>
                ${rounds.map((r) => html`<li><a href="/plan/reports/${r.year}">${v.t('repYear', { year: r.year })}</a> · ${v.t('repDeadline', { date: fmtDate(r.deadline) })}</li>`)}
              </ul>
            </section>`
          : ''
      }`;
    return sendHtml(reply, layout(v, { title: v.t('repTitle'), body, noindex: true }));
  });

  const overviewPage = async (req: YearReq, error?: FormError, values?: Values) => {
    const v = viewOf(req, PLANNING_MESSAGES);
    const year = Number(req.params.year);
    const o = await roundOverview(db, req.principal, year);
    // The overview checked who may see it; the consolidation builds on it, and the history reuses this year's.
    const c = await consolidate(db, o);
    const rates = await onTimeRates(db, req.principal, year);
    const history = await indicatorHistory(db, req.principal, c);
    const missing = o.units.filter((u) => u.status !== 'submitted' && u.status !== 'accepted');
    const editor = hasOrgRole(req.principal, o.regime.receiver_org_id, 'editor');
    const vals: Values = values ?? {
      numberSymbol: c.numberSymbol,
      place: c.place,
      docDate: c.docDate ? fmtDate(c.docDate) : '',
      summary: c.summary,
      assessment: c.assessment,
      recommendations: c.recommendations,
      recipients: c.recipients.join('\n'),
      signerTitle: c.signerTitle,
      signerName: c.signerName,
    };
    const P = 'con';
    const base = `/api/v1/planning/reports/${year}`;
    const body = html`${breadcrumb(v, [{ href: '/plan', label: v.t('planTitle') }, { href: '/plan/reports', label: v.t('repTitle') }, { label: String(year) }])}
      <h1>${o.round.title}</h1>
      <p>
        ${v.t('repDeadline', { date: fmtDate(o.round.deadline) })}
        ${o.daysLeft >= 0 ? html`(${v.t('repDaysLeft', { n: o.daysLeft })})` : html`<strong class="overdue">${v.t('repOverdue')}</strong>`}
      </p>
      ${req.query.saved ? html`<div class="alert alert-success" role="status">${req.query.saved === 'sent' ? v.t('conSent') : v.t('repSaved')}</div>` : ''}
      <section aria-labelledby="units-h">
        <h2 id="units-h">${v.t('repOverview')}</h2>
        ${dataTable({
          columns: [v.t('repUnit'), v.t('repTasks'), v.t('repStatus'), v.t('repSubmitted'), v.t('repOnTime')],
          rows: o.units.map(
            (u) =>
              html`<tr class="${u.overdue ? 'overdue' : ''}">
                <th scope="row"><a href="/plan/reports/${year}/${u.org.slug}">${u.org.name}</a></th>
                <td>${u.tasks}</td>
                <td>${v.msg(REPORT_STATUS_LABEL[u.status])}${u.overdue ? html` · <strong>${v.t('repOverdue')}</strong>` : ''}</td>
                <td>${u.submittedAt ? formatDate(u.submittedAt, v.lang) : '—'}</td>
                <td>${u.onTime === null ? '—' : u.onTime ? v.t('planYes') : v.t('planNo')}</td>
              </tr>`,
          ),
        })}
      </section>
      <section aria-labelledby="missing-h">
        <h2 id="missing-h">${v.t('repMissing', { n: missing.length })}</h2>
        <ul class="missing">
          ${missing.map((u) => html`<li>${u.org.name}</li>`)}
        </ul>
      </section>
      <section aria-labelledby="rates-h">
        <h2 id="rates-h">${v.t('repRates')}</h2>
        ${dataTable({
          columns: [v.t('repUnit'), v.t('repRounds'), v.t('repOnTime'), v.t('repRate')],
          rows: rates.map(
            (r) =>
              html`<tr>
                <th scope="row">${r.org.name}</th>
                <td>${r.rounds}</td>
                <td>${r.onTime}</td>
                <td>${Math.round(r.rate * 100)}%</td>
              </tr>`,
          ),
        })}
      </section>
      <section aria-labelledby="hist-h">
        <h2 id="hist-h">${v.t('repHistory')}</h2>
        ${dataTable({
          columns: [v.t('planIndicator'), ...history.years.map((y) => String(y))],
          rows: history.indicators.map(
            (i) =>
              html`<tr>
                <th scope="row">${i.code} · ${i.name} (${i.unit})</th>
                ${history.years.map((y) => {
                  const c = i.years[y];
                  return html`<td>
                    ${c?.value === null || c?.value === undefined ? '—' : num(v, c.value)}${c?.target !== null && c?.target !== undefined ? html` / ${num(v, c.target)}` : ''}
                    ${c && c.value !== null && c.target !== null ? html`<span class="badge ${c.assessment === 'Đạt' ? 'met' : 'unmet'}">${c.assessment}</span>` : ''}
                  </td>`;
                })}
              </tr>`,
          ),
        })}
      </section>
      <section aria-labelledby="con-h" class="panel">
        <h2 id="con-h">${v.t('repDownloads')}${c.finalised ? html` <span class="badge">${v.t('conFinal')}</span>` : ''}</h2>
        <p>
          <a class="button" href="${base}/consolidated.docx">DOCX</a> <a class="button" href="${base}/consolidated.pdf">PDF</a>
          <a class="button secondary" href="${base}/consolidated.json">JSON</a> · <a href="${base}/template.docx">${v.t('repTemplate')}</a>
        </p>
        ${
          editor
            ? html`<h3>${v.t('conEdit')}</h3>
                ${errorSummary(v, error, P)}
                <form method="post" action="/plan/reports/${year}/consolidated" class="stack">
                  ${csrfField(v)}
                  ${
                    c.finalised
                      ? html`${input({ idPrefix: P, name: 'to', label: v.t('conSendTo'), values: vals, error, hint: v.t('conSendHint') })}
                          <div class="actions">
                            <button type="submit" name="action" value="send" class="button">${v.t('conSend')}</button>
                            <button type="submit" name="action" value="reopen" class="button secondary">${v.t('conReopen')}</button>
                          </div>`
                      : html`${input({ idPrefix: P, name: 'numberSymbol', label: v.t('conNumber'), values: vals, error })}
                          ${input({ idPrefix: P, name: 'place', label: v.t('conPlace'), values: vals, error })}
                          ${input({ idPrefix: P, name: 'docDate', label: v.t('conDate'), values: vals, error })}
                          ${textarea({ idPrefix: P, name: 'summary', label: v.t('conSummary'), values: vals, error, rows: 5 })}
                          ${textarea({ idPrefix: P, name: 'assessment', label: v.t('conAssessment'), values: vals, error, rows: 5 })}
                          ${textarea({ idPrefix: P, name: 'recommendations', label: v.t('conRecommendations'), values: vals, error, rows: 4 })}
                          ${textarea({ idPrefix: P, name: 'recipients', label: v.t('conRecipients'), values: vals, error, rows: 4 })}
                          ${input({ idPrefix: P, name: 'signerTitle', label: v.t('conSignerTitle'), values: vals, error })}
                          ${input({ idPrefix: P, name: 'signerName', label: v.t('conSignerName'), values: vals, error })}
                          <div class="actions">
                            <button type="submit" name="action" value="save" class="button">${v.t('conSave')}</button>
                            <button type="submit" name="action" value="finalise" class="button secondary">${v.t('conFinalise')}</button>
                            <button type="submit" name="action" value="${o.round.published ? 'unpublish' : 'publish'}" class="button secondary">
                              ${o.round.published ? v.t('conUnpublish') : v.t('conPublish')}
                            </button>
                          </div>`
                  }
                </form>`
            : ''
        }
      </section>`;
    return layout(v, { title: o.round.title, body, noindex: true });
  };

  web.get('/plan/reports/:year', opts, async (req: YearReq, reply) => sendHtml(reply, await overviewPage(req)));

  web.post('/plan/reports/:year/consolidated', opts, async (req: YearReq, reply) => {
    const year = Number(req.params.year);
    const values = allFields(req.body);
    const v = viewOf(req, PLANNING_MESSAGES);
    try {
      const action = values.action;
      if (action === 'send') {
        const to = (values.to ?? '').split(/[\s,;]+/).filter(Boolean);
        await sendConsolidated(db, ctx.ports.get(DOCUMENTS_OUTBOX), req.principal, actorOf(req), year, { to });
        return reply.redirect(`/plan/reports/${year}?saved=sent`, 303);
      }
      if (action === 'reopen') await finaliseConsolidated(db, req.principal, actorOf(req), year, false);
      else if (action === 'publish' || action === 'unpublish') await publishRound(db, req.principal, actorOf(req), year, action === 'publish');
      else {
        await updateConsolidated(db, req.principal, actorOf(req), year, {
          numberSymbol: values.numberSymbol ?? '',
          place: values.place ?? '',
          docDate: values.docDate ?? '',
          summary: values.summary ?? '',
          assessment: values.assessment ?? '',
          recommendations: values.recommendations ?? '',
          recipients: values.recipients ?? '',
          signerTitle: values.signerTitle ?? '',
          signerName: values.signerName ?? '',
        });
        if (action === 'finalise') await finaliseConsolidated(db, req.principal, actorOf(req), year, true);
      }
      return reply.redirect(`/plan/reports/${year}?saved=1`, 303);
    } catch (e) {
      const { status, error } = formErrorOf(e, v);
      return sendHtml(reply, await overviewPage(req, error, values), status);
    }
  });

  web.get('/plan/reports/:year/:org', opts, async (req: UnitReq, reply) => {
    const v: PlanningView = viewOf(req, PLANNING_MESSAGES);
    const r = await getReport(db, req.principal, Number(req.params.year), req.params.org);
    const notice =
      req.query.saved === 'draft'
        ? v.t('repSaved')
        : req.query.saved === 'sent'
          ? v.t('repSent')
          : req.query.saved === 'accepted'
            ? v.t('repAccepted')
            : req.query.saved === 'returned'
              ? v.t('repReturned')
              : undefined;
    return sendHtml(reply, reportPage(v, r, notice ? { notice } : {}));
  });

  // The report form is multipart: each task's evidence file is streamed to the store while the body
  // is read, and attached only once the session's CSRF token (a field of the same body) has been
  // checked and the request is the unit's; files of a refused request are removed afterwards.
  await web.register(async (up: App) => {
    type Pending = { ref: string; name: string; contentType: string; stored: StoredFile };
    const pending = new WeakMap<FastifyRequest, Pending[]>();
    await up.register(fastifyMultipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: EVIDENCE_MAX_BYTES + 1, files: 100, fields: 2000, fieldSize: 64 * 1024 },
      async onFile(this: FastifyRequest, part: MultipartFile) {
        const p = part as MultipartFile & { value: unknown };
        p.value = null;
        const ref = part.fieldname.startsWith('file.') ? part.fieldname.slice('file.'.length) : '';
        if (!this.principal.user || !part.filename || !ref) return void part.file.resume();
        try {
          const stored = await storeEvidenceFile(ctx.files, part.file);
          pending.set(this, [...(pending.get(this) ?? []), { ref, name: part.filename, contentType: part.mimetype, stored }]);
        } catch (e) {
          part.file.resume();
          p.value = { error: e };
        }
      },
    });
    up.addHook('onResponse', async (req) => {
      for (const f of pending.get(req) ?? []) if (!(await evidenceStored(db, f.stored.key))) await ctx.files.remove(f.stored.key).catch(() => undefined);
    });
    up.post('/plan/reports/:year/:org', opts, async (req: UnitReq, reply) => {
      const v: PlanningView = viewOf(req, PLANNING_MESSAGES);
      const year = Number(req.params.year);
      const values = allFields(req.body);
      const current = await getReport(db, req.principal, year, req.params.org);
      const input = inputOfForm(current, values);
      try {
        const refused = Object.values((req.body ?? {}) as Record<string, unknown>).find((x) => x && typeof x === 'object' && 'error' in x) as
          { error: unknown } | undefined;
        if (refused) throw refused.error;
        // Files first: a submitted report takes no more.
        for (const f of pending.get(req) ?? [])
          await attachEvidence(db, ctx.files, req.principal, actorOf(req), year, req.params.org, {
            task: f.ref,
            name: f.name,
            contentType: f.contentType,
            stored: f.stored,
          });
        const submit = values.action === 'submit';
        const r = submit
          ? await submitReport(db, req.principal, actorOf(req), year, req.params.org, input)
          : await saveReport(db, req.principal, actorOf(req), year, req.params.org, input);
        return reply.redirect(`/plan/reports/${year}/${encodeURIComponent(r.org.slug)}?saved=${submit ? 'sent' : 'draft'}`, 303);
      } catch (e) {
        const { status, error } = formErrorOf(e, v);
        return sendHtml(reply, reportPage(v, await getReport(db, req.principal, year, req.params.org), { values, error }), status);
      }
    });
  });
  web.post('/plan/reports/:year/:org/evidence/:id/delete', opts, async (req: FastifyRequest<{ Params: { year: string; org: string; id: string } }>, reply) => {
    await removeEvidence(db, req.principal, actorOf(req), Number(req.params.year), req.params.org, req.params.id);
    return reply.redirect(`/plan/reports/${req.params.year}/${encodeURIComponent(req.params.org)}?saved=draft`, 303);
  });

  web.post('/plan/reports/:year/:org/review', opts, async (req: UnitReq, reply) => {
    const v: PlanningView = viewOf(req, PLANNING_MESSAGES);
    const year = Number(req.params.year);
    const values = allFields(req.body);
    try {
      if (values.action === 'accept') {
        await acceptReport(db, req.principal, actorOf(req), year, req.params.org);
        return reply.redirect(`/plan/reports/${year}/${encodeURIComponent(req.params.org)}?saved=accepted`, 303);
      }
      const sections: Record<string, string> = {};
      for (const [k, val] of Object.entries(values)) if (k.startsWith('review.') && val.trim()) sections[k.slice('review.'.length)] = val;
      await returnReport(db, req.principal, actorOf(req), year, req.params.org, { reason: values.reason ?? null, sections });
      return reply.redirect(`/plan/reports/${year}/${encodeURIComponent(req.params.org)}?saved=returned`, 303);
    } catch (e) {
      const { status, error } = formErrorOf(e, v, { reason: 'reason' });
      const current = await getReport(db, req.principal, year, req.params.org);
      return sendHtml(reply, reportPage(v, current, { error }), status);
    }
  });
}
