import { createUser, listUsers } from '../service.js';
import { requireSysadmin } from '../permissions.js';
import { actorOf } from '../hook.js';
import type { User } from '../index.js';
import {
  dataTable,
  csrfField,
  checkbox,
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
  viewOf,
  type FormError,
  type Values,
} from '../../web/index.js';
import { AUTH_MESSAGES, type AuthView } from './messages.js';
import type { Db } from '../../db/index.js';
import { badRequest, html, type App } from '../../http/index.js';

function usersPage(v: AuthView, users: User[], total: number, values: Values, error?: FormError, notice?: string) {
  const P = 'user';
  const body = html`<h1>${v.t('adminUsers')}</h1>
    ${flash(notice)}
    <section aria-labelledby="users-h">
      <h2 id="users-h">${v.t('usersList', { n: total })}</h2>
      ${dataTable({
        columns: [v.t('colEmail'), v.t('colName'), v.t('colRole'), v.t('colStatus'), v.t('colCreated')],
        rows: users.map(
          (u) =>
            html`<tr>
              <td>${u.email}</td>
              <td>${u.name}</td>
              <td>${u.is_sysadmin ? v.t('roleSysadmin') : v.t('roleUser')}</td>
              <td>${u.disabled ? v.t('statusDisabled') : v.t('statusActive')}</td>
              <td>${formatDate(u.created_at, v.lang)}</td>
            </tr>`,
        ),
      })}
    </section>
    <section aria-labelledby="create-user-h" class="panel">
      <h2 id="create-user-h">${v.t('userCreate')}</h2>
      ${errorSummary(v, error, P)}
      <form method="post" action="/admin/users" class="stack">
        ${csrfField(v)} ${input({ idPrefix: P, name: 'email', label: v.t('fieldEmail'), values, error, type: 'email', required: true, autocomplete: 'off' })}
        ${input({ idPrefix: P, name: 'name', label: v.t('fieldName'), values, error, required: true, autocomplete: 'off' })}
        ${input({ idPrefix: P, name: 'password', label: v.t('fieldPassword'), values, error, type: 'password', required: true, autocomplete: 'new-password' })}
        ${checkbox({ idPrefix: P, name: 'isSysadmin', label: v.t('fieldSysadmin'), checked: values.isSysadmin === 'on' })}
        <button type="submit" class="button">${v.t('create')}</button>
      </form>
    </section>`;
  return layout(v, { title: v.t('adminUsers'), body, noindex: true });
}

/** /admin/users: the list of users and the form to add one (sysadmins only). */
export async function adminUserPages(app: App, { db }: { db: Db }): Promise<void> {
  const load = (req: Parameters<typeof viewOf>[0]) => listUsers(db, req.principal, 500, 0);

  app.get<{ Querystring: { created?: string } }>('/admin/users', { schema: { hide: true }, preHandler: requireSignedIn }, async (req, reply) => {
    requireSysadmin(req.principal);
    const v = viewOf(req, AUTH_MESSAGES);
    const { items, total } = await load(req);
    const notice = req.query.created ? v.t('userCreated', { email: req.query.created }) : undefined;
    return sendHtml(reply, usersPage(v, items, total, {}, undefined, notice));
  });

  app.post('/admin/users', { schema: { hide: true }, preHandler: requireSignedIn }, async (req, reply) => {
    requireSysadmin(req.principal);
    const v = viewOf(req, AUTH_MESSAGES);
    const values: Values = { email: field(req.body, 'email'), name: field(req.body, 'name'), isSysadmin: field(req.body, 'isSysadmin') };
    const password = field(req.body, 'password');
    try {
      if (!values.email!.trim()) throw badRequest('required', SHELL_MESSAGES.required, 'email');
      if (!values.name!.trim()) throw badRequest('required', SHELL_MESSAGES.required, 'name');
      if (!password) throw badRequest('required', SHELL_MESSAGES.required, 'password');
      if (values.name!.length > 200)
        throw badRequest('too_long', { vi: 'Tên quá dài (tối đa 200 ký tự).', en: 'The name is too long (200 characters at most).' }, 'name');
      const user = await createUser(db, req.principal, actorOf(req), {
        email: values.email!,
        name: values.name!,
        password,
        isSysadmin: values.isSysadmin === 'on',
      });
      return reply.redirect(`/admin/users?created=${encodeURIComponent(user.email)}`, 303);
    } catch (e) {
      const { status, error } = formErrorOf(e, v);
      const { items, total } = await load(req);
      return sendHtml(reply, usersPage(v, items, total, values, error), status);
    }
  });
}
