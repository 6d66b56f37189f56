import type { Config } from '../platform/config/index.js';
import type { Db } from '../platform/db/index.js';
import type { EventBus } from '../platform/index.js';
import type { FileStore } from '../platform/storage/index.js';
import { errorHandler, notFound, type App } from '../platform/http/index.js';
import { adminOrganizationPages } from './admin/organizations.js';
import { adminTokenPages } from './admin/tokens.js';
import { adminUserPages } from './admin/users.js';
import { assetRoutes, loadAssets } from './assets.js';
import { webErrorHandler } from './errors.js';
import { areaPages } from './pages/areas.js';
import { catalogPages } from './pages/catalog/index.js';
import { homePage } from './pages/home.js';
import { loginPages } from './pages/login.js';
import { organizationPages } from './pages/organizations.js';

const YEAR_S = 365 * 24 * 3600;
const NO_ROUTE = { vi: 'Không tìm thấy đường dẫn {url}.', en: 'No route {url}.' };

/**
 * The server-rendered web shell. Its routes live in one encapsulated plugin so its HTML error
 * handler and language-cookie hook do not touch the JSON API.
 */
export async function webRoutes(app: App, { db, config, files, events }: { db: Db; config: Config; files: FileStore; events: EventBus }): Promise<void> {
  const assets = loadAssets();
  await app.register(async (web: App) => {
    web.setErrorHandler(webErrorHandler(assets));
    // A `?lang=` choice sticks: the language switch links set the cookie pickLang reads.
    web.addHook('onRequest', async (req, reply) => {
      const lang = (req.query as Record<string, unknown> | undefined)?.lang;
      if (lang === 'vi' || lang === 'en') void reply.setCookie('lang', lang, { path: '/', maxAge: YEAR_S, sameSite: 'lax', secure: config.secureCookies });
    });

    await assetRoutes(web);
    await homePage(web, { db, assets, api: app });
    await areaPages(web, { assets });
    await organizationPages(web, { db, assets });
    await catalogPages(web, { db, assets, config, files });
    await loginPages(web, { db, assets, secureCookies: config.secureCookies });
    await adminUserPages(web, { db, assets });
    await adminTokenPages(web, { db, assets });
    await adminOrganizationPages(web, { db, assets, events });

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
