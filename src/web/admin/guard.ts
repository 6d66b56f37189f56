import type { FastifyReply, FastifyRequest } from 'fastify';
import { html, type Html } from '../../platform/http/index.js';
import type { View } from '../view.js';

/**
 * preHandler for every admin page: anonymous visitors go to the login form and come back here.
 * (Sysadmin-only pages then call requireSysadmin, whose 403 the web error handler renders.)
 */
export async function requireSignedIn(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  if (req.principal.user) return undefined;
  const pathname = new URL(req.url, 'http://x').pathname;
  const back = req.method === 'GET' ? req.url : (/^\/admin\/[a-z]+/.exec(pathname)?.[0] ?? '/');
  return reply.redirect(`/login?next=${encodeURIComponent(back)}`, 303);
}

export const flash = (message: string | null | undefined): Html => (message ? html`<div class="alert alert-success" role="status">${message}</div>` : html``);

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const yesNo = (v: View, b: boolean): string => (b ? v.t('yes') : v.t('no'));
