import { html, type Html } from '../../../platform/http/index.js';
import { breadcrumb, flash, layout } from '../../../platform/web/index.js';
import type { ExchangeKey, ExchangeView } from './messages.js';

const TABS: { path: string; key: ExchangeKey; sysadmin?: boolean }[] = [
  { path: '/exchange', key: 'xrTabDirectory' },
  { path: '/exchange/credentials', key: 'xrTabCredentials' },
  { path: '/exchange/log', key: 'xrTabLog' },
  { path: '/exchange/stats', key: 'xrTabStats' },
  { path: '/exchange/registry', key: 'xrTabRegistry', sysadmin: true },
];

/** An exchange page: breadcrumb, the section tabs, the notice, the body. */
export function exchangePage(
  v: ExchangeView,
  o: { title: string; current: string; body: Html; notice?: string | undefined; crumbs?: { href?: string; label: string }[] },
): Html {
  const tabs = TABS.filter((t) => !t.sysadmin || v.user?.isSysadmin);
  const body = html`${breadcrumb(v, [{ href: '/', label: v.t('home') }, { href: '/exchange', label: v.t('xrTitle') }, ...(o.crumbs ?? [{ label: o.title }])])}
    <nav class="tabs" aria-label="${v.t('xrSections')}">
      <ul>
        ${tabs.map((t) => html`<li><a href="${t.path}" ${t.path === o.current ? html` aria-current="page"` : ''}>${v.t(t.key)}</a></li>`)}
      </ul>
    </nav>
    ${flash(o.notice)} ${o.body}`;
  return layout(v, { title: o.title, body, noindex: true });
}

export const code = (s: string | null | undefined): Html => (s ? html`<code>${s}</code>` : html`—`);
