import { actorOf } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { html, notFound, type App, type Html } from '../../../platform/http/index.js';
import {
  csrfField,
  dataTable,
  errorSummary,
  field,
  formErrorOf,
  input,
  requireSignedIn,
  sendHtml,
  UUID_RE,
  viewOf,
  type FormError,
  type Values,
} from '../../../platform/web/index.js';
import { openApiDocument, openApiEndpoints } from '../registry/openapi.js';
import { directory, grantAccess, mayManage, revokeAccess, serviceDetail, type ServiceDetail } from '../service.js';
import { EXCHANGE_MESSAGES, type ExchangeView } from './messages.js';
import { code, exchangePage } from './parts.js';

function directoryBody(v: ExchangeView, d: Awaited<ReturnType<typeof directory>>): Html {
  if (!d.members.length)
    return html`<p>${v.t('xrIntro')}</p>
      <p>${v.t('xrNoMembers')}</p>`;
  const limit = (n: number | null) => (n ? String(n) : v.t('xrNoLimit'));
  return html`<p>${v.t('xrIntro')}</p>
    <p>${v.t('xrInstance')}: ${code(d.instance)}</p>
    <h2>${v.t('xrDirectory')}</h2>
    <ul class="xr-directory">
      ${d.members.map(
        (m) =>
          html`<li>
            <h3>${m.name} <small>${code(m.key)}</small></h3>
            <ul>
              ${m.subsystems.map(
                (s) =>
                  html`<li>
                    ${v.t('xrSubsystem')} ${code(s.code)}${s.name ? html` — ${s.name}` : ''}
                    <small>(${v.t('xrLimits', { minute: limit(s.rate_per_minute), day: limit(s.quota_per_day) })})</small>
                    ${
                      s.services.length
                        ? html`<ul>
                            ${s.services.map((x) => html`<li><a href="/exchange/services/${x.id}">${x.code}</a> ${code(x.key)}</li>`)}
                          </ul>`
                        : html` — ${v.t('xrNoServices')}`
                    }
                  </li>`,
              )}
            </ul>
          </li>`,
      )}
    </ul>`;
}

/** The OpenAPI description rendered as a table of its endpoints. */
function openApiBody(v: ExchangeView, text: string | null): Html {
  if (!text) return html`<p>${v.t('xrNoOpenApi')}</p>`;
  let doc: Record<string, unknown>;
  try {
    doc = openApiDocument(text);
  } catch {
    return html`<p>${v.t('xrNoOpenApi')}</p>`;
  }
  const info = (doc.info ?? {}) as { title?: string; version?: string; description?: string };
  const paths = doc.paths as Record<string, Record<string, { parameters?: { name?: string; in?: string }[]; responses?: Record<string, unknown> }>>;
  const rows = openApiEndpoints(doc).map((e) => {
    const op = paths[e.template]?.[e.method.toLowerCase()] ?? {};
    const params = (op.parameters ?? []).map((p) => `${p.name ?? '?'} (${p.in ?? ''})`).join(', ');
    return html`<tr>
      <td><code>${e.method}</code></td>
      <td><code>${e.template}</code></td>
      <td>${e.summary ?? ''}</td>
      <td>${params}</td>
      <td>${Object.keys(op.responses ?? {}).join(', ')}</td>
    </tr>`;
  });
  return html`<p><strong>${info.title ?? ''}</strong>${info.version ? html` · ${info.version}` : ''}</p>
    ${info.description ? html`<p>${info.description}</p>` : ''}
    ${dataTable({ columns: [v.t('xrMethod'), v.t('xrPath'), v.t('xrSummary'), v.t('xrParams'), v.t('xrResponses')], rows, caption: v.t('xrOpenApi'), hideCaption: true })}`;
}

