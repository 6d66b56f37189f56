import type { FastifyRequest } from 'fastify';
import { actorOf, orgsWithRole } from '../../../platform/auth/index.js';
import { html, type App } from '../../../platform/http/index.js';
import type { SecretBox } from '../../../platform/crypto/index.js';
import type { ModuleContext } from '../../../platform/module.js';
import {
  allFields,
  breadcrumb,
  csrfField,
  dataTable,
  errorSummary,
  formErrorOf,
  input,
  layout,
  requireSignedIn,
  select,
  sendHtml,
  viewOf,
  type FormError,
  type Values,
} from '../../../platform/web/index.js';
import { organizationsByIds } from '../../organizations/index.js';
import { addSubscription, listSubscriptions, removeSubscription } from '../subscriptions.js';
import { SEVERITIES, type Severity } from '../tables.js';
import { SEVERITY_LABEL, WARNINGS_MESSAGES, type WarningsView } from './messages.js';

/** `/warnings/subscriptions`: a person's own subscriptions and their units' (admins), added by e-mail or webhook, removed; a webhook's secret shown once. */
export function subscriptionsPages(web: App, ctx: ModuleContext, box: () => SecretBox): void {
  const { db } = ctx;
  const page = async (req: FastifyRequest, values: Values, error?: FormError, secret?: string) => {
    const v: WarningsView = viewOf(req, WARNINGS_MESSAGES);
    const subs = await listSubscriptions(db, req.principal);
    const admin = orgsWithRole(req.principal, 'admin');
    const orgs = new Map((await organizationsByIds(db, [...new Set([...admin, ...subs.flatMap((s) => (s.org ? [s.org] : []))])])).map((o) => [o.id, o.name]));
    const msg = (req.query as { msg?: string }).msg;
    const id = 'sub';
    const body = html`${breadcrumb(v, [{ href: '/warnings', label: v.t('wrTitle') }, { label: v.t('wrSubscriptions') }])}
      <h1>${v.t('wrSubscriptions')}</h1>
      <p class="lead">${v.t('wrSubLead')}</p>
      ${msg === 'added' ? html`<div class="alert alert-success" role="status">${v.t('wrSubAdded')}</div>` : ''}
      ${msg === 'removed' ? html`<div class="alert alert-success" role="status">${v.t('wrSubRemoved')}</div>` : ''}
      ${secret ? html`<div class="alert alert-success" role="status">${v.t('wrSubAdded')} ${v.t('wrSecret')} <code data-secret>${secret}</code></div>` : ''}
      ${
        subs.length
          ? dataTable({
              columns: [v.t('wrFor'), v.t('wrChannel'), v.t('wrAddress'), v.t('wrMinSeverity'), ''],
              rows: subs.map(
                (s) =>
                  html`<tr data-subscription="${s.id}">
                    <td>${s.org ? (orgs.get(s.org) ?? s.org) : v.t('wrMine')}</td>
                    <td>${s.channel}</td>
                    <td>${s.address}</td>
                    <td>${v.msg(SEVERITY_LABEL[s.minSeverity])}</td>
                    <td>
                      <form method="post" action="/warnings/subscriptions/${s.id}/delete">
                        ${csrfField(v)}<button type="submit" class="button button-secondary">${v.t('wrUnsubscribe')}</button>
                      </form>
                    </td>
                  </tr>`,
              ),
              caption: v.t('wrSubscriptions'),
              hideCaption: true,
            })
          : html`<p class="empty">${v.t('wrSubNone')}</p>`
      }
      <form method="post" action="/warnings/subscriptions" class="stack" novalidate>
        ${errorSummary(v, error, id)} ${csrfField(v)}
        ${admin.length ? select({ idPrefix: id, name: 'org', label: v.t('wrFor'), values, error, options: [{ value: '', label: v.t('wrMine') }, ...admin.map((o) => ({ value: o, label: orgs.get(o) ?? o }))] }) : ''}
        ${select({
          idPrefix: id,
          name: 'channel',
          label: v.t('wrChannel'),
          values,
          error,
          options: [
            { value: 'email', label: 'E-mail' },
            { value: 'webhook', label: 'Webhook' },
          ],
        })}
        ${input({ idPrefix: id, name: 'address', label: v.t('wrAddress'), values, error, required: true })}
        ${select({ idPrefix: id, name: 'minSeverity', label: v.t('wrMinSeverity'), values, error, options: SEVERITIES.map((s) => ({ value: s, label: v.msg(SEVERITY_LABEL[s]) })) })}
        <div class="actions"><button type="submit" class="button">${v.t('wrSubscribe')}</button></div>
      </form>`;
    return layout(v, { title: v.t('wrSubscriptions'), body, noindex: true });
  };
  const signedIn = { schema: { hide: true }, preHandler: requireSignedIn };
  web.get('/warnings/subscriptions', signedIn, async (req, reply) => sendHtml(reply, await page(req, {})));
  web.post('/warnings/subscriptions', signedIn, async (req, reply) => {
    const values = allFields(req.body);
    try {
      const added = await addSubscription(db, req.principal, actorOf(req), box, {
        org: values.org || null,
        channel: values.channel,
        address: values.address,
        minSeverity: values.minSeverity as Severity,
      });
      // A webhook's secret is shown on this answer only; an e-mail subscription goes back to the list.
      if ('secret' in added && added.secret) return sendHtml(reply, await page(req, {}, undefined, added.secret));
      return reply.redirect('/warnings/subscriptions?msg=added', 303);
    } catch (e) {
      const { status, error } = formErrorOf(e, viewOf(req, WARNINGS_MESSAGES));
      if (!error) throw e;
      return sendHtml(reply, await page(req, values, error), status);
    }
  });
  web.post<{ Params: { id: string } }>('/warnings/subscriptions/:id/delete', signedIn, async (req, reply) => {
    await removeSubscription(db, req.principal, actorOf(req), req.params.id);
    return reply.redirect('/warnings/subscriptions?msg=removed', 303);
  });
}
