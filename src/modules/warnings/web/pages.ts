import type { FastifyRequest } from 'fastify';
import { actorOf, hasOrgRole, orgsWithRole, requireOrgRole } from '../../../platform/auth/index.js';
import { html, type App } from '../../../platform/http/index.js';
import type { ModuleContext } from '../../../platform/module.js';
import { formatViDateTime } from '../../../platform/text/index.js';
import {
  allFields,
  breadcrumb,
  csrfField,
  dataTable,
  formErrorOf,
  input,
  layout,
  requireSignedIn,
  sendHtml,
  viewOf,
  type FormError,
  type Values,
} from '../../../platform/web/index.js';
import { organizationsByIds } from '../../organizations/index.js';
import { stationList } from '../../sensors/index.js';
import { acknowledgeAlert, getAlert, listAlerts, type AlertListItem } from '../alerts.js';
import { createRule, getRule, listRules, updateRule } from '../rules.js';
import { inputOfRuleForm, ruleForm, valuesOfRule } from './rule-form.js';
import type { Severity } from '../tables.js';
import { EVENT_LABEL, KIND_LABEL, SEVERITY_LABEL, STATE_LABEL, WARNINGS_MESSAGES, type WarningsView } from './messages.js';

type IdReq = FastifyRequest<{ Params: { id: string }; Querystring: { msg?: string } }>;