function serviceBody(v: ExchangeView, s: ServiceDetail, canManage: boolean, form: { values: Values; error?: FormError | undefined }): Html {
  const P = 'grant';
  const policy = s.log_bodies ? v.t('xrLogBodies') : v.t('xrLogMeta');
  const access = s.access.map(
    (a) =>
      html`<tr>
        <td>${code(a.client)}</td>
        <td>${a.method === '*' && a.path === '/**' ? v.t('xrEvery') : html`<code>${a.method} ${a.path}</code>`}</td>
        ${
          canManage
            ? html`<td>
                <form method="post" action="/exchange/access/${a.id}/revoke" class="inline-form" data-confirm="${v.t('xrRevokeConfirm')}">
                  ${csrfField(v)}<button type="submit" class="button button-danger">${v.t('xrRevoke')}<span class="visually-hidden"> ${a.client}</span></button>
                </form>
              </td>`
            : ''
        }
      </tr>`,
  );
  return html`<h1>${s.code}</h1>
    <dl class="facts">
      <dt>${v.t('xrService')}</dt>
      <dd>${code(s.key)}</dd>
      <dt>${v.t('xrProvider')}</dt>
      <dd>${s.member_name}</dd>
      <dt>${v.t('xrCallAs')}</dt>
      <dd><code>/r1/${s.key}/…</code></dd>
      ${
        canManage
          ? html`<dt>${v.t('xrAddress')}</dt>
              <dd>${code(s.url)}</dd>`
          : ''
      }
      <dt>${v.t('xrTimeout')}</dt>
      <dd>${s.timeout_ms} ms</dd>
      <dt>${v.t('xrLogPolicy')}</dt>
      <dd>${policy}${s.durable_log ? html`, ${v.t('xrLogDurable')}` : ''}</dd>
    </dl>
    <section aria-labelledby="openapi-h">
      <h2 id="openapi-h">${v.t('xrOpenApi')}</h2>
      ${openApiBody(v, s.openapi)}
    </section>
    <section aria-labelledby="access-h">
      <h2 id="access-h">${v.t('xrAccess')}</h2>
      ${
        s.access.length
          ? dataTable({ columns: [v.t('xrClient'), v.t('xrEndpoint'), ...(canManage ? [v.t('colActions')] : [])], rows: access })
          : html`<p>${v.t('xrAccessNone')}</p>`
      }
      ${
        canManage
          ? html`<form method="post" action="/exchange/services/${s.id}/access" class="stack panel">
              ${errorSummary(v, form.error, P)} ${csrfField(v)}
              ${input({ idPrefix: P, name: 'client', label: v.t('xrClient'), values: form.values, error: form.error, required: true, hint: v.t('xrClientHint'), autocomplete: 'off' })}
              ${input({ idPrefix: P, name: 'endpoint', label: v.t('xrEndpoint'), values: form.values, error: form.error, hint: v.t('xrEndpointHint'), autocomplete: 'off' })}
              <button type="submit" class="button">${v.t('xrGrant')}</button>
            </form>`
          : ''
      }
    </section>`;
}

/** /exchange (the directory) and /exchange/services/:id (a service, its OpenAPI and its access rights). */
export function directoryPages(web: App, { db }: { db: Db }): void {
  web.get('/exchange', { schema: { hide: true }, preHandler: requireSignedIn }, async (req, reply) => {
    const v = viewOf(req, EXCHANGE_MESSAGES);
    return sendHtml(
      reply,
      exchangePage(v, { title: v.t('xrTitle'), current: '/exchange', body: directoryBody(v, await directory(db, req.principal)), crumbs: [] }),
    );
  });

  const render = async (req: Parameters<typeof viewOf>[0], id: string, form: { values: Values; error?: FormError | undefined }, notice?: string) => {
    const v = viewOf(req, EXCHANGE_MESSAGES);
    if (!UUID_RE.test(id)) throw notFound('service_not_found', { vi: 'Không có dịch vụ này.', en: 'No such service.' });
    const s = await serviceDetail(db, req.principal, id);
    return exchangePage(v, { title: s.code, current: '/exchange', notice, body: serviceBody(v, s, mayManage(req.principal, s.organization_id), form) });
  };

  web.get<{ Params: { id: string }; Querystring: { done?: string } }>(
    '/exchange/services/:id',
    { schema: { hide: true }, preHandler: requireSignedIn },
    async (req, reply) => {
      const v = viewOf(req, EXCHANGE_MESSAGES);
      const notice = req.query.done === 'granted' ? v.t('xrGranted') : req.query.done === 'revoked' ? v.t('xrRevoked') : undefined;
      return sendHtml(reply, await render(req, req.params.id, { values: {} }, notice));
    },
  );

  web.post<{ Params: { id: string } }>('/exchange/services/:id/access', { schema: { hide: true }, preHandler: requireSignedIn }, async (req, reply) => {
    const values: Values = { client: field(req.body, 'client'), endpoint: field(req.body, 'endpoint') };
    try {
      if (!UUID_RE.test(req.params.id)) throw notFound('service_not_found', { vi: 'Không có dịch vụ này.', en: 'No such service.' });
      await grantAccess(db, req.principal, actorOf(req), req.params.id, { client: values.client ?? '', endpoint: values.endpoint });
      return reply.redirect(`/exchange/services/${req.params.id}?done=granted`, 303);
    } catch (e) {
      const { status, error } = formErrorOf(e, viewOf(req, EXCHANGE_MESSAGES));
      return sendHtml(reply, await render(req, req.params.id, { values, error }), status);
    }
  });

  web.post<{ Params: { id: string } }>('/exchange/access/:id/revoke', { schema: { hide: true }, preHandler: requireSignedIn }, async (req, reply) => {
    if (!UUID_RE.test(req.params.id)) throw notFound('access_not_found', { vi: 'Không có quyền này.', en: 'No such access right.' });
    const serviceId = await revokeAccess(db, req.principal, actorOf(req), req.params.id);
    return reply.redirect(`/exchange/services/${serviceId}?done=revoked`, 303);
  });
}
