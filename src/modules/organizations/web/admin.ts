import type { FastifyRequest } from 'fastify';
import { actorOf, requireSysadmin } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import type { EventBus } from '../../../platform/index.js';
import { html, type App, type Html } from '../../../platform/http/index.js';
import {
  dataTable,
  csrfField,
  errorSummary,
  field,
  flash,
  formErrorOf,
  input,
  layout,
  requireSignedIn,
  select,
  sendHtml,
  viewOf,
  type FormError,
  type Values,
} from '../../../platform/web/index.js';
import { createOrganization, getOrganization, listOrganizations, updateOrganization } from '../service.js';
import { ORG_KINDS, type OrgKind, type OrgRow } from '../tables.js';
import { ORG_MESSAGES, type OrgView } from './messages.js';
import { byHierarchy, kindLabel, orgHref, orgName, orgNameText } from './names.js';

/** Service errors about the derived slug belong to the name the slug comes from. */
const FIELD_MAP = { slug: 'name' };

const valuesOf = (o: OrgRow): Values => ({ name: o.name, nameEn: o.name_en ?? '', organCode: o.organ_code ?? '', kind: o.kind, parentId: o.parent_id ?? '' });

function readForm(body: unknown): Values {
  return {
    name: field(body, 'name'),
    nameEn: field(body, 'nameEn'),
    organCode: field(body, 'organCode').trim(),
    kind: field(body, 'kind'),
    parentId: field(body, 'parentId'),
  };
}

/** The form's fields as the service's input; the service checks them (organizations/validate.ts), as it does for the API and CKAN. */
const inputOf = (v: Values) => ({
  name: v.name ?? '',
  nameEn: v.nameEn || null,
  organCode: v.organCode || null,
  kind: v.kind as OrgKind,
  parentId: v.parentId || null,
});

function orgForm(
  v: OrgView,
  orgs: OrgRow[],
  o: { P: string; action: string; values: Values; error?: FormError | undefined; self?: OrgRow; submit: string },
): Html {
  const parents = orgs.filter((x) => x.id !== o.self?.id).sort(byHierarchy);
  return html`${errorSummary(v, o.error, o.P)}
    <form method="post" action="${o.action}" class="stack">
      ${csrfField(v)} ${input({ idPrefix: o.P, name: 'name', label: v.t('fieldName'), values: o.values, error: o.error, required: true, autocomplete: 'off' })}
      ${input({ idPrefix: o.P, name: 'nameEn', label: v.t('fieldNameEn'), values: o.values, error: o.error, autocomplete: 'off', attrs: html` lang="en"` })}
      ${input({ idPrefix: o.P, name: 'organCode', label: v.t('fieldOrganCode'), values: o.values, error: o.error, hint: v.t('fieldOrganCodeHint'), autocomplete: 'off' })}
      ${select({ idPrefix: o.P, name: 'kind', label: v.t('fieldKind'), values: o.values, error: o.error, required: true, options: ORG_KINDS.map((k) => ({ value: k, label: kindLabel(v, k) })) })}
      ${select({
        idPrefix: o.P,
        name: 'parentId',
        label: v.t('fieldParent'),
        values: o.values,
        error: o.error,
        options: [{ value: '', label: v.t('fieldNoParent') }, ...parents.map((p) => ({ value: p.id, label: orgNameText(p, v.lang) }))],
      })}
      <button type="submit" class="button">${o.submit}</button>
    </form>`;
}

