import type { FastifyRequest } from 'fastify';
import { mayEdit, viewerOf } from '../access.js';
import { countView, datasetActivity, getDataset } from '../service.js';
import { datasetRdf, jsonLdScriptText, preferredRdf, schemaOrgDataset, type RdfFormat } from '../dcat/index.js';
import { datastoreDumpUrl, downloadUrl, uploadFilename } from '../presenters/index.js';
import { type DatasetFull } from '../full.js';
import { type ResourceRow } from '../tables.js';
import { organizationsByIds, isOrgKind as isKind, kindLabel, orgName } from '../../organizations/index.js';
import type { Db } from '../../../platform/db/index.js';
import { html, raw, type App, type Html, untilClientGone } from '../../../platform/http/index.js';
import type { FileStore } from '../../../platform/storage/index.js';
import {
  accessBadge,
  bilingual,
  datasetTitle,
  excerpt,
  fileSize,
  licenseTitle,
  notesText,
  orgLink,
  themeTitle,
  titleText,
  unitNames,
  viDate,
} from './components.js';
import { resourcePreview } from './preview.js';
import { DATASET_PAGE_SECTIONS } from './slots.js';
import { renderSlot, dataTable, breadcrumb, csrfField, dlRow, flash, formatDate, layout, num, sendHtml, viewOf } from '../../../platform/web/index.js';
import { CATALOG_MESSAGES, type CView, type CatalogKey } from './messages.js';
import { methodLabel, actionLabel, frequencyLabel } from './labels.js';

