import type { FastifyRequest } from 'fastify';
import { createOrganization, getOrganization, listOrganizations, updateOrganization, type OrgRow } from '../../modules/organizations/index.js';
import { actorOf, requireSysadmin } from '../../platform/auth/index.js';
import type { Db } from '../../platform/db/index.js';
import type { EventBus } from '../../platform/index.js';
import { badRequest, html, type App, type Html } from '../../platform/http/index.js';
import type { Assets } from '../assets.js';
import { csrfField, errorSummary, formErrorOf, input, select, type FormError, type Values } from '../forms.js';
import { layout } from '../layout.js';
import { M } from '../messages.js';
import { byHierarchy, isKind, KINDS, kindLabel, orgName, orgNameText } from '../orgs.js';
import { field, sendHtml, viewOf, type View } from '../view.js';
import { flash, requireSignedIn, UUID_RE } from './guard.js';

const ORGAN_CODE_RE = /^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9]{2}$/;
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

/** The same rules as the JSON API's schema, checked before calling the service. */
function validate(v: Values) {
  if (!v.name!.trim()) throw badRequest('required', M.required, 'name');
  if (v.name!.length > 300)
    throw badRequest('too_long', { vi: 'Tên quá dài (tối đa 300 ký tự).', en: 'The name is too long (300 characters at most).' }, 'name');
  if (v.nameEn!.length > 300)
    throw badRequest('too_long', { vi: 'Tên quá dài (tối đa 300 ký tự).', en: 'The name is too long (300 characters at most).' }, 'nameEn');
  if (v.organCode && !ORGAN_CODE_RE.test(v.organCode)) throw badRequest('invalid_organ_code', M.orgCodeInvalid, 'organCode');
  if (!isKind(v.kind!)) throw badRequest('invalid_kind', M.kindInvalid, 'kind');
  if (v.parentId && !UUID_RE.test(v.parentId))
    throw badRequest('parent_not_found', { vi: 'Cơ quan cấp trên không tồn tại.', en: 'The parent organization does not exist.' }, 'parentId');
  return { name: v.name!, nameEn: v.nameEn || null, organCode: v.organCode || null, kind: v.kind as OrgRow['kind'], parentId: v.parentId || null };
}