function listPage(v: OrgView, orgs: OrgRow[], values: Values, error?: FormError, notice?: string) {
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const sorted = [...orgs].sort(byHierarchy);
  const body = html`<h1>${v.t('adminOrgs')}</h1>
    ${flash(notice)}
    <section aria-labelledby="create-org-h" class="panel">
      <h2 id="create-org-h">${v.t('orgCreate')}</h2>
      ${orgForm(v, orgs, { P: 'org', action: '/admin/organizations', values, error, submit: v.t('create') })}
    </section>
    <section aria-labelledby="orgs-h">
      <h2 id="orgs-h">${v.t('orgsList', { n: orgs.length })}</h2>
      ${dataTable({
        columns: [v.t('fieldName'), v.t('fieldKind'), v.t('fieldOrganCode'), v.t('fieldParent'), v.t('colActions')],
        rows: sorted.map((o) => {
          const parent = o.parent_id ? byId.get(o.parent_id) : undefined;
          return html`<tr>
            <td><a href="${orgHref(o.slug)}">${orgName(o, v.lang)}</a></td>
            <td>${kindLabel(v, o.kind)}</td>
            <td>${o.organ_code ?? '—'}</td>
            <td>${parent ? orgName(parent, v.lang) : '—'}</td>
            <td>
              <a href="/admin/organizations/${o.slug}/edit">${v.t('edit')}<span class="visually-hidden"> ${orgNameText(o, v.lang)}</span></a>
            </td>
          </tr>`;
        }),
      })}
    </section>`;
  return layout(v, { title: v.t('adminOrgs'), body, noindex: true });
}

function editPage(v: OrgView, orgs: OrgRow[], org: OrgRow, values: Values, error?: FormError, notice?: string) {
  const body = html`<p><a href="/admin/organizations">← ${v.t('adminOrgs')}</a></p>
    <h1>${v.t('orgEditTitle', { name: orgNameText(org, v.lang) })}</h1>
    ${flash(notice)}
    <div class="panel">${orgForm(v, orgs, { P: 'org-edit', action: `/admin/organizations/${org.slug}`, values, error, self: org, submit: v.t('save') })}</div>`;
  return layout(v, { title: v.t('orgEditTitle', { name: orgNameText(org, v.lang) }), body, noindex: true });
}

type SlugReq = FastifyRequest<{ Params: { slug: string }; Querystring: { saved?: string } }>;

/** /admin/organizations: list, create and edit organizations (sysadmins only). */
export async function adminOrganizationPages(app: App, { db, events }: { db: Db; events: EventBus }): Promise<void> {
  const opts = { schema: { hide: true }, preHandler: requireSignedIn };

  app.get<{ Querystring: { created?: string } }>('/admin/organizations', opts, async (req, reply) => {
    requireSysadmin(req.principal);
    const v = viewOf(req, ORG_MESSAGES);
    const orgs = await listOrganizations(db);
    const created = req.query.created ? orgs.find((o) => o.slug === req.query.created) : undefined;
    return sendHtml(
      reply,
      listPage(v, orgs, { kind: 'department' }, undefined, created ? v.t('orgCreated', { name: orgNameText(created, v.lang) }) : undefined),
    );
  });

  app.post('/admin/organizations', opts, async (req, reply) => {
    requireSysadmin(req.principal);
    const v = viewOf(req, ORG_MESSAGES);
    const values = readForm(req.body);
    try {
      const org = await createOrganization(db, req.principal, actorOf(req), inputOf(values));
      return reply.redirect(`/admin/organizations?created=${encodeURIComponent(org.slug)}`, 303);
    } catch (e) {
      const { status, error } = formErrorOf(e, v, FIELD_MAP);
      return sendHtml(reply, listPage(v, await listOrganizations(db), values, error), status);
    }
  });

  app.get('/admin/organizations/:slug/edit', opts, async (req: SlugReq, reply) => {
    requireSysadmin(req.principal);
    const v = viewOf(req, ORG_MESSAGES);
    const { org } = await getOrganization(db, req.params.slug);
    return sendHtml(reply, editPage(v, await listOrganizations(db), org, valuesOf(org), undefined, req.query.saved ? v.t('saved') : undefined));
  });

  app.post('/admin/organizations/:slug', opts, async (req: SlugReq, reply) => {
    requireSysadmin(req.principal);
    const v = viewOf(req, ORG_MESSAGES);
    const { org } = await getOrganization(db, req.params.slug);
    const values = readForm(req.body);
    try {
      const updated = await updateOrganization(db, req.principal, actorOf(req), org.id, inputOf(values), events);
      return reply.redirect(`/admin/organizations/${encodeURIComponent(updated.slug)}/edit?saved=1`, 303);
    } catch (e) {
      const { status, error } = formErrorOf(e, v, FIELD_MAP);
      return sendHtml(reply, editPage(v, await listOrganizations(db), org, values, error), status);
    }
  });
}
