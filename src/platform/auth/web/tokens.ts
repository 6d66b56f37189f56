import { createToken, listTokens, revokeToken } from '../service.js';
import { requireUser } from '../permissions.js';
import { actorOf } from '../hook.js';
import type { ApiToken } from '../index.js';
import {
  dataTable,
  csrfField,
  errorSummary,
  field,
  flash,
  formatDate,
  formErrorOf,
  input,
  layout,
  requireSignedIn,
  sendHtml,
  SHELL_MESSAGES,
  UUID_RE,
  viewOf,
  type FormError,
  type Values,
} from '../../web/index.js';
import { AUTH_MESSAGES, type AuthView } from './messages.js';
import type { Db } from '../../db/index.js';
import { badRequest, html, notFound, type App, type Html } from '../../http/index.js';

function status(v: AuthView, tk: ApiToken): string {
  if (tk.revoked_at) return v.t('statusRevoked');
  if (tk.expires_at && tk.expires_at.getTime() <= Date.now()) return v.t('statusExpired');
  return v.t('statusActive');
}

function createdPanel(v: AuthView, token: string, name: string): Html {
  return html`<section class="panel panel-highlight" aria-labelledby="new-token-h" tabindex="-1" id="new-token">
    <h2 id="new-token-h">${v.t('tokenCreated')}: ${name}</h2>
    <p id="new-token-note">${v.t('tokenOnce')}</p>
    <div class="copy-row">
      <label class="visually-hidden" for="new-token-value">${v.t('tokenValue')}</label>
      <input
        id="new-token-value"
        class="token-value"
        type="text"
        readonly
        value="${token}"
        aria-describedby="new-token-note"
        spellcheck="false"
        autocomplete="off"
      />
      <button type="button" class="button" data-copy="#new-token-value" data-copied-label="${v.t('copied')}" hidden>${v.t('copy')}</button>
    </div>
  </section>`;
}

interface TokensPageState {
  values: Values;
  error?: FormError | undefined;
  notice?: string | undefined;
  created?: { token: string; name: string } | undefined;
}

function tokensPage(v: AuthView, tokens: ApiToken[], s: TokensPageState) {
  const P = 'token';
  const rows = tokens.map(
    (tk) =>
      html`<tr>
        <td>${tk.name}</td>
        <td><code>${tk.prefix}…</code></td>
        <td>${formatDate(tk.created_at, v.lang)}</td>
        <td>${tk.expires_at ? formatDate(tk.expires_at, v.lang) : v.t('never')}</td>
        <td>${tk.last_used_at ? formatDate(tk.last_used_at, v.lang) : '—'}</td>
        <td>${status(v, tk)}</td>
        <td>
          ${
            tk.revoked_at
              ? ''
              : html`<form method="post" action="/admin/tokens/${tk.id}/revoke" class="inline-form" data-confirm="${v.t('revokeConfirm', { name: tk.name })}">
                  ${csrfField(v)}<button type="submit" class="button button-danger">${v.t('revoke')}<span class="visually-hidden"> ${tk.name}</span></button>
                </form>`
          }
        </td>
      </tr>`,
  );
  const body = html`<h1>${v.t('adminTokens')}</h1>
    ${flash(s.notice)} ${s.created ? createdPanel(v, s.created.token, s.created.name) : ''}
    <section aria-labelledby="tokens-h">
      <h2 id="tokens-h">${v.t('tokensList')}</h2>
      ${
        tokens.length
          ? html`${dataTable({ columns: [v.t('fieldTokenName'), v.t('colPrefix'), v.t('colCreated'), v.t('colExpires'), v.t('colLastUsed'), v.t('colStatus'), v.t('colActions')], rows: rows })}`
          : html`<p>${v.t('tokensEmpty')}</p>`
      }
    </section>
    <section aria-labelledby="create-token-h" class="panel">
      <h2 id="create-token-h">${v.t('tokenCreate')}</h2>
      ${errorSummary(v, s.error, P)}
      <form method="post" action="/admin/tokens" class="stack">
        ${csrfField(v)}
        ${input({ idPrefix: P, name: 'name', label: v.t('fieldTokenName'), values: s.values, error: s.error, required: true, autocomplete: 'off' })}
        ${input({ idPrefix: P, name: 'expiresIn', label: v.t('fieldExpires'), values: s.values, error: s.error, hint: v.t('fieldExpiresHint'), autocomplete: 'off' })}
        <button type="submit" class="button">${v.t('create')}</button>
      </form>
    </section>`;
  return layout(v, { title: v.t('adminTokens'), body, noindex: true });
}

/** /admin/tokens: the signed-in user's API tokens; a new token is shown once, never stored in clear. */
export async function adminTokenPages(app: App, { db }: { db: Db }): Promise<void> {
  app.get<{ Querystring: { revoked?: string } }>('/admin/tokens', { schema: { hide: true }, preHandler: requireSignedIn }, async (req, reply) => {
    const user = requireUser(req.principal);
    const v = viewOf(req, AUTH_MESSAGES);
    const tokens = await listTokens(db, req.principal, user.id);
    return sendHtml(reply, tokensPage(v, tokens, { values: { expiresIn: '90d' }, notice: req.query.revoked ? v.t('tokenRevoked') : undefined }));
  });

  app.post('/admin/tokens', { schema: { hide: true }, preHandler: requireSignedIn }, async (req, reply) => {
    const user = requireUser(req.principal);
    const v = viewOf(req, AUTH_MESSAGES);
    const values: Values = { name: field(req.body, 'name'), expiresIn: field(req.body, 'expiresIn').trim() };
    try {
      if (!values.name!.trim()) throw badRequest('required', SHELL_MESSAGES.required, 'name');
      if (values.name!.length > 100)
        throw badRequest('too_long', { vi: 'Tên quá dài (tối đa 100 ký tự).', en: 'The name is too long (100 characters at most).' }, 'name');
      if (values.expiresIn!.length > 10)
        throw badRequest('invalid_duration', { vi: 'Thời hạn không hợp lệ (ví dụ: 30d, 12h, 1y).', en: 'Invalid duration (e.g. 30d, 12h, 1y).' }, 'expiresIn');
      const created = await createToken(db, req.principal, actorOf(req), user.id, { name: values.name!, expiresIn: values.expiresIn || undefined });
      const tokens = await listTokens(db, req.principal, user.id);
      return sendHtml(reply, tokensPage(v, tokens, { values: { expiresIn: '90d' }, created: { token: created.token, name: created.row.name } }), 201);
    } catch (e) {
      const { status: code, error } = formErrorOf(e, v);
      const tokens = await listTokens(db, req.principal, user.id);
      return sendHtml(reply, tokensPage(v, tokens, { values, error }), code);
    }
  });

  app.post<{ Params: { id: string } }>('/admin/tokens/:id/revoke', { schema: { hide: true }, preHandler: requireSignedIn }, async (req, reply) => {
    if (!UUID_RE.test(req.params.id)) throw notFound('token_not_found', { vi: 'Không tìm thấy token.', en: 'Token not found.' }, 'id');
    await revokeToken(db, req.principal, actorOf(req), req.params.id);
    return reply.redirect('/admin/tokens?revoked=1', 303);
  });
}
