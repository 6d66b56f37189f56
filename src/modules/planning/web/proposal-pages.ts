import type { FastifyRequest } from 'fastify';
import { actorOf } from '../../../platform/auth/index.js';
import { html, type App, type Html } from '../../../platform/http/index.js';
import type { ModuleContext } from '../../../platform/module.js';
import {
  breadcrumb,
  csrfField,
  dataTable,
  errorSummary,
  formatDate,
  formErrorOf,
  input,
  layout,
  requireSignedIn,
  select,
  sendHtml,
  textarea,
  viewOf,
  type FormError,
  type Values,
  allFields,
} from '../../../platform/web/index.js';
import { CRITERIA } from '../proposals/criteria.js';
import { listExperts } from '../proposals/experts.js';
import { decideProposal, getProposal, listProposals, recordScores, screenProposal, setCouncil, submitProposal } from '../proposals/service.js';
import { PLANNING_MESSAGES, PROPOSAL_EVENT_LABEL, PROPOSAL_STATUS_LABEL, type PlanningView } from './messages.js';

type IdReq = FastifyRequest<{ Params: { id: string }; Querystring: { token?: string; sent?: string } }>;
const P = 'pr';
const crumbs = (v: PlanningView, last?: string) =>
  breadcrumb(v, [
    { href: '/plan', label: v.t('planTitle') },
    ...(last ? [{ href: '/plan/proposals/new', label: v.t('prTitle') }, { label: last }] : [{ label: v.t('prTitle') }]),
  ]);

function newForm(v: PlanningView, values: Values, error?: FormError): Html {
  const f = { idPrefix: P, values, error };
  const body = html`${crumbs(v)}
    <h1>${v.t('prTitle')}</h1>
    <p class="lead">${v.t('prLead')}</p>
    <p><a href="/plan/experts">${v.t('prExperts')}</a></p>
    ${errorSummary(v, error, P)}
    <form method="post" action="/plan/proposals/new" class="stack" novalidate>
      ${csrfField(v)} ${input({ ...f, name: 'title', label: v.t('prFieldTitle'), required: true })}
      ${textarea({ ...f, name: 'objectives', label: v.t('prFieldObjectives'), required: true, rows: 4 })}
      ${textarea({ ...f, name: 'products', label: v.t('prFieldProducts'), required: true, rows: 3 })}
      ${input({ ...f, name: 'budget', label: v.t('prFieldBudget'), required: true, hint: v.t('repValueHint'), attrs: html` inputmode="decimal"` })}
      ${input({ ...f, name: 'durationMonths', label: v.t('prFieldDuration'), required: true, attrs: html` inputmode="numeric"` })}
      ${input({ ...f, name: 'field', label: v.t('prFieldField') })}
      ${select({
        ...f,
        name: 'proposerKind',
        label: v.t('prFieldKind'),
        required: true,
        options: [
          { value: 'organization', label: v.t('prKindOrganization') },
          { value: 'business', label: v.t('prKindBusiness') },
          { value: 'individual', label: v.t('prKindIndividual') },
        ],
      })}
      ${input({ ...f, name: 'proposerName', label: v.t('prFieldName'), required: true, autocomplete: 'name' })}
      ${input({ ...f, name: 'proposerEmail', label: v.t('prFieldEmail'), required: true, type: 'email', autocomplete: 'email' })}
      ${input({ ...f, name: 'proposerOrg', label: v.t('prFieldOrg'), autocomplete: 'organization' })}
      <div class="actions"><button type="submit" class="button">${v.t('prNew')}</button></div>
    </form>`;
  return layout(v, { title: v.t('prTitle'), body, description: v.t('prLead') });
}

type View = Awaited<ReturnType<typeof getProposal>>;

