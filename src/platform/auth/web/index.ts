import type { Db } from '../../db/index.js';
import type { App } from '../../http/index.js';
import type { WebPart } from '../../web/index.js';
import { loginPages } from './login.js';
import { AUTH_MESSAGES } from './messages.js';
import { adminTokenPages } from './tokens.js';
import { adminUserPages } from './users.js';

/** The sign-in page and the account administration pages (users for sysadmins, everyone's own tokens). */
export async function authPages(web: App, opts: { db: Db; secureCookies: boolean }): Promise<void> {
  await loginPages(web, opts);
  await adminUserPages(web, opts);
  await adminTokenPages(web, opts);
}

export const authWebPart: WebPart = {
  name: 'auth',
  messages: AUTH_MESSAGES,
  nav: [
    { place: 'admin', order: 10, path: '/admin/users', title: AUTH_MESSAGES.adminUsers, visible: (u) => !!u?.isSysadmin },
    { place: 'admin', order: 20, path: '/admin/tokens', title: AUTH_MESSAGES.adminTokens },
  ],
};