const httpUrl = (u: string | null | undefined): string | null => (u && /^https?:\/\//i.test(u) ? u : null);

/** Where a resource is downloaded: the same download route the CKAN API and DCAT give for uploads (here relative), else its own http(s) URL. */
export function downloadHref(datasetId: string, r: ResourceRow): string | null {
  if (r.url_type === 'upload') return downloadUrl('', datasetId, r.id, uploadFilename(r));
  if (r.url_type === 'datastore' && !r.url) return datastoreDumpUrl('', r.id);
  return httpUrl(r.url);
}

/** The schema.org block; jsonLdScriptText escapes `<`, `>` and `&` so nothing can end the script early. */
export const jsonLdScript = (data: Record<string, unknown>): Html => raw(`<script type="application/ld+json">${jsonLdScriptText(data)}</script>`);

async function sharedDbBlock(v: CView, db: Db, full: DatasetFull): Promise<Html> {
  const s = full.dataset.shared_db;
  if (!s) return html``;
  const orgs = await organizationsByIds(db, [s.managingOrgId, ...s.allowedOrgIds]);
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const managing = byId.get(s.managingOrgId);
  const allowed = [
    ...s.allowedOrgIds
      .map((id) => byId.get(id))
      .filter((o) => !!o)
      .map((o) => html`<li><a href="/organization/${o.slug}">${orgName(o, v.lang)}</a></li>`),
    ...s.allowedKinds.map((k) => html`<li>${isKind(k) ? kindLabel(v, k) : k}</li>`),
  ];
  return html`<section aria-labelledby="shared-h" class="panel shared-db">
    <h2 id="shared-h">${v.t('sharedDbBlock')}</h2>
    <dl class="details">
      ${dlRow(v.t('sharedDbManaging'), managing ? html`<a href="/organization/${managing.slug}">${orgName(managing, v.lang)}</a>` : null)}
      ${dlRow(v.t('sharedDbLegal'), s.legalBasis)} ${dlRow(v.t('sharedDbOwner'), s.dataOwner)}
      ${dlRow(v.t('fieldFrequency'), frequencyLabel(v, s.updateFrequency))}
      ${dlRow(v.t('sharedDbMethods'), s.sharingMethods.map((m) => methodLabel(v, m)).join(', '))}
      ${dlRow(
        v.t('sharedDbAllowed'),
        allowed.length
          ? html`<ul class="plain-list">
              ${allowed}
            </ul>`
          : v.t('none'),
      )}
    </dl>
  </section>`;
}

async function resourcesBlock(v: CView, files: FileStore, full: DatasetFull, editable: boolean, signal?: AbortSignal): Promise<Html> {
  const d = full.dataset;
  if (full.resources.length === 0) return html`<p>${v.t('resourcesNone')}</p>`;
  const items = await Promise.all(
    full.resources.map(async (r) => {
      const name = r.name || r.url || r.id;
      const href = downloadHref(d.id, r);
      const preview = await resourcePreview(v, files, r, signal);
      return html`<li class="resource" id="resource-${r.id}">
        <h3>${name} ${r.format ? html`<span class="format" data-format="${r.format}">${r.format}</span>` : ''}</h3>
        ${r.description ? html`<p>${r.description}</p>` : ''}
        <p class="resource-actions">
          ${href ? html`<a class="button" href="${href}" ${r.url_type === 'upload' ? html` download` : html` rel="noopener"`} aria-label="${v.t('downloadNamed', { name })}">${r.url_type === 'upload' ? v.t('download') : v.t('openLink')}</a>` : ''}
          ${r.size !== null ? html`<span class="note">${v.t('size')}: ${fileSize(v, r.size)}</span>` : ''}
          ${
            editable
              ? html`<form
                  method="post"
                  action="/dataset/${d.name}/resource/${r.id}/delete"
                  class="inline-form"
                  data-confirm="${v.t('deleteResourceConfirm', { name })}"
                >
                  ${csrfField(v)}<button type="submit" class="button button-danger">
                    ${v.t('deleteResource')}<span class="visually-hidden">: ${name}</span>
                  </button>
                </form>`
              : ''
          }
        </p>
        ${
          preview.value
            ? html`<details class="preview" open>
                <summary>${v.t('preview')}: ${name}</summary>
                ${preview}
              </details>`
            : ''
        }
      </li>`;
    }),
  );
  return html`<ul class="resource-list">
    ${items}
  </ul>`;
}

function provenance(v: CView, full: DatasetFull): Html {
  const d = full.dataset;
  if (!d.harvest_source_id) return html``;
  const url = httpUrl(d.harvest_url);
  return html`<section aria-labelledby="prov-h" class="panel provenance">
    <h2 id="prov-h">${v.t('provenance')}</h2>
    <p>${v.t('provenanceNote')}</p>
    <dl class="details">
      ${dlRow(v.t('harvestSource'), url ? new URL(url).host : d.harvest_source_id)}
      ${dlRow(v.t('originalUrl'), url ? html`<a href="${url}" rel="noopener">${url}</a>` : d.harvest_original_id)}
    </dl>
  </section>`;
}

async function datasetPage(
  v: CView,
  db: Db,
  files: FileStore,
  full: DatasetFull,
  opts: { editable: boolean; baseUrl: string; message?: string; signal?: AbortSignal; sections?: Html[] },
): Promise<Html> {
  const d = full.dataset;
  const units = await unitNames(db, d.spatial_codes);
  const otherTitle = v.lang === 'vi' ? d.title_en : d.title_en ? d.title : null;
  const notesVi = d.notes;
  const notesEn = d.notes_en;
  const temporal = d.temporal_start || d.temporal_end ? `${viDate(d.temporal_start) || '…'} – ${viDate(d.temporal_end) || '…'}` : null;
  const contact =
    d.contact_name || d.contact_email
      ? html`${d.contact_name ?? ''} ${d.contact_email ? html`<a href="mailto:${d.contact_email}">${d.contact_email}</a>` : ''}`
      : null;
  const srcUrl = httpUrl(d.url);
  const body = html`${breadcrumb(v, [{ href: '/dataset', label: v.t('datasets') }, ...(full.org ? [{ href: `/organization/${full.org.slug}`, label: orgName(full.org, v.lang) }] : []), { label: datasetTitle(d, v.lang) }])}
    ${flash(opts.message)}
    <article class="dataset">
      <header class="dataset-header">
        <h1>${datasetTitle(d, v.lang)}</h1>
        ${otherTitle ? html`<p class="lead" lang="${v.lang === 'vi' ? 'en' : 'vi'}">${otherTitle}</p>` : ''}
        <p class="dataset-meta">
          ${orgLink(full.org, v.lang)} ${accessBadge(v, d.access_level)} ${d.state === 'draft' ? html`<span class="badge">${v.t('stateDraft')}</span>` : ''}
          ${d.shared_db ? html`<a class="badge badge-shared" href="/shared-databases">${v.t('sharedDbBadge')}</a>` : ''}
          ${d.harvest_source_id ? html`<span class="badge">${v.t('harvestedBadge')}</span>` : ''}
        </p>
        ${
          opts.editable
            ? html`<p class="editor-actions">
                <a class="button" href="/dataset/${d.name}/edit">${v.t('editDataset')}</a>
                <a class="button button-secondary" href="/dataset/${d.name}/resource/new">${v.t('addResource')}</a>
                <a class="button button-danger" href="/dataset/${d.name}/delete">${v.t('deleteDataset')}</a>
              </p>`
            : ''
        }
      </header>
      ${notesVi ? html`<div class="notes" lang="vi">${notesVi.split(/\n{2,}/).map((p) => html`<p>${p}</p>`)}</div>` : ''}
      ${notesEn ? html`<div class="notes" lang="en">${notesEn.split(/\n{2,}/).map((p) => html`<p>${p}</p>`)}</div>` : ''}
      <section aria-labelledby="res-h">
        <h2 id="res-h">${v.t('resources')}</h2>
        ${await resourcesBlock(v, files, full, opts.editable, opts.signal)}
      </section>
      ${opts.sections ?? ''} ${await sharedDbBlock(v, db, full)} ${provenance(v, full)}
      <section aria-labelledby="meta-h">
        <h2 id="meta-h">${v.t('metadata')}</h2>
        <dl class="details">
          ${dlRow(v.t('fieldTitleVi'), d.title)} ${dlRow(v.t('fieldTitleEn'), d.title_en ? html`<span lang="en">${d.title_en}</span>` : null)}
          ${dlRow(v.t('fieldOrganization'), orgLink(full.org, v.lang))} ${dlRow(v.t('fieldLicense'), d.license_id ? licenseTitle(d.license_id) : v.t('notSet'))}
          ${dlRow(
            v.t('fieldThemes'),
            full.groups.length
              ? html`<ul class="plain-list inline-list">
                  ${full.groups.map((g) => html`<li><a href="/group/${g.name}">${themeTitle(g.name, v.lang, full.groups)}</a></li>`)}
                </ul>`
              : null,
          )}
          ${dlRow(
            v.t('fieldTags'),
            full.tags.length
              ? html`<ul class="plain-list inline-list tags">
                  ${full.tags.map((t) => html`<li><a href="/dataset?tags=${encodeURIComponent(t.name)}">${t.name}</a></li>`)}
                </ul>`
              : null,
          )}
          ${dlRow(
            v.t('fieldSpatial'),
            d.spatial_codes.length
              ? html`<ul class="plain-list inline-list">
                  ${d.spatial_codes.map((c) => html`<li><a href="/dataset?spatial_codes=${c}">${units.get(c) ?? c}</a> <span class="note">(${c})</span></li>`)}
                </ul>`
              : null,
          )}
          ${dlRow(v.t('fieldTemporal'), temporal)} ${dlRow(v.t('fieldFrequency'), frequencyLabel(v, d.update_frequency))} ${dlRow(v.t('fieldContact'), contact)}
          ${dlRow(v.t('fieldAccess'), accessBadge(v, d.access_level))}
          ${dlRow(v.t('fieldSource'), srcUrl ? html`<a href="${srcUrl}" rel="noopener">${srcUrl}</a>` : null)} ${dlRow(v.t('fieldVersion'), d.version)}
          ${dlRow(v.t('fieldCreated'), formatDate(d.metadata_created, v.lang))} ${dlRow(v.t('fieldModified'), formatDate(d.metadata_modified, v.lang))}
          ${dlRow(v.t('fieldViews'), num(v, d.view_count))}
        </dl>
        <p>
          <a href="/dataset/${d.name}/activity">${v.t('activity')}</a> · ${v.t('metadataFormats')}:
          <a href="/dataset/${d.name}.ttl" type="text/turtle" rel="alternate">Turtle</a>,
          <a href="/dataset/${d.name}.rdf" type="application/rdf+xml" rel="alternate">RDF/XML</a>,
          <a href="/dataset/${d.name}.jsonld" type="application/ld+json" rel="alternate">JSON-LD</a>
        </p>
      </section>
    </article>
    ${d.access_level === 'public' && d.state === 'active' ? jsonLdScript(schemaOrgDataset(full, opts.baseUrl)) : ''}`;
  return layout(v, {
    title: titleText(d, v.lang),
    description: excerpt(notesText(d, v.lang), 300) || titleText(d, v.lang),
    body,
    noindex: d.access_level !== 'public' || d.state !== 'active',
  });
}

const MESSAGES: Record<string, CatalogKey> = {
  created: 'datasetCreated',
  saved: 'datasetSaved',
  resource: 'resourceAdded',
  'resource-deleted': 'resourceDeleted',
};

async function sendRdf(db: Db, req: FastifyRequest, reply: Parameters<typeof sendHtml>[0], name: string, format: RdfFormat, baseUrl: string) {
  const out = await datasetRdf(db, req.principal, name, format, baseUrl);
  return reply.header('vary', 'Accept').type(out.contentType).send(out.body);
}

export async function datasetPages(app: App, { db, files, baseUrl }: { db: Db; files: FileStore; baseUrl: string }): Promise<void> {
  app.get<{ Params: { name: string }; Querystring: { msg?: string } }>('/dataset/:name', { schema: { hide: true } }, async (req, reply) => {
    const v = viewOf(req, CATALOG_MESSAGES);
    const ext = /^(.+)\.(ttl|rdf|jsonld)$/.exec(req.params.name);
    if (ext) return sendRdf(db, req, reply, ext[1]!, ext[2] as RdfFormat, baseUrl);
    const rdf = preferredRdf(req.headers.accept);
    if (rdf) return sendRdf(db, req, reply, req.params.name, rdf, baseUrl);
    const full = await getDataset(db, req.principal, req.params.name);
    const viewer = await viewerOf(db, req.principal);
    const editable = mayEdit(viewer, full.dataset);
    const key = req.query.msg ? MESSAGES[req.query.msg] : undefined;
    const sections = await renderSlot(DATASET_PAGE_SECTIONS, v, req, {
      datasetId: full.dataset.id,
      name: full.dataset.name,
      resourceIds: full.resources.map((r) => r.id),
      editable,
    });
    const page = await datasetPage(v, db, files, full, { editable, baseUrl, signal: untilClientGone(reply), sections, ...(key ? { message: v.t(key) } : {}) });
    await countView(db, full.dataset.id);
    void reply.header('vary', 'Accept');
    return sendHtml(reply, page);
  });

  app.get<{ Params: { name: string } }>('/dataset/:name/activity', { schema: { hide: true } }, async (req, reply) => {
    const v = viewOf(req, CATALOG_MESSAGES);
    const full = await getDataset(db, req.principal, req.params.name);
    const rows = await datasetActivity(db, req.principal, full.dataset.id, 200);
    const d = full.dataset;
    const details = (changes: unknown): string => {
      const c = (changes ?? {}) as { fields?: unknown; name?: unknown };
      if (Array.isArray(c.fields)) return c.fields.length ? v.t('changedFields', { fields: c.fields.join(', ') }) : '';
      return typeof c.name === 'string' ? c.name : '';
    };
    const body = html`${breadcrumb(v, [{ href: '/dataset', label: v.t('datasets') }, { href: `/dataset/${d.name}`, label: datasetTitle(d, v.lang) }, { label: v.t('activity') }])}
      <h1>${v.t('activityTitle', { title: titleText(d, v.lang) })}</h1>
      ${
        rows.length
          ? html`${dataTable({
              className: 'activity',
              columns: [v.t('colWhen'), v.t('colWho'), v.t('colWhat'), v.t('colDetails')],
              rows: rows.map(
                (r) =>
                  html`<tr>
                    <td><time datetime="${r.at.toISOString()}">${formatDate(r.at, v.lang)}</time></td>
                    <td>${r.who ?? (r.email ? '' : v.t('system'))}${r.email ? html` <span class="note">${r.email}</span>` : ''}</td>
                    <td>${actionLabel(v, r.action)}</td>
                    <td>${details(r.changes)}</td>
                  </tr>`,
              ),
            })}`
          : html`<p>${v.t('activityNone')}</p>`
      }
      <p><a href="/dataset/${d.name}">${bilingual(d.title, d.title_en, v.lang)}</a></p>`;
    return sendHtml(reply, layout(v, { title: v.t('activityTitle', { title: titleText(d, v.lang) }), body, noindex: d.access_level !== 'public' }));
  });
}
