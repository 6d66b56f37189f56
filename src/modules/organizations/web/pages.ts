import type { FastifyRequest } from 'fastify';
import type { Db } from '../../../platform/db/index.js';
import { html, type App, type Html } from '../../../platform/http/index.js';
import { breadcrumb, dlRow, layout, renderSlot, sendHtml, viewOf } from '../../../platform/web/index.js';
import { getOrganization, listOrganizations } from '../service.js';
import type { OrgRow } from '../tables.js';
import { ORG_MESSAGES, type OrgView } from './messages.js';
import { byHierarchy, kindLabel, orgHref, orgName, orgNameText } from './names.js';
import { ORG_PAGE_SECTIONS, ORG_TREE_BADGES } from './slots.js';

function tree(v: OrgView, rows: OrgRow[], badges: Map<string, Html>[]): Html {
  const ids = new Set(rows.map((r) => r.id));
  const children = new Map<string | null, OrgRow[]>();
  for (const r of rows) {
    const parent = r.parent_id && ids.has(r.parent_id) ? r.parent_id : null;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const node = (o: OrgRow, depth: number): Html => {
    const kids = (children.get(o.id) ?? []).sort(byHierarchy);
    const label = html`<a href="${orgHref(o.slug)}">${orgName(o, v.lang)}</a>
      <span class="kind">${kindLabel(v, o.kind)}</span>${badges.map((b) => b.get(o.slug) ?? '')}`;
    if (kids.length === 0) return html`<li>${label}</li>`;
    return html`<li><details${depth === 0 ? html` open` : ''}><summary>${label} <span class="count">(${v.t('orgSubunits', { n: kids.length })})</span></summary>
<ul>${kids.map((k) => node(k, depth + 1))}</ul></details></li>`;
  };
  const roots = (children.get(null) ?? []).sort(byHierarchy);
  return html`<ul class="tree">
    ${roots.map((r) => node(r, 0))}
  </ul>`;
}

const linkList = (v: OrgView, orgs: OrgRow[]): Html =>
  orgs.length
    ? html`<ul class="plain-list">
        ${orgs.map((c) => html`<li><a href="${orgHref(c.slug)}">${orgName(c, v.lang)}</a></li>`)}
      </ul>`
    : html`<p>${v.t('orgNone')}</p>`;

async function orgPage(db: Db, req: FastifyRequest<{ Params: { slug: string } }>): Promise<Html> {
  const v = viewOf(req, ORG_MESSAGES);
  const { org, parents, children } = await getOrganization(db, req.params.slug);
  const website = org.website && /^https?:\/\//i.test(org.website) ? html`<a href="${org.website}" rel="noopener">${org.website}</a>` : org.website;
  const sections = await renderSlot(ORG_PAGE_SECTIONS, v, req, { org, query: (req.query ?? {}) as Record<string, unknown> });
  const body = html`${breadcrumb(v, [{ href: '/organization', label: v.t('orgTreeTitle') }, ...parents.map((p) => ({ href: orgHref(p.slug), label: orgName(p, v.lang) })), { label: orgName(org, v.lang) }])}
    <h1>${orgName(org, v.lang)}</h1>
    ${v.lang === 'vi' && org.name_en ? html`<p class="lead" lang="en">${org.name_en}</p>` : ''}
    ${v.lang === 'en' && org.name_en ? html`<p class="lead" lang="vi">${org.name}</p>` : ''} ${org.description ? html`<p>${org.description}</p>` : ''}
    <section aria-labelledby="details-h">
      <h2 id="details-h">${v.t('orgDetails')}</h2>
      <dl class="details">
        ${dlRow(v.t('fieldKind'), kindLabel(v, org.kind))} ${dlRow(v.t('fieldOrganCode'), org.organ_code)} ${dlRow(v.t('fieldAdminUnit'), org.admin_unit_code)}
        ${dlRow(v.t('fieldEmail'), org.email ? html`<a href="mailto:${org.email}">${org.email}</a>` : null)} ${dlRow(v.t('fieldWebsite'), website)}
        ${dlRow(v.t('fieldSlug'), org.slug)}
        ${dlRow(v.t('orgParents'), parents.length ? html`${parents.map((p, i) => html`${i ? ', ' : ''}<a href="${orgHref(p.slug)}">${orgName(p, v.lang)}</a>`)}` : null)}
      </dl>
    </section>
    ${sections}
    <section aria-labelledby="children-h">
      <h2 id="children-h">${v.t('orgChildren')}</h2>
      ${linkList(v, children)}
    </section>`;
  return layout(v, { title: orgNameText(org, v.lang), description: org.description ?? orgNameText(org, v.lang), body });
}

/** The one family of organization pages: the tree at /organization and a page per organization (CKAN's paths). */
export async function organizationPages(app: App, { db }: { db: Db }): Promise<void> {
  app.get('/organization', { schema: { hide: true } }, async (req, reply) => {
    const v = viewOf(req, ORG_MESSAGES);
    const rows = await listOrganizations(db);
    const badges = await renderSlot(ORG_TREE_BADGES, v, req, { orgs: rows });
    const body = html`<h1>${v.t('orgTreeTitle')}</h1>
      <p class="lead">${v.t('orgTreeIntro')}</p>
      ${rows.length ? tree(v, rows, badges) : html`<p>${v.t('orgEmpty')}</p>`}`;
    return sendHtml(reply, layout(v, { title: v.t('orgTreeTitle'), description: v.t('orgTreeIntro'), body }));
  });

  app.get<{ Params: { slug: string } }>('/organization/:slug', { schema: { hide: true } }, async (req, reply) => sendHtml(reply, await orgPage(db, req)));

  // The earlier paths of the tree and profile pages stay valid for bookmarks and links elsewhere.
  const moved = (req: FastifyRequest) => `/organization${req.url.slice('/organizations'.length)}`;
  app.get('/organizations', { schema: { hide: true } }, async (req, reply) => reply.redirect(moved(req), 301));
  app.get('/organizations/:slug', { schema: { hide: true } }, async (req, reply) => reply.redirect(moved(req), 301));
}
