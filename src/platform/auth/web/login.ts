import { login, logout } from '../service.js';
import { actorOf, SESSION_COOKIE } from '../hook.js';
import { csrfField, field, input, layout, safeNext, sendHtml, viewOf, type FormError, type Values } from '../../web/index.js';
import { AUTH_MESSAGES, type AuthView } from './messages.js';
import type { Db } from '../../db/index.js';
import { html, isAppError, type App } from '../../http/index.js';

function loginForm(v: AuthView, next: string, values: Values, error?: FormError): ReturnType<typeof layout> {
  const body = html`<div class="narrow">
    <h1>${v.t('loginTitle')}</h1>
    <p>${v.t('loginIntro')}</p>
    ${error ? html`<div class="alert alert-error" role="alert" id="login-error">${error.message}</div>` : ''}
    <form method="post" action="/login" class="stack" ${error ? html` aria-describedby="login-error"` : ''}>
      ${csrfField(v)}
      <input type="hidden" name="next" value="${next}" />
      ${input({ idPrefix: 'login', name: 'email', label: v.t('fieldEmail'), values, type: 'email', required: true, autocomplete: 'username' })}
      ${input({ idPrefix: 'login', name: 'password', label: v.t('fieldPassword'), values, type: 'password', required: true, autocomplete: 'current-password' })}
      <button type="submit" class="button">${v.t('signIn')}</button>
    </form>
  </div>`;
  return layout(v, { title: v.t('loginTitle'), body, noindex: true });
}

export async function loginPages(app: App, { db, secureCookies }: { db: Db; secureCookies: boolean }): Promise<void> {
  app.get<{ Querystring: { next?: string } }>('/login', { schema: { hide: true } }, async (req, reply) => {
    const v = viewOf(req, AUTH_MESSAGES);
    return sendHtml(reply, loginForm(v, safeNext(req.query.next), {}));
  });

  app.post('/login', { schema: { hide: true }, config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (req, reply) => {
    const v = viewOf(req, AUTH_MESSAGES);
    const next = safeNext(field(req.body, 'next'));
    const email = field(req.body, 'email');
    const password = field(req.body, 'password');
    try {
      const s = await login(db, actorOf(req), { email, password, userAgent: req.headers['user-agent'] });
      void reply.setCookie(SESSION_COOKIE, s.sessionId, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies, expires: s.expiresAt });
      return reply.redirect(next, 303);
    } catch (e) {
      if (!isAppError(e) || e.status !== 401) throw e;
      return sendHtml(reply, loginForm(v, next, { email }, { field: undefined, message: v.t('loginFailed') }), 401);
    }
  });

  app.post('/logout', { schema: { hide: true } }, async (req, reply) => {
    const sid = req.cookies[SESSION_COOKIE];
    if (sid && req.principal.user) await logout(db, actorOf(req), sid);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/', 303);
  });
}
