import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PrincipalUser } from '../platform/auth/index.js';
import type { Html } from '../platform/http/index.js';
import type { Lang } from '../platform/i18n/index.js';
import type { Assets } from './assets.js';
import { t, type MsgKey } from './messages.js';

/** Everything a page needs to know about the request it renders for. */
export interface View {
  lang: Lang;
  user: PrincipalUser | null;
  csrf: string | null;
  /** Path and query of the current request. */
  url: string;
  assets: Assets;
  t: (key: MsgKey, params?: Record<string, string | number>) => string;
}

export function viewOf(req: FastifyRequest, assets: Assets): View {
  const lang = req.lang;
  return {
    lang,
    user: req.principal.user,
    csrf: req.principal.csrfToken,
    url: req.url,
    assets,
    t: (key, params) => t(lang, key, params),
  };
}

export const sendHtml = (reply: FastifyReply, body: Html, status = 200): FastifyReply =>
  reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body.value);

/** Same-site relative paths only: "/x" but never "//host", "/\\host" or anything with a scheme. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (/[\u0000-\u001f\\]/.test(next)) return '/';
  return next;
}

/** Form bodies arrive as string records (repeated keys as arrays); this reads one string field. */
export function field(body: unknown, name: string): string {
  if (!body || typeof body !== 'object') return '';
  const v = (body as Record<string, unknown>)[name];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s : '';
}

export const formatDate = (d: Date | null, lang: Lang): string =>
  d ? d.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' }) : '';
