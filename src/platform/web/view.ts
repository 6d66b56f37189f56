import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PrincipalUser } from '../auth/index.js';
import type { Html } from '../http/index.js';
import { format, type Catalog, type Lang, type Msg } from '../i18n/index.js';
import { SHELL_MESSAGES, type ShellKey } from './messages.js';
import type { Shell } from './shell-parts.js';

type Params = Record<string, string | number>;

/**
 * Everything a page needs to know about the request it renders for. `K` are the message keys `t`
 * accepts: the shell's, plus those of the page's own module (`viewOf(req, CATALOG)`), typed (no
 * casts, no keys built from strings).
 */
export interface View<K extends string = ShellKey> {
  lang: Lang;
  user: PrincipalUser | null;
  csrf: string | null;
  /** Path and query of the current request. */
  url: string;
  shell: Shell;
  t: (key: K, params?: Params) => string;
  /** Any bilingual message in the reader's language (coded values, service errors). */
  msg: (m: Msg, params?: Params) => string;
}

/** The view of a request under the web shell, with the shell's messages and, given, a module's. */
export function viewOf<K extends string = never>(req: FastifyRequest, catalog?: Catalog<K>): View<K | ShellKey> {
  const lang = req.lang;
  const shell = req.shell;
  if (!shell) throw new Error('viewOf outside the web shell');
  return {
    lang,
    user: req.principal.user,
    csrf: req.principal.csrfToken,
    url: req.url,
    shell,
    t: (key, params) => format((catalog as Catalog<string> | undefined)?.[key] ?? SHELL_MESSAGES[key as ShellKey], lang, params),
    msg: (m, params) => format(m, lang, params),
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

/** Every string field of a form body (the first of a repeated key), for forms whose field names are data (one per task, per expert). */
export function allFields(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (body && typeof body === 'object') for (const k of Object.keys(body as Record<string, unknown>)) out[k] = field(body, k);
  return out;
}

/** The locale numbers and dates are written in for a reader of `lang`. */
export const localeOf = (lang: Lang): string => (lang === 'vi' ? 'vi-VN' : 'en-GB');

export const formatDate = (d: Date | null, lang: Lang): string =>
  d ? d.toLocaleString(localeOf(lang), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' }) : '';

/** A number in the reader's convention (1.234,5 in Vietnamese). */
export const num = (v: { lang: Lang }, n: number, opts?: Intl.NumberFormatOptions): string => n.toLocaleString(localeOf(v.lang), opts);