function staffForms(v: PlanningView, d: View, experts: Awaited<ReturnType<typeof listExperts>>, error?: FormError, posted: Values = {}): Html {
  const p = d.proposal;
  const action = (what: string) => `/plan/proposals/${p.id}/${what}`;
  if (!d.editor || p.status === 'approved' || p.status === 'rejected' || p.status === 'screened_out') return html``;
  if (p.status === 'submitted')
    return html`<section class="panel" aria-labelledby="screen-h">
      <h2 id="screen-h">${v.t('prScreen')}</h2>
      ${errorSummary(v, error, 'screen')}
      <form method="post" action="${action('screening')}" class="stack">
        ${csrfField(v)} ${textarea({ idPrefix: 'screen', name: 'note', label: v.t('prNote'), values: {}, error, rows: 2 })}
        <div class="actions">
          <button type="submit" name="accept" value="yes" class="button">${v.t('prScreenIn')}</button>
          <button type="submit" name="accept" value="no" class="button secondary">${v.t('prScreenOut')}</button>
        </div>
      </form>
    </section>`;
  // The council as posted when it was refused, else as saved.
  const saved = new Map<string, string>(d.council.map((c) => [c.expert_id, c.role]));
  const role = Object.keys(posted).some((k) => k.startsWith('role.')) ? new Map(experts.map((e) => [e.id, posted[`role.${e.id}`] ?? ''])) : saved;
  const scoreOf = (expert: string, criterion: string) => d.scores.find((s) => s.expert_id === expert && s.criterion === criterion)?.score ?? '';
  return html`${errorSummary(v, error, P)}
    <section class="panel" aria-labelledby="council-h">
      <h2 id="council-h">${v.t('prCouncil')}</h2>
      <form method="post" action="${action('council')}" class="stack">
        ${csrfField(v)}
        ${dataTable({
          columns: [v.t('prExpert'), v.t('prFieldField'), v.t('prAffiliation'), v.t('prCouncil')],
          rows: experts.map(
            (e) =>
              html`<tr>
                <th scope="row">${e.name}</th>
                <td>${e.field}</td>
                <td>${e.affiliation ? `${e.affiliation} · ` : ''}${e.in_province ? v.t('prInProvince') : v.t('prOutside')}</td>
                <td>
                  <select name="role.${e.id}" aria-label="${v.t('prCouncil')}: ${e.name}">
                    ${(['', 'chair', 'member'] as const).map(
                      (r) =>
                        html`<option value="${r}" ${(role.get(e.id) ?? '') === r ? html` selected` : ''}>
                          ${r === 'chair' ? v.t('prChair') : r === 'member' ? v.t('prMember') : v.t('prNotOn')}
                        </option>`,
                    )}
                  </select>
                </td>
              </tr>`,
          ),
        })}
        <div class="actions"><button type="submit" class="button secondary">${v.t('prSaveCouncil')}</button></div>
      </form>
    </section>
    ${
      d.council.length
        ? html`<section class="panel" aria-labelledby="scores-h">
            <h2 id="scores-h">${v.t('prScores')}</h2>
            ${d.council.map(
              (c) =>
                html`<form method="post" action="${action(`scores/${c.expert_id}`)}" class="stack score-sheet">
                  ${csrfField(v)}
                  <h3>
                    ${c.expert.name} (${c.role === 'chair' ? v.t('prChair') : v.t('prMember')}) · ${v.t('prTotal')}: ${d.totals.byExpert[c.expert_id] ?? '—'}
                  </h3>
                  ${CRITERIA.map((k) =>
                    input({
                      idPrefix: `s-${c.expert_id}`,
                      name: k.code,
                      label: `${v.lang === 'en' ? k.nameEn : k.name} (≤ ${k.max})`,
                      values: { [k.code]: scoreOf(c.expert_id, k.code) },
                      attrs: html` inputmode="decimal"`,
                    }),
                  )}
                  <div class="actions"><button type="submit" class="button secondary">${v.t('prSaveScores', { name: c.expert.name })}</button></div>
                </form>`,
            )}
          </section>`
        : ''
    }
    ${
      d.totals.members && d.totals.scored === d.totals.members
        ? html`<section class="panel" aria-labelledby="decision-h">
            <h2 id="decision-h">${v.t('prDecision')}</h2>
            <p>${v.t('prMean', { mean: (d.totals.mean ?? 0).toLocaleString(v.lang === 'en' ? 'en' : 'vi-VN') })}</p>
            <form method="post" action="${action('decision')}" class="stack">
              ${csrfField(v)} ${textarea({ idPrefix: 'decision', name: 'note', label: v.t('prNote'), values: {}, rows: 2 })}
              <div class="actions">
                <button type="submit" name="approved" value="yes" class="button">${v.t('prApprove')}</button>
                <button type="submit" name="approved" value="no" class="button secondary">${v.t('prReject')}</button>
              </div>
            </form>
          </section>`
        : ''
    }`;
}

