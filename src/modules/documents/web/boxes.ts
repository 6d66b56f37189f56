import { html, type App } from '../../../platform/http/index.js';
import type { ModuleContext } from '../../../platform/module.js';
import { field, requireSignedIn, sendHtml, viewOf } from '../../../platform/web/index.js';
import { requireReader, mayHandle } from '../access.js';
import { listBox, myBoxes, olderPage } from '../queries.js';
import { orgOf } from '../routes.js';
import { DOCUMENTS_MESSAGES } from './messages.js';
import { documentsPage, documentTable } from './parts.js';

const signedIn = { schema: { hide: true }, preHandler: requireSignedIn };

/** The boxes of the organizations the user belongs to, and each box's list with search. */
export function boxPages(web: App, ctx: ModuleContext): void {
  const { db } = ctx;
  web.get('/edoc', signedIn, async (req, reply) => {
    const v = viewOf(req, DOCUMENTS_MESSAGES);
    const boxes = await myBoxes(db, req.principal);
    const body = html`<h1>${v.t('dcTitle')}</h1>
      <p>${v.t('dcIntro')}</p>
      ${
        boxes.length
          ? html`<ul class="card-list">
              ${boxes.map(
                (b) =>
                  html`<li class="card">
                    <h2>${b.name}</h2>
                    ${b.organ_code ? html`<p><code>${b.organ_code}</code></p>` : html`<p>${v.t('dcNoOrganCode')}</p>`}
                    <p>${v.t('dcOpen', { n: b.open })}</p>
                    <p>
                      <a href="/edoc/org/${b.slug}/inbox">${v.t('dcInbox')}</a> · <a href="/edoc/org/${b.slug}/outbox">${v.t('dcOutbox')}</a>
                      ${b.organ_code && mayHandle(req.principal, b.id) ? html` · <a href="/edoc/org/${b.slug}/compose">${v.t('dcCompose')}</a>` : ''}
                    </p>
                  </li>`,
              )}
            </ul>`
          : html`<p>${v.t('dcNoOrgs')}</p>`
      }`;
    return sendHtml(reply, documentsPage(v, { title: v.t('dcTitle'), body, crumbs: [] }));
  });

  for (const box of ['inbox', 'outbox'] as const)
    web.get<{ Params: { org: string }; Querystring: Record<string, string> }>(`/edoc/org/:org/${box}`, signedIn, async (req, reply) => {
      const v = viewOf(req, DOCUMENTS_MESSAGES);
      const org = await orgOf(db, req.params.org);
      requireReader(req.principal, org.id);
      const qs = req.query;
      const before = Number(field(qs, 'before'));
      const list =
        before > 0
          ? { items: await olderPage(db, req.principal, org.id, box, before), next: null }
          : await listBox(db, req.principal, org.id, box, { q: field(qs, 'q') });
      const next = list.next ?? (before > 0 && list.items.length === 50 ? list.items.at(-1)!.seq : null);
      const title = `${v.t(box === 'inbox' ? 'dcInbox' : 'dcOutbox')} · ${org.name}`;
      const other = box === 'inbox' ? 'outbox' : 'inbox';
      const body = html`<h1>${title}</h1>
        <p>
          <a href="/edoc/org/${org.slug}/${other}">${v.t(other === 'inbox' ? 'dcInbox' : 'dcOutbox')}</a>
          ${org.organ_code && mayHandle(req.principal, org.id) ? html` · <a class="button" href="/edoc/org/${org.slug}/compose">${v.t('dcCompose')}</a>` : ''}
        </p>
        <form method="get" class="search-form" role="search">
          <label for="dc-q">${v.t('dcSearchLabel')}</label>
          <input id="dc-q" name="q" type="search" value="${field(qs, 'q') ?? ''}" />
          <button type="submit" class="button">${v.t('dcSearchButton')}</button>
        </form>
        ${documentTable(v, list.items, box)} ${next ? html`<p><a href="/edoc/org/${org.slug}/${box}?before=${next}">${v.t('dcOlder')}</a></p>` : ''}`;
      return sendHtml(reply, documentsPage(v, { title, body, crumbs: [{ label: org.name }] }));
    });
}
