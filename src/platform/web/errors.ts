import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorHandler, html, isAppError, toProblem } from '../http/index.js';
import { layout } from './layout.js';
import type { ShellKey } from './messages.js';
import { sendHtml, viewOf } from './view.js';

const isApi = (req: FastifyRequest): boolean => req.url === '/api' || req.url.startsWith('/api/');

/** The HTTP status of anything thrown: AppErrors, Fastify errors, or rate-limit problem objects. */
function statusOf(error: unknown): number {
  if (isAppError(error)) return error.status;
  const e = error as { statusCode?: unknown; status?: unknown } | null;
  const s = typeof e?.statusCode === 'number' ? e.statusCode : typeof e?.status === 'number' ? e.status : 500;
  return s >= 400 && s < 600 ? s : 500;
}

const KNOWN: Partial<Record<number, ShellKey>> = { 403: 'error403', 404: 'error404', 429: 'error429' };

export function renderError(req: FastifyRequest, reply: FastifyReply, status: number, detail?: string): FastifyReply {
  const v = viewOf(req);
  const key = KNOWN[status] ?? (status >= 500 ? 'error500' : undefined);
  const message = detail ?? (key ? v.t(key) : v.t('error500'));
  const body = html`<div class="error-page">
    <h1>${v.t('errorTitle', { status })}</h1>
    <p class="lead">${message}</p>
    <p><a href="/">${v.t('backHome')}</a></p>
  </div>`;
  return sendHtml(reply, layout(v, { title: v.t('errorTitle', { status }), body, noindex: true }), status);
}

/**
 * Errors on HTML routes become HTML pages: 401 sends the visitor to the login form, other errors
 * get a page in their language. API paths keep the platform's problem+json.
 */
export function webErrorHandler() {
  return (error: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply | void => {
    if (isApi(req)) return errorHandler(error, req, reply);
    const status = statusOf(error);
    if (status >= 500) req.log.error({ err: error }, 'web request failed');
    else req.log.info({ status }, 'web request rejected');
    if (status === 401) return reply.redirect(`/login?next=${encodeURIComponent(req.method === 'GET' ? req.url : '/')}`, 303);
    let detail: string | undefined;
    if (status < 500 && status !== 429 && (isAppError(error) || (error as { validation?: unknown }).validation)) detail = toProblem(error, req).detail;
    return renderError(req, reply, status, detail);
  };
}