/** The proposal pages: the public form, a proposal's page (its proposer with the token, or the Department with its forms), the expert groups. */
export async function proposalPages(web: App, ctx: ModuleContext): Promise<void> {
  const { db, jobs } = ctx;
  const hidden = { schema: { hide: true } };

  web.get('/plan/proposals/new', hidden, async (req, reply) => sendHtml(reply, newForm(viewOf(req, PLANNING_MESSAGES), { proposerKind: 'organization' })));
  web.post('/plan/proposals/new', hidden, async (req, reply) => {
    const values = allFields(req.body);
    try {
      const { proposal, token } = await submitProposal(db, jobs, actorOf(req), { ...values, proposerOrg: values.proposerOrg || null });
      return reply.redirect(`/plan/proposals/${proposal.id}?token=${encodeURIComponent(token)}&sent=1`, 303);
    } catch (e) {
      const v = viewOf(req, PLANNING_MESSAGES);
      const { status, error } = formErrorOf(e, v);
      return sendHtml(reply, newForm(v, values, error), status);
    }
  });

  web.get('/plan/experts', hidden, async (req, reply) => {
    const v: PlanningView = viewOf(req, PLANNING_MESSAGES);
    const experts = await listExperts(db);
    const body = html`${crumbs(v, v.t('prExperts'))}
      <h1>${v.t('prExperts')}</h1>
      ${dataTable({
        columns: [v.t('prExpert'), v.t('prFieldField'), v.t('prAffiliation'), ''],
        rows: experts.map(
          (e) =>
            html`<tr>
              <th scope="row">${e.name}</th>
              <td>${e.field}</td>
              <td>${e.affiliation}</td>
              <td>${e.in_province ? v.t('prInProvince') : v.t('prOutside')}</td>
            </tr>`,
        ),
      })}`;
    return sendHtml(reply, layout(v, { title: v.t('prExperts'), body }));
  });

  web.get('/plan/proposals', { ...hidden, preHandler: requireSignedIn }, async (req, reply) => {
    const v: PlanningView = viewOf(req, PLANNING_MESSAGES);
    const list = await listProposals(db, req.principal);
    const body = html`${crumbs(v, v.t('prList'))}
      <h1>${v.t('prList')}</h1>
      ${dataTable({
        columns: ['', v.t('prFieldTitle'), v.t('prProposer'), v.t('prStatus'), v.t('repSubmitted')],
        rows: list.map(
          (p) =>
            html`<tr>
              <td>${p.code}</td>
              <th scope="row"><a href="/plan/proposals/${p.id}">${p.title}</a></th>
              <td>${p.proposer_org ?? p.proposer_name}</td>
              <td>${v.msg(PROPOSAL_STATUS_LABEL[p.status]!)}</td>
              <td>${formatDate(p.created_at, v.lang)}</td>
            </tr>`,
        ),
      })}`;
    return sendHtml(reply, layout(v, { title: v.t('prList'), body, noindex: true }));
  });

  const proposalPage = async (req: IdReq, error?: FormError, posted?: Values) => {
    const v: PlanningView = viewOf(req, PLANNING_MESSAGES);
    const d = await getProposal(db, req.principal, req.params.id, req.query.token);
    const p = d.proposal;
    const experts = d.editor ? await listExperts(db) : [];
    const body = html`${crumbs(v, p.code)}
      <h1>${p.code}: ${p.title}</h1>
      ${req.query.sent ? html`<div class="alert alert-success" role="status">${v.t('prSent', { code: p.code })}</div>` : ''}
      <p>
        <span class="badge">${v.msg(PROPOSAL_STATUS_LABEL[p.status]!)}</span
        >${p.mean_score !== null ? html` · ${v.t('prMean', { mean: Number(p.mean_score).toLocaleString(v.lang === 'en' ? 'en' : 'vi-VN') })}` : ''}
      </p>
      ${p.screening_note ? html`<p><strong>${v.t('prScreen')}:</strong> ${p.screening_note}</p>` : ''}
      ${p.decision_note ? html`<p><strong>${v.t('prDecision')}:</strong> ${p.decision_note}</p>` : ''}
      <dl class="facts">
        <dt>${v.t('prFieldObjectives')}</dt>
        <dd class="pre">${p.objectives}</dd>
        <dt>${v.t('prFieldProducts')}</dt>
        <dd class="pre">${p.products}</dd>
        <dt>${v.t('prFieldBudget')}</dt>
        <dd>${Number(p.budget_million).toLocaleString('vi-VN')}</dd>
        <dt>${v.t('prFieldDuration')}</dt>
        <dd>${p.duration_months}</dd>
        <dt>${v.t('prProposer')}</dt>
        <dd>${p.proposer_name}${p.proposer_org ? ` — ${p.proposer_org}` : ''}</dd>
      </dl>
      ${staffForms(v, d, experts, error, posted)}
      <section aria-labelledby="steps-h">
        <h2 id="steps-h">${v.t('prSteps')}</h2>
        <ol class="timeline">
          ${d.events.map((e) => html`<li><time datetime="${e.at.toISOString()}">${formatDate(e.at, v.lang)}</time> · ${PROPOSAL_EVENT_LABEL[e.action] ? v.msg(PROPOSAL_EVENT_LABEL[e.action]!) : e.action}${e.note && e.action !== 'council' ? ` · ${e.note}` : ''}</li>`)}
        </ol>
      </section>`;
    return layout(v, { title: `${p.code}: ${p.title}`, body, noindex: true });
  };
  web.get('/plan/proposals/:id', hidden, async (req: IdReq, reply) => sendHtml(reply, await proposalPage(req)));

  const step = (path: string, run: (req: IdReq, b: Values) => Promise<unknown>) =>
    web.post(`/plan/proposals/:id/${path}`, { ...hidden, preHandler: requireSignedIn }, async (req: IdReq, reply) => {
      const b = allFields(req.body);
      try {
        await run(req, b);
        return reply.redirect(`/plan/proposals/${req.params.id}`, 303);
      } catch (e) {
        const { status, error } = formErrorOf(e, viewOf(req, PLANNING_MESSAGES));
        return sendHtml(reply, await proposalPage(req, error, b), status);
      }
    });
  step('screening', (req, b) => screenProposal(db, req.principal, actorOf(req), jobs, req.params.id, { accept: b.accept === 'yes', note: b.note ?? null }));
  step('council', (req, b) =>
    setCouncil(db, req.principal, actorOf(req), req.params.id, {
      members: Object.entries(b)
        .filter(([k, r]) => k.startsWith('role.') && r)
        .map(([k, r]) => ({ expert: k.slice('role.'.length), role: r })),
    }),
  );
  web.post(
    '/plan/proposals/:id/scores/:expert',
    { ...hidden, preHandler: requireSignedIn },
    async (req: FastifyRequest<{ Params: { id: string; expert: string }; Querystring: { token?: string; sent?: string } }>, reply) => {
      try {
        const b = allFields(req.body);
        await recordScores(db, req.principal, actorOf(req), req.params.id, req.params.expert, {
          scores: Object.fromEntries(CRITERIA.map((c) => [c.code, b[c.code] ?? ''])),
        });
        return reply.redirect(`/plan/proposals/${req.params.id}`, 303);
      } catch (e) {
        const { status, error } = formErrorOf(e, viewOf(req, PLANNING_MESSAGES));
        return sendHtml(reply, await proposalPage(req as unknown as IdReq, error), status);
      }
    },
  );
  step('decision', (req, b) => decideProposal(db, req.principal, actorOf(req), jobs, req.params.id, { approved: b.approved === 'yes', note: b.note ?? null }));
}