/** The warnings pages: current and past warnings, one warning with its timeline and acknowledgement, the operators' rules. */
export async function warningsPages(web: App, ctx: ModuleContext): Promise<void> {
  const { db } = ctx;
  const names = async (ids: number[]) => new Map((await stationList(db, [...new Set(ids)])).map((s) => [s.id, s.name]));

  const table = (v: WarningsView, list: AlertListItem[], stations: Map<number, string>) =>
    dataTable({
      columns: [v.t('wrRule'), v.t('wrStation'), v.t('wrSeverity'), v.t('wrState'), v.t('wrOpened'), v.t('wrDetail')],
      rows: list.map(
        (a) =>
          html`<tr data-alert="${a.id}" data-state="${a.state}">
            <td><a href="/warnings/${a.id}">${a.rule_name}</a></td>
            <td>${stations.get(a.thing_id) ?? `#${a.thing_id}`}</td>
            <td><span class="badge severity-${a.severity}">${v.msg(SEVERITY_LABEL[a.severity as Severity])}</span></td>
            <td>${v.msg(STATE_LABEL[a.state])}${a.level ? html` <span class="muted">(${v.t('wrLevel')} ${a.level})</span>` : ''}</td>
            <td>${formatViDateTime(a.opened_at)}</td>
            <td>${v.lang === 'en' ? a.detail_en : a.detail}</td>
          </tr>`,
      ),
      caption: v.t('wrOpen'),
      hideCaption: true,
    });

  web.get('/warnings', { schema: { hide: true } }, async (req, reply) => {
    const v: WarningsView = viewOf(req, WARNINGS_MESSAGES);
    const all = await listAlerts(db, req.principal, { limit: 200 });
    const open = all.filter((a) => a.state !== 'resolved');
    const past = all.filter((a) => a.state === 'resolved');
    const stations = await names(all.map((a) => a.thing_id));
    const body = html`<h1>${v.t('wrTitle')}</h1>
      <p class="lead">${v.t('wrLead')}</p>
      <p>
        <a href="/warnings/feed.atom">Atom</a> · <a href="/warnings/feed.rss">RSS</a> —
        ${v.t('wrFeeds')}${req.principal.user ? html` · <a href="/warnings/rules">${v.t('wrRules')}</a> · <a href="/warnings/subscriptions">${v.t('wrSubscriptions')}</a>` : ''}
      </p>
      <section aria-labelledby="wr-open">
        <h2 id="wr-open">${v.t('wrOpen')}</h2>
        ${open.length ? table(v, open, stations) : html`<p class="empty">${v.t('wrNone')}</p>`}
      </section>
      <section aria-labelledby="wr-past">
        <h2 id="wr-past">${v.t('wrHistory')}</h2>
        ${past.length ? table(v, past, stations) : html`<p class="empty">${v.t('wrNone')}</p>`}
      </section>`;
    return sendHtml(reply, layout(v, { title: v.t('wrTitle'), description: v.t('wrLead'), body }));
  });

  const rulesPage = async (req: FastifyRequest, values: Values, error?: FormError) => {
    const v: WarningsView = viewOf(req, WARNINGS_MESSAGES);
    const rules = await listRules(db, req.principal);
    const editable = orgsWithRole(req.principal, 'editor');
    const orgs = await organizationsByIds(db, [...new Set([...editable, ...rules.map((r) => r.org_id)])]);
    const orgName = new Map(orgs.map((o) => [o.id, o.name]));
    const stations = await stationList(db);
    const stationName = new Map(stations.map((s) => [s.id, s.name]));
    const form = editable.length
      ? ruleForm(v, { action: '/warnings/rules', values, error, orgs: editable.map((o) => ({ id: o, name: orgName.get(o) ?? o })), stations, edit: false })
      : html`<p class="empty">${v.t('wrNoUnits')}</p>`;
    const body = html`${breadcrumb(v, [{ href: '/warnings', label: v.t('wrTitle') }, { label: v.t('wrRules') }])}
      <h1>${v.t('wrRules')}</h1>
      ${(req.query as { msg?: string }).msg === 'saved' ? html`<div class="alert alert-success" role="status">${v.t('wrSaved')}</div>` : ''}
      ${dataTable({
        columns: [v.t('wrName'), v.t('wrUnit'), v.t('wrKind'), v.t('wrStation'), v.t('wrParameter'), v.t('wrThreshold'), v.t('wrSeverity'), v.t('wrEnabled')],
        rows: rules.map(
          (r) =>
            html`<tr>
              <td>${hasOrgRole(req.principal, r.org_id, 'editor') ? html`<a href="/warnings/rules/${r.id}">${r.name}</a>` : r.name}</td>
              <td>${orgName.get(r.org_id) ?? ''}</td>
              <td>${v.msg(KIND_LABEL[r.kind])}</td>
              <td>${r.thing_id === null ? v.t('wrAllStations') : (stationName.get(r.thing_id) ?? `#${r.thing_id}`)}</td>
              <td>${r.parameter}</td>
              <td>${r.threshold.toLocaleString(v.lang === 'en' ? 'en-GB' : 'vi-VN')}</td>
              <td>${v.msg(SEVERITY_LABEL[r.severity])}</td>
              <td>${r.enabled ? '✓' : '—'}</td>
            </tr>`,
        ),
        caption: v.t('wrRules'),
        hideCaption: true,
      })}
      <h2>${v.t('wrNewRule')}</h2>
      ${form}`;
    return layout(v, { title: v.t('wrRules'), body, noindex: true });
  };

  web.get('/warnings/rules', { schema: { hide: true }, preHandler: requireSignedIn }, async (req, reply) => sendHtml(reply, await rulesPage(req, {})));
  web.post('/warnings/rules', { schema: { hide: true }, preHandler: requireSignedIn }, async (req, reply) => {
    const values = allFields(req.body);
    const input = inputOfRuleForm(values, false);
    try {
      await createRule(db, req.principal, actorOf(req), input);
      return reply.redirect('/warnings/rules?msg=saved', 303);
    } catch (e) {
      const { status, error } = formErrorOf(e, viewOf(req, WARNINGS_MESSAGES));
      return sendHtml(reply, await rulesPage(req, values, error), status);
    }
  });

  const editPage = async (req: IdReq, values: Values | undefined, error?: FormError) => {
    const v: WarningsView = viewOf(req, WARNINGS_MESSAGES);
    const rule = await getRule(db, req.principal, req.params.id);
    requireOrgRole(req.principal, rule.org_id, 'editor');
    const body = html`${breadcrumb(v, [{ href: '/warnings', label: v.t('wrTitle') }, { href: '/warnings/rules', label: v.t('wrRules') }, { label: rule.name }])}
      <h1>${rule.name}</h1>
      ${ruleForm(v, { action: `/warnings/rules/${rule.id}`, values: values ?? valuesOfRule(rule), error, stations: await stationList(db), edit: true })}`;
    return layout(v, { title: rule.name, body, noindex: true });
  };
  web.get('/warnings/rules/:id', { schema: { hide: true }, preHandler: requireSignedIn }, async (req: IdReq, reply) =>
    sendHtml(reply, await editPage(req, undefined)),
  );
  web.post('/warnings/rules/:id', { schema: { hide: true }, preHandler: requireSignedIn }, async (req: IdReq, reply) => {
    const values = allFields(req.body);
    try {
      await updateRule(db, req.principal, actorOf(req), req.params.id, inputOfRuleForm(values, true));
      return reply.redirect('/warnings/rules?msg=saved', 303);
    } catch (e) {
      const { status, error } = formErrorOf(e, viewOf(req, WARNINGS_MESSAGES));
      if (!error) throw e;
      return sendHtml(reply, await editPage(req, values, error), status);
    }
  });

  web.get('/warnings/:id', { schema: { hide: true } }, async (req: IdReq, reply) => {
    const v: WarningsView = viewOf(req, WARNINGS_MESSAGES);
    const { alert, rule, events } = await getAlert(db, req.principal, req.params.id);
    const station = (await names([alert.thing_id])).get(alert.thing_id) ?? `#${alert.thing_id}`;
    const canAck = alert.state === 'open' && hasOrgRole(req.principal, rule.org_id, 'editor');
    const body = html`${breadcrumb(v, [{ href: '/warnings', label: v.t('wrTitle') }, { label: rule.name }])}
      <h1>${rule.name} — ${station}</h1>
      ${req.query.msg === 'acked' ? html`<div class="alert alert-success" role="status">${v.t('wrAcked')}</div>` : ''}
      <dl class="facts">
        <dt>${v.t('wrState')}</dt>
        <dd data-alert-state>${v.msg(STATE_LABEL[alert.state])}</dd>
        <dt>${v.t('wrKind')}</dt>
        <dd>${v.msg(KIND_LABEL[rule.kind])}</dd>
        <dt>${v.t('wrSeverity')}</dt>
        <dd>${v.msg(SEVERITY_LABEL[rule.severity])}</dd>
        <dt>${v.t('wrDetail')}</dt>
        <dd>${v.lang === 'en' ? alert.detail_en : alert.detail}</dd>
        <dt>${v.t('wrPeak')}</dt>
        <dd>${alert.peak.toLocaleString(v.lang === 'en' ? 'en-GB' : 'vi-VN')}</dd>
        <dt>${v.t('wrLevel')}</dt>
        <dd>${alert.level}</dd>
      </dl>
      <p><a href="/warnings/${alert.id}/cap.xml">CAP 1.2</a></p>
      ${
        canAck
          ? html`<form method="post" action="/warnings/${alert.id}/acknowledge" class="stack">
              ${csrfField(v)} ${input({ idPrefix: 'ack', name: 'note', label: v.t('wrAckNote'), values: {} })}
              <div class="actions"><button type="submit" class="button">${v.t('wrAck')}</button></div>
            </form>`
          : ''
      }
      <h2>${v.t('wrTimeline')}</h2>
      <ol class="timeline">
        ${events.map((e) => html`<li><time datetime="${e.at.toISOString()}">${formatViDateTime(e.at)}</time> — ${v.msg(EVENT_LABEL[e.kind])}${e.note ? html`: ${e.note}` : ''}</li>`)}
      </ol>`;
    return sendHtml(reply, layout(v, { title: rule.name, body }));
  });
  web.post('/warnings/:id/acknowledge', { schema: { hide: true }, preHandler: requireSignedIn }, async (req: IdReq, reply) => {
    await acknowledgeAlert(db, req.principal, actorOf(req), req.params.id, allFields(req.body).note);
    return reply.redirect(`/warnings/${req.params.id}?msg=acked`, 303);
  });
}
