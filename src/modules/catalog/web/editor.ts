import fastifyMultipart from '@fastify/multipart';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { resolveAdminUnit } from '../../admin-units/index.js';
import { canEdit, requireMayEdit, viewerOf, type Viewer } from '../access.js';
import { createDataset, createResource, deleteDataset, deleteResource, getDataset, updateDataset } from '../service.js';
import { LICENSES } from '../licenses.js';
import { THEMES } from '../themes.js';
import { type DatasetFull } from '../full.js';
import { type DatasetInput } from '../input.js';
import { listOrganizations, organizationsByIds, type Organization, ORG_KINDS as KINDS, kindLabel, orgNameText } from '../../organizations/index.js';
import { actorOf } from '../../../platform/auth/index.js';
import type { EventBus } from '../../../platform/events.js';
import type { Db } from '../../../platform/db/index.js';
import { notFound, forbidden, html, refuseDeclaredTooLarge, type App, type Html } from '../../../platform/http/index.js';
import { safeFilename, TooLargeError, type FileStore } from '../../../platform/storage/index.js';
import { datasetTitle, titleText, viDate } from './components.js';
import {
  breadcrumb,
  csrfField,
  errorSummary,
  field,
  formErrorOf,
  input,
  layout,
  messageFor,
  requireSignedIn,
  select,
  textarea as textareaField,
  sendHtml,
  type FormError,
  type Values,
  viewOf,
} from '../../../platform/web/index.js';
import { CATALOG_MESSAGES, type CView } from './messages.js';
import { methodLabel, accessLabel } from './labels.js';

const ACCESS = ['public', 'government', 'restricted', 'private'] as const;
const METHODS = ['lgsp', 'file', 'datastore_api'] as const;
const ID = 'ds';
const BEFORE_REFORM = '2025-06-30';

/** Service error fields → form field names. */
const FIELD_MAP: Record<string, string> = {
  'shared_db.managing_org': 'sdb_managing_org',
  'shared_db.legal_basis': 'sdb_legal_basis',
  'shared_db.data_owner': 'sdb_data_owner',
  'shared_db.sharing_methods': 'sdb_methods',
  'shared_db.allowed_orgs': 'sdb_allowed_orgs',
  'shared_db.allowed_kinds': 'sdb_allowed_kinds',
  owner_org: 'owner_org',
};

/** Every value of a (possibly repeated) form field. */
function fields(body: unknown, name: string): string[] {
  if (!body || typeof body !== 'object') return [];
  const v = (body as Record<string, unknown>)[name];
  return (Array.isArray(v) ? v : [v]).filter((s): s is string => typeof s === 'string' && s !== '');
}

const splitList = (s: string | undefined): string[] =>
  (s ?? '')
    .split(/[,;\n]/)
    .map((x) => x.trim())
    .filter(Boolean);

