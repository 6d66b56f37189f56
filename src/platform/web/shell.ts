import { errorHandler, notFound, type App } from '../http/index.js';
import { checkCatalogs } from '../i18n/index.js';
import { assetRoutes, loadAssets } from './assets.js';
import { webErrorHandler } from './errors.js';
import { homePage } from './home.js';
import { SHELL_MESSAGES } from './messages.js';
import type { Shell, WebPart } from './shell-parts.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The composed web shell, on requests under it (null on the JSON API). */
    shell: Shell | null;
  }
}

const YEAR_S = 365 * 24 * 3600;
const NO_ROUTE = { vi: 'Không tìm thấy đường dẫn {url}.', en: 'No route {url}.' };

export interface ShellOptions {
  /** What each module and platform area contributes: messages, navigation, home widgets, slot fills. */
  parts: WebPart[];
  /** Each part's page routes, registered inside the shell. */
  pages: ((web: App) => Promise<void>)[];
  secureCookies: boolean;
}

/**
 * The server-rendered web shell: layout, assets, the home page, the HTML error handler and the
 * 404 page, composed from the parts. Its routes live in one encapsulated plugin so its error
 * handler and language-cookie hook do not touch the JSON API. Duplicate message keys fail here, at boot.
 */
export async function webShell(app: App, opts: ShellOptions): Promise<void> {
  checkCatalogs([{ owner: 'shell', catalog: SHELL_MESSAGES }, ...opts.parts.flatMap((p) => (p.messages ? [{ owner: p.name, catalog: p.messages }] : []))]);
  const shell: Shell = {
    assets: loadAssets(),
    nav: opts.parts.flatMap((p) => p.nav ?? []),
    homeWidgets: opts.parts.flatMap((p) => p.homeWidgets ?? []),
    fills: opts.parts.flatMap((p) => p.fills ?? []),
  };
  app.decorateRequest('shell', null);
  await app.register(async (web: App) => {
    web.setErrorHandler(webErrorHandler());
    web.addHook('onRequest', async (req, reply) => {
      req.shell = shell;
      // A `?lang=` choice sticks: the language switch links set the cookie pickLang reads.
      const lang = (req.query as Record<string, unknown> | undefined)?.lang;
      if (lang === 'vi' || lang === 'en') void reply.setCookie('lang', lang, { path: '/', maxAge: YEAR_S, sameSite: 'lax', secure: opts.secureCookies });
    });

    await assetRoutes(web);
    await homePage(web);
    for (const pages of opts.pages) await pages(web);

    // Unknown pages get an HTML 404; unknown API paths keep the platform's problem+json.
    web.get('/*', { schema: { hide: true } }, async (req, reply) => {
      const url = req.url.split('?')[0] ?? '';
      const err = notFound('not_found', NO_ROUTE, undefined, { url });
      const accept = req.headers.accept ?? '';
      const wantsJson = accept.includes('application/json') && !accept.includes('text/html');
      if (url === '/api' || url.startsWith('/api/') || wantsJson) return errorHandler(err, req, reply);
      throw err;
    });
  });
}