function orgForm(
  v: View,
  orgs: OrgRow[],
  o: { P: string; action: string; values: Values; error?: FormError | undefined; self?: OrgRow; submit: string },
): Html {
  const parents = orgs.filter((x) => x.id !== o.self?.id).sort(byHierarchy);
  return html`${errorSummary(v, o.error, o.P)}
    <form method="post" action="${o.action}" class="stack">
      ${csrfField(v)} ${input({ idPrefix: o.P, name: 'name', label: v.t('fieldName'), values: o.values, error: o.error, required: true, autocomplete: 'off' })}
      ${input({ idPrefix: o.P, name: 'nameEn', label: v.t('fieldNameEn'), values: o.values, error: o.error, autocomplete: 'off', attrs: html` lang="en"` })}
      ${input({ idPrefix: o.P, name: 'organCode', label: v.t('fieldOrganCode'), values: o.values, error: o.error, hint: v.t('fieldOrganCodeHint'), autocomplete: 'off' })}
      ${select({ idPrefix: o.P, name: 'kind', label: v.t('fieldKind'), values: o.values, error: o.error, required: true, options: KINDS.map((k) => ({ value: k, label: kindLabel(v, k) })) })}
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

function listPage(v: View, orgs: OrgRow[], values: Values, error?: FormError, notice?: string) {
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
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">${v.t('fieldName')}</th>
              <th scope="col">${v.t('fieldKind')}</th>
              <th scope="col">${v.t('fieldOrganCode')}</th>
              <th scope="col">${v.t('fieldParent')}</th>
              <th scope="col">${v.t('colActions')}</th>
            </tr>
          </thead>
          <tbody>
            ${sorted.map((o) => {
              const parent = o.parent_id ? byId.get(o.parent_id) : undefined;
              return html`<tr>
                <td><a href="/organizations/${o.slug}">${orgName(o, v.lang)}</a></td>
                <td>${kindLabel(v, o.kind)}</td>
                <td>${o.organ_code ?? '—'}</td>
                <td>${parent ? orgName(parent, v.lang) : '—'}</td>
                <td>
                  <a href="/admin/organizations/${o.slug}/edit">${v.t('edit')}<span class="visually-hidden"> ${orgNameText(o, v.lang)}</span></a>
                </td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
    </section>`;
  return layout(v, { title: v.t('adminOrgs'), body, noindex: true });
}

function editPage(v: View, orgs: OrgRow[], org: OrgRow, values: Values, error?: FormError, notice?: string) {
  const body = html`<p><a href="/admin/organizations">← ${v.t('adminOrgs')}</a></p>
    <h1>${v.t('orgEditTitle', { name: orgNameText(org, v.lang) })}</h1>
    ${flash(notice)}
    <div class="panel">${orgForm(v, orgs, { P: 'org-edit', action: `/admin/organizations/${org.slug}`, values, error, self: org, submit: v.t('save') })}</div>`;
  return layout(v, { title: v.t('orgEditTitle', { name: orgNameText(org, v.lang) }), body, noindex: true });
}

type SlugReq = FastifyRequest<{ Params: { slug: string }; Querystring: { saved?: string } }>;

/** /admin/organizations: list, create and edit organizations (sysadmins only). */
export async function adminOrganizationPages(app: App, { db, assets, events }: { db: Db; assets: Assets; events: EventBus }): Promise<void> {
  const opts = { schema: { hide: true }, preHandler: requireSignedIn };

  app.get<{ Querystring: { created?: string } }>('/admin/organizations', opts, async (req, reply) => {
    requireSysadmin(req.principal);
    const v = viewOf(req, assets);
    const orgs = await listOrganizations(db);
    const created = req.query.created ? orgs.find((o) => o.slug === req.query.created) : undefined;
    return sendHtml(
      reply,
      listPage(v, orgs, { kind: 'department' }, undefined, created ? v.t('orgCreated', { name: orgNameText(created, v.lang) }) : undefined),
    );
  });

  app.post('/admin/organizations', opts, async (req, reply) => {
    requireSysadmin(req.principal);
    const v = viewOf(req, assets);
    const values = readForm(req.body);
    try {
      const org = await createOrganization(db, req.principal, actorOf(req), validate(values));
      return reply.redirect(`/admin/organizations?created=${encodeURIComponent(org.slug)}`, 303);
    } catch (e) {
      const { status, error } = formErrorOf(e, v, FIELD_MAP);
      return sendHtml(reply, listPage(v, await listOrganizations(db), values, error), status);
    }
  });

  app.get('/admin/organizations/:slug/edit', opts, async (req: SlugReq, reply) => {
    requireSysadmin(req.principal);
    const v = viewOf(req, assets);
    const { org } = await getOrganization(db, req.params.slug);
    return sendHtml(reply, editPage(v, await listOrganizations(db), org, valuesOf(org), undefined, req.query.saved ? v.t('saved') : undefined));
  });

  app.post('/admin/organizations/:slug', opts, async (req: SlugReq, reply) => {
    requireSysadmin(req.principal);
    const v = viewOf(req, assets);
    const { org } = await getOrganization(db, req.params.slug);
    const values = readForm(req.body);
    try {
      const updated = await updateOrganization(db, req.principal, actorOf(req), org.id, validate(values), events);
      return reply.redirect(`/admin/organizations/${encodeURIComponent(updated.slug)}/edit?saved=1`, 303);
    } catch (e) {
      const { status, error } = formErrorOf(e, v, FIELD_MAP);
      return sendHtml(reply, editPage(v, await listOrganizations(db), org, values, error), status);
    }
  });
}
