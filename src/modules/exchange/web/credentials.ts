import { actorOf } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { html, notFound, type App, type Html } from '../../../platform/http/index.js';
import {
  csrfField,
  dataTable,
  errorSummary,
  field,
  formatDate,
  formErrorOf,
  input,
  requireSignedIn,
  select,
  sendHtml,
  UUID_RE,
  viewOf,
  type FormError,
  type Values,
} from '../../../platform/web/index.js';
import { credentialsFor, directory, issueToken, mayManage, withdrawCredential } from '../service.js';
import { EXCHANGE_MESSAGES, type ExchangeView } from './messages.js';
import { code, exchangePage } from './parts.js';

interface State {
  values: Values;
  error?: FormError | undefined;
  issued?: { client: string; token: string } | undefined;
  notice?: string | undefined;
}

async function page(db: Db, req: Parameters<typeof viewOf>[0], s: State): Promise<Html> {
  const v: ExchangeView = viewOf(req, EXCHANGE_MESSAGES);
  const creds = await credentialsFor(db, req.principal);
  const managed = (await directory(db, req.principal)).members
    .filter((m) => mayManage(req.principal, m.organization_id))
    .flatMap((m) => m.subsystems.map((x) => x.key));
  const kind = (k: string) => (k === 'token' ? v.t('xrKindToken') : k === 'cert' ? v.t('xrKindCert') : v.t('xrKindPeer'));
  const rows = creds.map(
    (c) =>
      html`<tr>
        <td>${c.client ? code(c.client) : code(c.peer_instance)}</td>
        <td>${kind(c.kind)}</td>
        <td><code>${c.prefix}…</code></td>
        <td>${c.label ?? ''}</td>
        <td>${formatDate(c.created_at, v.lang)}</td>
        <td>${c.revoked_at ? v.t('xrRevokedState') : v.t('xrActive')}</td>
        <td>
          ${
            c.revoked_at || (c.kind === 'peer' && !v.user?.isSysadmin)
              ? ''
              : html`<form method="post" action="/exchange/credentials/${c.id}/revoke" class="inline-form" data-confirm="${v.t('xrRevokeConfirm')}">
                  ${csrfField(v)}<button type="submit" class="button button-danger">${v.t('xrRevoke')}<span class="visually-hidden"> ${c.prefix}</span></button>
                </form>`
          }
        </td>
      </tr>`,
  );
  const P = 'cred';
  const body = html`<h1>${v.t('xrCredentials')}</h1>
    <p>${v.t('xrCredIntro')}</p>
    ${
      s.issued
        ? html`<section class="panel panel-highlight" aria-labelledby="issued-h" id="issued">
            <h2 id="issued-h">${v.t('xrIssued')}: ${s.issued.client}</h2>
            <label class="visually-hidden" for="issued-token">${v.t('xrIssued')}</label>
            <input id="issued-token" class="token-value" type="text" readonly value="${s.issued.token}" spellcheck="false" autocomplete="off" />
          </section>`
        : ''
    }
    ${creds.length ? dataTable({ columns: [v.t('xrClient'), v.t('xrKind'), v.t('xrPrefix'), v.t('xrLabel'), v.t('xrCreated'), v.t('xrState'), v.t('colActions')], rows }) : html`<p>${v.t('xrCredNone')}</p>`}
    <section class="panel" aria-labelledby="issue-h">
      <h2 id="issue-h">${v.t('xrIssue')}</h2>
      ${
        managed.length
          ? html`${errorSummary(v, s.error, P)}
              <form method="post" action="/exchange/credentials" class="stack">
                ${csrfField(v)}
                ${select({ idPrefix: P, name: 'client', label: v.t('xrSubsystem'), values: s.values, error: s.error, required: true, options: managed.map((k) => ({ value: k, label: k })) })}
                ${input({ idPrefix: P, name: 'label', label: v.t('xrLabel'), values: s.values, error: s.error, autocomplete: 'off' })}
                <button type="submit" class="button">${v.t('xrIssue')}</button>
              </form>`
          : html`<p>${v.t('xrNoManaged')}</p>`
      }
    </section>`;
  return exchangePage(v, { title: v.t('xrCredentials'), current: '/exchange/credentials', body, notice: s.notice });
}

/** /exchange/credentials: client tokens of the subsystems one administers (a new token shown once). */
export function credentialPages(web: App, { db }: { db: Db }): void {
  web.get<{ Querystring: { revoked?: string } }>('/exchange/credentials', { schema: { hide: true }, preHandler: requireSignedIn }, async (req, reply) => {
    const v = viewOf(req, EXCHANGE_MESSAGES);
    return sendHtml(reply, await page(db, req, { values: {}, notice: req.query.revoked ? v.t('xrRevoked') : undefined }));
  });
  web.post('/exchange/credentials', { schema: { hide: true }, preHandler: requireSignedIn }, async (req, reply) => {
    const values: Values = { client: field(req.body, 'client'), label: field(req.body, 'label') };
    try {
      const t = await issueToken(db, req.principal, actorOf(req), (values.client ?? '').trim(), values.label?.trim().slice(0, 200) || null);
      return sendHtml(reply, await page(db, req, { values: {}, issued: { client: values.client!, token: t.token } }), 201);
    } catch (e) {
      const { status, error } = formErrorOf(e, viewOf(req, EXCHANGE_MESSAGES));
      return sendHtml(reply, await page(db, req, { values, error }), status);
    }
  });
  web.post<{ Params: { id: string } }>('/exchange/credentials/:id/revoke', { schema: { hide: true }, preHandler: requireSignedIn }, async (req, reply) => {
    if (!UUID_RE.test(req.params.id)) throw notFound('credential_not_found', { vi: 'Không có thông tin xác thực này.', en: 'No such credential.' });
    await withdrawCredential(db, req.principal, actorOf(req), req.params.id);
    return reply.redirect('/exchange/credentials?revoked=1', 303);
  });
}
