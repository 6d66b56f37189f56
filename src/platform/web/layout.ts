import { html, type Html } from '../http/index.js';
import type { Lang } from '../i18n/index.js';
import { assetTags } from './assets.js';
import type { NavEntry } from './shell-parts.js';
import type { View } from './view.js';

export interface PageOptions {
  title: string;
  body: Html;
  description?: string;
  /** Keeps admin and form-result pages out of search engines. */
  noindex?: boolean;
}

/** The current URL with `lang` set to the given language (other query parameters kept). */
export function withLang(url: string, lang: Lang): string {
  const u = new URL(url, 'http://x');
  u.searchParams.set('lang', lang);
  return `${u.pathname}${u.search}`;
}

const pathOf = (url: string): string => new URL(url, 'http://x').pathname;

function isCurrent(url: string, href: string): boolean {
  const p = pathOf(url);
  return href === '/' ? p === '/' : p === href || p.startsWith(`${href}/`);
}

const navLink = (v: View, href: string, label: string, lang?: Lang): Html =>
  html`<li><a href="${href}" ${isCurrent(v.url, href) ? html` aria-current="page"` : ''}${lang ? html` lang="${lang}"` : ''}>${label}</a></li>`;

function langSwitch(v: View): Html {
  const link = (lang: Lang, label: string) =>
    html`<li><a href="${withLang(v.url, lang)}" hreflang="${lang}" lang="${lang}" ${v.lang === lang ? html` aria-current="true"` : ''}>${label}</a></li>`;
  return html`<nav class="lang-switch" aria-label="${v.t('langSwitch')}">
    <ul>
      ${link('vi', 'Tiếng Việt')}${link('en', 'English')}
    </ul>
  </nav>`;
}

function account(v: View): Html {
  if (!v.user) {
    const p = pathOf(v.url);
    const next = p === '/login' ? '' : `?next=${encodeURIComponent(v.url)}`;
    return html`<div class="account"><a class="button button-quiet" href="/login${next}">${v.t('signIn')}</a></div>`;
  }
  return html`<div class="account">
    <span class="account-name">${v.t('signedInAs', { name: v.user.name })}</span>
    <form method="post" action="/logout" class="inline-form">
      <input type="hidden" name="_csrf" value="${v.csrf ?? ''}" />
      <button type="submit" class="button button-quiet">${v.t('signOut')}</button>
    </form>
  </div>`;
}

/** The entries of one bar the current user may see, in order. */
export const navEntries = (v: View, place: NavEntry['place']): NavEntry[] =>
  v.shell.nav.filter((e) => e.place === place && (e.visible ?? (place === 'admin' ? (u) => u !== null : () => true))(v.user)).sort((a, b) => a.order - b.order);

function adminNav(v: View): Html {
  const entries = navEntries(v, 'admin');
  if (!v.user || entries.length === 0) return html``;
  return html`<nav class="admin-nav" aria-label="${v.t('adminNav')}">
    <div class="container">
      <span class="admin-nav-label">${v.t('admin')}:</span>
      <ul>
        ${entries.map((e) => navLink(v, e.path, v.msg(e.title)))}
      </ul>
    </div>
  </nav>`;
}

/** The page frame: identity header, navigation, language switch, account, footer. */
export function layout(v: View, page: PageOptions): Html {
  const title = page.title === v.t('siteName') ? page.title : `${page.title} · ${v.t('siteName')}`;
  return html`<!doctype html>
    <html lang="${v.lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}</title>
        ${page.description ? html`<meta name="description" content="${page.description}" />` : ''}
        ${page.noindex ? html`<meta name="robots" content="noindex" />` : ''}
        <link rel="alternate" hreflang="vi" href="${withLang(v.url, 'vi')}" />
        <link rel="alternate" hreflang="en" href="${withLang(v.url, 'en')}" />
        <meta name="color-scheme" content="light" />
        ${assetTags(v.shell.assets)}
      </head>
      <body>
        <a class="skip-link" href="#main">${v.t('skipLink')}</a>
        <header class="site-header">
          <div class="container header-row">
            <div class="identity">
              <a class="site-name" href="/">${v.t('siteName')}</a>
              <p class="site-subtitle">${v.t('siteSubtitle')}</p>
            </div>
            <div class="header-tools">${langSwitch(v)}${account(v)}</div>
          </div>
          <nav class="main-nav" aria-label="${v.t('mainNav')}">
            <div class="container">
              <ul>
                ${navLink(v, '/', v.t('home'))} ${navEntries(v, 'main').map((e) => navLink(v, e.path, v.msg(e.title)))}
              </ul>
            </div>
          </nav>
          ${adminNav(v)}
        </header>
        <main id="main" tabindex="-1" class="container">${page.body}</main>
        <footer class="site-footer">
          <div class="container">
            <p>${v.t('siteName')} · ${v.t('footerLicense')}</p>
            <p><a href="/api/docs">${v.t('footerApi')}</a> · <a href="/api/openapi.json">${v.t('footerOpenApi')}</a></p>
          </div>
        </footer>
      </body>
    </html>`;
}
