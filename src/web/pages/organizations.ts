import { getOrganization, listOrganizations, type OrgRow } from '../../modules/organizations/index.js';
import type { Db } from '../../platform/db/index.js';
import { html, type App, type Html } from '../../platform/http/index.js';
import type { Assets } from '../assets.js';
import { layout } from '../layout.js';
import { byHierarchy, kindLabel, orgName, orgNameText } from '../orgs.js';
import { sendHtml, viewOf, type View } from '../view.js';

function tree(v: View, rows: OrgRow[]): Html {
  const ids = new Set(rows.map((r) => r.id));
  const children = new Map<string | null, OrgRow[]>();
  for (const r of rows) {
    const parent = r.parent_id && ids.has(r.parent_id) ? r.parent_id : null;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const node = (o: OrgRow, depth: number): Html => {
    const kids = (children.get(o.id) ?? []).sort(byHierarchy);
    const label = html`<a href="/organizations/${o.slug}">${orgName(o, v.lang)}</a> <span class="kind">${kindLabel(v, o.kind)}</span>`;
    if (kids.length === 0) return html`<li>${label}</li>`;
    return html`<li><details${depth === 0 ? html` open` : ''}><summary>${label} <span class="count">(${v.t('orgSubunits', { n: kids.length })})</span></summary>
<ul>${kids.map((k) => node(k, depth + 1))}</ul></details></li>`;
  };
  const roots = (children.get(null) ?? []).sort(byHierarchy);
  return html`<ul class="tree">
    ${roots.map((r) => node(r, 0))}
  </ul>`;
}

const row = (label: string, value: Html | string | null): Html =>
  value
    ? html`<div>
        <dt>${label}</dt>
        <dd>${value}</dd>
      </div>`
    : html``;

export async function organizationPages(app: App, { db, assets }: { db: Db; assets: Assets }): Promise<void> {
  app.get('/organizations', { schema: { hide: true } }, async (req, reply) => {
    const v = viewOf(req, assets);
    const rows = await listOrganizations(db);
    const body = html`<h1>${v.t('orgTreeTitle')}</h1>
      <p class="lead">${v.t('orgTreeIntro')}</p>
      ${rows.length ? tree(v, rows) : html`<p>${v.t('orgEmpty')}</p>`}`;
    return sendHtml(reply, layout(v, { title: v.t('orgTreeTitle'), description: v.t('orgTreeIntro'), body }));
  });

  app.get<{ Params: { slug: string } }>('/organizations/:slug', { schema: { hide: true } }, async (req, reply) => {
    const v = viewOf(req, assets);
    const { org, parents, children } = await getOrganization(db, req.params.slug);
    const website = org.website && /^https?:\/\//i.test(org.website) ? html`<a href="${org.website}" rel="noopener">${org.website}</a>` : org.website;
    const body = html`<nav aria-label="breadcrumb" class="breadcrumb">
        <ol>
          <li><a href="/organizations">${v.t('orgTreeTitle')}</a></li>
          ${parents.map((p) => html`<li><a href="/organizations/${p.slug}">${orgName(p, v.lang)}</a></li>`)}
          <li aria-current="page">${orgName(org, v.lang)}</li>
        </ol>
      </nav>
      <h1>${orgName(org, v.lang)}</h1>
      ${v.lang === 'vi' && org.name_en ? html`<p class="lead" lang="en">${org.name_en}</p>` : ''}
      ${v.lang === 'en' && org.name_en ? html`<p class="lead" lang="vi">${org.name}</p>` : ''} ${org.description ? html`<p>${org.description}</p>` : ''}
      <section aria-labelledby="details-h">
        <h2 id="details-h">${v.t('orgDetails')}</h2>
        <dl class="details">
          ${row(v.t('fieldKind'), kindLabel(v, org.kind))} ${row(v.t('fieldOrganCode'), org.organ_code)} ${row(v.t('fieldAdminUnit'), org.admin_unit_code)}
          ${row(v.t('fieldEmail'), org.email ? html`<a href="mailto:${org.email}">${org.email}</a>` : null)} ${row(v.t('fieldWebsite'), website)}
          ${row(v.t('fieldSlug'), org.slug)}
        </dl>
      </section>
      <section aria-labelledby="children-h">
        <h2 id="children-h">${v.t('orgChildren')}</h2>
        ${
          children.length
            ? html`<ul class="plain-list">
                ${children.map((c) => html`<li><a href="/organizations/${c.slug}">${orgName(c, v.lang)}</a></li>`)}
              </ul>`
            : html`<p>${v.t('orgNone')}</p>`
        }
      </section>`;
    return sendHtml(reply, layout(v, { title: orgNameText(org, v.lang), description: org.description ?? orgNameText(org, v.lang), body }));
  });
}