/** dd/mm/yyyy (or d/m/yyyy) → yyyy-mm-dd; other text is passed on for the service to check. */
export function toIsoDate(s: string): string | null {
  const t = s.trim();
  if (!t) return null;
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (!m) return t;
  return `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
}

class FormProblem extends Error {
  constructor(readonly error: FormError) {
    super(error.message);
  }
}

/** Codes stay; names are resolved with the admin-units resolver (unique matches only). */
async function spatialCodes(db: Db, v: CView, raw: string): Promise<string[]> {
  const out: string[] = [];
  for (const token of splitList(raw)) {
    if (/^\d{2,5}$/.test(token)) {
      out.push(token);
      continue;
    }
    // Today's units first, then those before the July 2025 reform (most of Ninh Thuận's history).
    let r = await resolveAdminUnit(db, { name: token }).catch(() => null);
    if (!r?.match || r.ambiguous) r = await resolveAdminUnit(db, { name: token, at: BEFORE_REFORM }).catch(() => null);
    if (!r?.match || r.ambiguous) throw new FormProblem({ field: 'spatial_codes', message: v.t('spatialUnknown', { value: token }) });
    out.push(r.match.code);
  }
  return out;
}

function valuesOfBody(body: unknown): Values {
  const names = [
    'title',
    'title_en',
    'name',
    'notes',
    'notes_en',
    'owner_org',
    'license_id',
    'tags',
    'access_level',
    'restricted_orgs',
    'spatial_codes',
    'temporal_start',
    'temporal_end',
    'update_frequency',
    'contact_name',
    'contact_email',
    'sdb_on',
    'sdb_managing_org',
    'sdb_legal_basis',
    'sdb_data_owner',
    'sdb_update_frequency',
    'sdb_allowed_orgs',
  ];
  const out: Values = Object.fromEntries(names.map((n) => [n, field(body, n)]));
  for (const multi of ['groups', 'restricted_kinds', 'sdb_methods', 'sdb_allowed_kinds']) out[multi] = fields(body, multi).join(',');
  return out;
}

async function inputOf(db: Db, v: CView, values: Values): Promise<DatasetInput> {
  const orNull = (s: string | undefined) => (s && s.trim() ? s.trim() : null);
  const access = (values.access_level || 'public') as DatasetInput['access_level'];
  const sdb = values.sdb_on === 'on';
  return {
    title: values.title ?? '',
    title_en: orNull(values.title_en),
    ...(values.name ? { name: values.name.trim() } : {}),
    notes: orNull(values.notes),
    notes_en: orNull(values.notes_en),
    owner_org: values.owner_org ?? '',
    license_id: orNull(values.license_id),
    groups: splitList(values.groups).map((name) => ({ name })),
    tags: splitList(values.tags),
    access_level: access,
    restricted_orgs: access === 'restricted' ? splitList(values.restricted_orgs) : [],
    restricted_kinds: access === 'restricted' ? splitList(values.restricted_kinds) : [],
    spatial_codes: await spatialCodes(db, v, values.spatial_codes ?? ''),
    temporal_start: toIsoDate(values.temporal_start ?? ''),
    temporal_end: toIsoDate(values.temporal_end ?? ''),
    update_frequency: orNull(values.update_frequency),
    contact_name: orNull(values.contact_name),
    contact_email: orNull(values.contact_email),
    shared_db: sdb
      ? {
          ...(values.sdb_managing_org ? { managing_org: values.sdb_managing_org } : {}),
          legal_basis: values.sdb_legal_basis ?? '',
          data_owner: values.sdb_data_owner ?? '',
          update_frequency: orNull(values.sdb_update_frequency),
          sharing_methods: splitList(values.sdb_methods),
          allowed_orgs: splitList(values.sdb_allowed_orgs),
          allowed_kinds: splitList(values.sdb_allowed_kinds),
        }
      : null,
  };
}

async function valuesOfDataset(db: Db, full: DatasetFull): Promise<Values> {
  const d = full.dataset;
  const s = d.shared_db;
  const ids = [...d.restricted_orgs, ...(s ? [s.managingOrgId, ...s.allowedOrgIds] : [])];
  const orgs = new Map((await organizationsByIds(db, ids)).map((o) => [o.id, o.slug]));
  const slugs = (xs: string[]) => xs.map((id) => orgs.get(id) ?? id).join(', ');
  return {
    title: d.title,
    title_en: d.title_en ?? '',
    name: d.name,
    notes: d.notes ?? '',
    notes_en: d.notes_en ?? '',
    owner_org: full.org?.slug ?? d.owner_org,
    license_id: d.license_id ?? '',
    groups: full.groups.map((g) => g.name).join(','),
    tags: full.tags.map((t) => t.name).join(', '),
    access_level: d.access_level,
    restricted_orgs: slugs(d.restricted_orgs),
    restricted_kinds: d.restricted_kinds.join(','),
    spatial_codes: d.spatial_codes.join(', '),
    temporal_start: viDate(d.temporal_start),
    temporal_end: viDate(d.temporal_end),
    update_frequency: d.update_frequency ?? '',
    contact_name: d.contact_name ?? '',
    contact_email: d.contact_email ?? '',
    sdb_on: s ? 'on' : '',
    sdb_managing_org: s ? (orgs.get(s.managingOrgId) ?? '') : '',
    sdb_legal_basis: s?.legalBasis ?? '',
    sdb_data_owner: s?.dataOwner ?? '',
    sdb_update_frequency: s?.updateFrequency ?? '',
    sdb_methods: s?.sharingMethods.join(',') ?? '',
    sdb_allowed_orgs: s ? slugs(s.allowedOrgIds) : '',
    sdb_allowed_kinds: s?.allowedKinds.join(',') ?? '',
  };
}

const textarea = (o: { name: string; label: string; values: Values; error?: FormError | undefined; lang?: string; hint?: string }): Html =>
  textareaField({ idPrefix: ID, ...o });

function checkboxGroup(o: { name: string; legend: string; options: { value: string; label: string }[]; values: Values; error?: FormError | undefined }): Html {
  const checked = splitList(o.values[o.name]);
  const message = messageFor(o.error, o.name);
  const invalid = message !== undefined;
  return html`<fieldset class="field checkbox-group${invalid ? ' field-invalid' : ''}" id="${ID}-${o.name}" tabindex="-1">
    <legend>${o.legend}</legend>
    ${invalid ? html`<p class="field-error">${message}</p>` : ''}
    <ul>
      ${o.options.map(
        (opt, i) =>
          html`<li class="field-check">
            <input type="checkbox" id="${ID}-${o.name}-${i}" name="${o.name}" value="${opt.value}" ${checked.includes(opt.value) ? html` checked` : ''} /><label
              for="${ID}-${o.name}-${i}"
              >${opt.label}</label
            >
          </li>`,
      )}
    </ul>
  </fieldset>`;
}

function datasetForm(
  v: CView,
  o: { action: string; values: Values; orgs: Organization[]; allOrgs: Organization[]; error?: FormError | undefined; editing: boolean },
): Html {
  const { values, error } = o;
  const base = { idPrefix: ID, values, error };
  const kinds = KINDS.map((k) => ({ value: k, label: kindLabel(v, k) }));
  return html`<form method="post" action="${o.action}" class="stack dataset-form" novalidate>
    ${csrfField(v)} ${errorSummary(v, error, ID)}
    <fieldset>
      <legend>${v.t('fieldTitle')}</legend>
      ${input({ ...base, name: 'title', label: v.t('fieldTitleVi'), required: true, attrs: html` lang="vi"` })}
      ${input({ ...base, name: 'title_en', label: v.t('fieldTitleEn'), attrs: html` lang="en"` })}
      ${input({
        ...base,
        name: 'name',
        label: v.t('fieldDatasetName'),
        hint: v.t('fieldDatasetNameHint'),
        required: o.editing,
        attrs: html` pattern="[a-z0-9_\\-]{2,100}" spellcheck="false" autocapitalize="off"${o.editing ? '' : html` data-slug-from="${ID}-title"`}`,
      })}
    </fieldset>
    ${textarea({ name: 'notes', label: v.t('fieldNotesVi'), values, error, lang: 'vi' })}
    ${textarea({ name: 'notes_en', label: v.t('fieldNotesEn'), values, error, lang: 'en' })}
    ${select({ ...base, name: 'owner_org', label: v.t('fieldOrganization'), required: true, options: o.orgs.map((org) => ({ value: org.slug, label: orgNameText(org, v.lang) })) })}
    ${select({ ...base, name: 'license_id', label: v.t('fieldLicense'), options: [{ value: '', label: v.t('none') }, ...LICENSES.map((l) => ({ value: l.id, label: l.title }))] })}
    ${checkboxGroup({ name: 'groups', legend: v.t('fieldThemes'), values, error, options: THEMES.map((t) => ({ value: t.name, label: v.lang === 'en' ? t.title_en : t.title })) })}
    ${input({ ...base, name: 'tags', label: v.t('fieldTags'), hint: v.t('fieldTagsHint') })}
    <fieldset>
      <legend>${v.t('fieldAccess')}</legend>
      ${select({ ...base, name: 'access_level', label: v.t('fieldAccess'), options: ACCESS.map((a) => ({ value: a, label: accessLabel(v, a) })) })}
      ${input({ ...base, name: 'restricted_orgs', label: v.t('fieldRestrictedOrgs'), hint: v.t('fieldRestrictedOrgsHint') })}
      ${checkboxGroup({ name: 'restricted_kinds', legend: v.t('fieldRestrictedKinds'), values, error, options: kinds })}
    </fieldset>
    ${input({ ...base, name: 'spatial_codes', label: v.t('fieldSpatial'), hint: v.t('fieldSpatialHint') })}
    <fieldset>
      <legend>${v.t('fieldTemporal')}</legend>
      ${input({ ...base, name: 'temporal_start', label: v.t('fieldTemporalStart'), hint: v.t('fieldDateHint'), attrs: html` inputmode="numeric"` })}
      ${input({ ...base, name: 'temporal_end', label: v.t('fieldTemporalEnd'), hint: v.t('fieldDateHint'), attrs: html` inputmode="numeric"` })}
    </fieldset>
    ${input({ ...base, name: 'update_frequency', label: v.t('fieldFrequency'), hint: v.t('fieldFrequencyHint') })}
    <fieldset>
      <legend>${v.t('fieldContact')}</legend>
      ${input({ ...base, name: 'contact_name', label: v.t('fieldContactName'), autocomplete: 'off' })}
      ${input({ ...base, name: 'contact_email', label: v.t('fieldContactEmail'), type: 'email', autocomplete: 'off' })}
    </fieldset>
    <fieldset class="shared-db-fields">
      <legend>${v.t('sharedDbBlock')}</legend>
      <div class="field field-check">
        <input id="${ID}-sdb_on" name="sdb_on" type="checkbox" value="on" ${values.sdb_on === 'on' ? html` checked` : ''} /><label for="${ID}-sdb_on"
          >${v.t('sharedDbDesignate')}</label
        >
      </div>
      ${select({
        ...base,
        name: 'sdb_managing_org',
        label: v.t('sharedDbManaging'),
        options: [{ value: '', label: v.t('fieldOrganization') }, ...o.allOrgs.map((org) => ({ value: org.slug, label: orgNameText(org, v.lang) }))],
      })}
      ${input({ ...base, name: 'sdb_legal_basis', label: v.t('sharedDbLegal') })} ${input({ ...base, name: 'sdb_data_owner', label: v.t('sharedDbOwner') })}
      ${input({ ...base, name: 'sdb_update_frequency', label: v.t('fieldFrequency') })}
      ${checkboxGroup({ name: 'sdb_methods', legend: v.t('sharedDbMethods'), values, error, options: METHODS.map((m) => ({ value: m, label: methodLabel(v, m) })) })}
      ${input({ ...base, name: 'sdb_allowed_orgs', label: v.t('sharedDbAllowed'), hint: v.t('sharedDbAllowedOrgsHint') })}
      ${checkboxGroup({ name: 'sdb_allowed_kinds', legend: v.t('sharedDbAllowedKinds'), values, error, options: kinds })}
    </fieldset>
    <div class="form-actions">
      <button type="submit" class="button">${o.editing ? v.t('save') : v.t('create')}</button>
    </div>
  </form>`;
}

/** Organizations the viewer may publish for: all for sysadmins, else those they edit. */
async function editableOrgs(db: Db, viewer: Viewer): Promise<{ orgs: Organization[]; all: Organization[] }> {
  const all = (await listOrganizations(db)).sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  return { orgs: all.filter((o) => canEdit(viewer, { owner_org: o.id })), all };
}

/** The dataset, if the caller may edit it here (403 otherwise, 404 when absent). */
async function editable(db: Db, req: FastifyRequest, name: string): Promise<DatasetFull> {
  const full = await getDataset(db, req.principal, name);
  const viewer = await viewerOf(db, req.principal);
  requireMayEdit(viewer, full.dataset);
  return full;
}

interface Upload {
  key: string;
  size: number;
  sha256: string;
  filename: string;
  mimetype: string | null;
}
type UploadPart = Upload | { tooLarge: true } | null;

/** Files stored while parsing a request, removed after the response unless a resource took them. */
const pending = new WeakMap<FastifyRequest, Set<string>>();

export async function editorPages(
  app: App,
  { db, files, maxUploadBytes, events }: { db: Db; files: FileStore; maxUploadBytes: number; events: EventBus },
): Promise<void> {
  const MAX_UPLOAD = maxUploadBytes;
  const MAX_UPLOAD_MB = Math.round(maxUploadBytes / 1024 / 1024);
  const signedIn = { schema: { hide: true }, preHandler: requireSignedIn };

  const renderForm = async (req: FastifyRequest, v: CView, o: { full?: DatasetFull; values: Values; error?: FormError }) => {
    const viewer = await viewerOf(db, req.principal);
    const { orgs, all } = await editableOrgs(db, viewer);
    if (!o.full && orgs.length === 0) throw forbidden('forbidden', { vi: v.t('noEditableOrgs'), en: v.t('noEditableOrgs') });
    // The owner stays selectable when editing even if the editor lost rights elsewhere.
    const owner = o.full ? all.find((x) => x.id === o.full!.dataset.owner_org) : undefined;
    const choices = owner && !orgs.some((x) => x.id === owner.id) ? [owner, ...orgs] : orgs;
    const action = o.full ? `/dataset/${o.full.dataset.name}/edit` : '/dataset/new';
    const title = o.full ? v.t('editDatasetTitle', { title: titleText(o.full.dataset, v.lang) }) : v.t('newDataset');
    const crumbs = o.full
      ? [
          { href: '/dataset', label: v.t('datasets') },
          { href: `/dataset/${o.full.dataset.name}`, label: datasetTitle(o.full.dataset, v.lang) },
          { label: v.t('editDataset') },
        ]
      : [{ href: '/dataset', label: v.t('datasets') }, { label: v.t('newDataset') }];
    const body = html`${breadcrumb(v, crumbs)}
      <h1>${title}</h1>
      ${datasetForm(v, { action, values: o.values, orgs: choices, allOrgs: all, error: o.error, editing: !!o.full })}`;
    return layout(v, { title, body, noindex: true });
  };

  app.get('/dataset/new', signedIn, async (req, reply) => {
    const v = viewOf(req, CATALOG_MESSAGES);
    const viewer = await viewerOf(db, req.principal);
    const { orgs } = await editableOrgs(db, viewer);
    const q = req.query as Record<string, string | undefined>;
    const org = orgs.find((o) => o.slug === q.organization) ?? orgs[0];
    return sendHtml(reply, await renderForm(req, v, { values: { owner_org: org?.slug ?? '', access_level: 'public', license_id: 'cc-by' } }));
  });

  app.post('/dataset/new', signedIn, async (req, reply) => {
    const v = viewOf(req, CATALOG_MESSAGES);
    const values = valuesOfBody(req.body);
    try {
      const full = await createDataset(db, req.principal, actorOf(req), await inputOf(db, v, values));
      return reply.redirect(`/dataset/${full.dataset.name}?msg=created`, 303);
    } catch (e) {
      const { status, error } = e instanceof FormProblem ? { status: 400, error: e.error } : formErrorOf(e, v, FIELD_MAP);
      return sendHtml(reply, await renderForm(req, v, { values, error }), status);
    }
  });

  app.get<{ Params: { name: string } }>('/dataset/:name/edit', signedIn, async (req, reply) => {
    const v = viewOf(req, CATALOG_MESSAGES);
    const full = await editable(db, req, req.params.name);
    return sendHtml(reply, await renderForm(req, v, { full, values: await valuesOfDataset(db, full) }));
  });

  app.post<{ Params: { name: string } }>('/dataset/:name/edit', signedIn, async (req, reply) => {
    const v = viewOf(req, CATALOG_MESSAGES);
    const full = await editable(db, req, req.params.name);
    const values = valuesOfBody(req.body);
    try {
      const inputs = await inputOf(db, v, values);
      const updated = await updateDataset(db, req.principal, actorOf(req), full.dataset.id, { ...inputs, name: values.name?.trim() ?? '' }, 'patch');
      return reply.redirect(`/dataset/${updated.dataset.name}?msg=saved`, 303);
    } catch (e) {
      const { status, error } = e instanceof FormProblem ? { status: 400, error: e.error } : formErrorOf(e, v, FIELD_MAP);
      return sendHtml(reply, await renderForm(req, v, { full, values, error }), status);
    }
  });

  app.get<{ Params: { name: string } }>('/dataset/:name/delete', signedIn, async (req, reply) => {
    const v = viewOf(req, CATALOG_MESSAGES);
    const full = await editable(db, req, req.params.name);
    const d = full.dataset;
    const title = v.t('deleteDatasetTitle', { title: titleText(d, v.lang) });
    const body = html`${breadcrumb(v, [{ href: '/dataset', label: v.t('datasets') }, { href: `/dataset/${d.name}`, label: datasetTitle(d, v.lang) }, { label: v.t('deleteDataset') }])}
      <h1>${title}</h1>
      <p>${v.t('deleteDatasetWarn')}</p>
      <form method="post" action="/dataset/${d.name}/delete" class="form-actions">
        ${csrfField(v)}
        <button type="submit" class="button button-danger">${v.t('deleteConfirm')}</button>
        <a href="/dataset/${d.name}">${v.t('cancel')}</a>
      </form>`;
    return sendHtml(reply, layout(v, { title, body, noindex: true }));
  });

  app.post<{ Params: { name: string } }>('/dataset/:name/delete', signedIn, async (req, reply) => {
    const full = await editable(db, req, req.params.name);
    await deleteDataset(db, req.principal, actorOf(req), full.dataset.id);
    return reply.redirect(full.org ? `/organization/${full.org.slug}` : '/dataset', 303);
  });

  app.post<{ Params: { name: string; rid: string } }>('/dataset/:name/resource/:rid/delete', signedIn, async (req, reply) => {
    const full = await editable(db, req, req.params.name);
    const r = full.resources.find((x) => x.id === req.params.rid);
    if (!r) throw notFound('resource_not_found', { vi: 'Bộ dữ liệu không có tài nguyên này.', en: 'This dataset has no such resource.' }, 'rid');
    await deleteResource(db, req.principal, actorOf(req), r.id, { events });
    return reply.redirect(`/dataset/${full.dataset.name}?msg=resource-deleted`, 303);
  });

  // Uploads: multipart only for these routes, files streamed straight into the file store.
  await app.register(async (up: App) => {
    await up.register(fastifyMultipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: MAX_UPLOAD + 1, files: 1, fields: 20, fieldSize: 64 * 1024 },
      async onFile(this: FastifyRequest, part: MultipartFile) {
        const p = part as MultipartFile & { value: UploadPart };
        if (!this.principal.user || !part.filename) {
          part.file.resume();
          p.value = null;
          return;
        }
        try {
          const stored = await files.put(part.file, MAX_UPLOAD);
          const set = pending.get(this) ?? new Set<string>();
          set.add(stored.key);
          pending.set(this, set);
          p.value = { key: stored.key, size: stored.size, sha256: stored.sha256, filename: safeFilename(part.filename), mimetype: part.mimetype || null };
        } catch (e) {
          if (!(e instanceof TooLargeError)) throw e;
          part.file.resume();
          p.value = { tooLarge: true };
        }
      },
    });
    up.addHook('onRequest', refuseDeclaredTooLarge(MAX_UPLOAD));
    up.addHook('onResponse', async (req) => {
      for (const key of pending.get(req) ?? []) await files.remove(key);
    });

    const resourceForm = (v: CView, full: DatasetFull, values: Values, error?: FormError) => {
      const d = full.dataset;
      const base = { idPrefix: 'res', values, error };
      const title = v.t('addResourceTitle', { title: titleText(d, v.lang) });
      const body = html`${breadcrumb(v, [{ href: '/dataset', label: v.t('datasets') }, { href: `/dataset/${d.name}`, label: datasetTitle(d, v.lang) }, { label: v.t('addResource') }])}
        <h1>${title}</h1>
        <form method="post" action="/dataset/${d.name}/resource/new" enctype="multipart/form-data" class="stack" data-upload-progress novalidate>
          ${csrfField(v)} ${errorSummary(v, error, 'res')}
          ${input({ ...base, name: 'upload', label: v.t('fieldUpload'), type: 'file', hint: v.t('fieldUploadHint', { mb: MAX_UPLOAD_MB }) })}
          ${input({ ...base, name: 'url', label: v.t('fieldResourceUrl'), type: 'url', hint: v.t('fieldResourceUrlHint') })}
          ${input({ ...base, name: 'name', label: v.t('fieldResourceName') })}
          <div class="field">
            <label for="res-description">${v.t('fieldResourceDesc')}</label>
            <textarea id="res-description" name="description" rows="3">${values.description ?? ''}</textarea>
          </div>
          ${input({ ...base, name: 'format', label: v.t('fieldFormat'), hint: v.t('fieldFormatHint') })}
          <div class="upload-progress" hidden>
            <label for="res-progress">${v.t('uploadProgress')}</label>
            <progress id="res-progress" max="100" value="0">0%</progress>
            <span class="upload-percent" aria-live="polite" data-uploading-label="${v.t('uploading')}"></span>
          </div>
          <button type="submit" class="button">${v.t('addResource')}</button>
        </form>`;
      return layout(v, { title, body, noindex: true });
    };

    up.get<{ Params: { name: string } }>('/dataset/:name/resource/new', signedIn, async (req, reply) => {
      const v = viewOf(req, CATALOG_MESSAGES);
      const full = await editable(db, req, req.params.name);
      return sendHtml(reply, resourceForm(v, full, {}));
    });

    up.post<{ Params: { name: string } }>('/dataset/:name/resource/new', signedIn, async (req, reply) => {
      const v = viewOf(req, CATALOG_MESSAGES);
      const full = await editable(db, req, req.params.name);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const values: Values = { url: field(body, 'url'), name: field(body, 'name'), description: field(body, 'description'), format: field(body, 'format') };
      const upload = body.upload as UploadPart | undefined;
      const fail = (f: string, message: string) => sendHtml(reply, resourceForm(v, full, values, { field: f, message }), 400);
      if (upload && 'tooLarge' in upload) return fail('upload', v.t('uploadTooLarge', { mb: MAX_UPLOAD_MB }));
      const url = values.url?.trim() ?? '';
      if (!upload && !url) return fail('upload', v.t('uploadOrUrl'));
      if (!upload && !/^https?:\/\/\S+$/i.test(url)) return fail('url', v.t('urlInvalid'));
      const input = {
        name: values.name || null,
        description: values.description || null,
        format: values.format || null,
        url: upload ? upload.filename : url,
      };
      try {
        const r = await createResource(
          db,
          req.principal,
          actorOf(req),
          full.dataset.id,
          input,
          upload ? { storageKey: upload.key, filename: upload.filename, size: upload.size, mimetype: upload.mimetype, sha256: upload.sha256 } : undefined,
          { events },
        );
        if (upload) pending.get(req)?.delete(upload.key);
        const location = `/dataset/${full.dataset.name}?msg=resource#resource-${r.id}`;
        // The progress script cannot stop XMLHttpRequest from following a redirect, so it is told where to go.
        if (req.headers['x-upload-progress']) return reply.header('cache-control', 'no-store').send({ location });
        return reply.redirect(location, 303);
      } catch (e) {
        const { status, error } = formErrorOf(e, v);
        return sendHtml(reply, resourceForm(v, full, values, error), status);
      }
    });
  });
}
