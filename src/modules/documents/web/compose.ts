import fastifyMultipart from '@fastify/multipart';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { actorOf } from '../../../platform/auth/index.js';
import { html, type App, type Html } from '../../../platform/http/index.js';
import type { ModuleContext } from '../../../platform/module.js';
import {
  csrfField,
  errorSummary,
  field,
  formErrorOf,
  input,
  messageFor,
  requireSignedIn,
  select,
  sendHtml,
  textarea,
  viewOf,
  type FormError,
  type Values,
} from '../../../platform/web/index.js';
import { requireClerk } from '../access.js';
import { replacementDraft } from '../actions.js';
import { DOC_TYPES, PRIORITIES, SECRECY } from '../codes.js';
import type { ComposeInput } from '../compose.js';
import { orgOf } from '../routes.js';
import { MAX_ATTACHMENT_BYTES, storeUpload } from '../uploads.js';
import { sendComposed, type DocsDeps } from '../send.js';
import type { DocumentsTables } from '../tables.js';
import { DOCUMENTS_MESSAGES, type DocumentsView } from './messages.js';
import { dmy, documentsPage, numberOf } from './parts.js';

const signedIn = { schema: { hide: true }, preHandler: requireSignedIn };
const P = 'dc';
const MAX_FILES = 20;
type Upload = { key: string } | { tooLarge: true } | null;

/** The form's text fields, named as ComposeInput names them. */
const TEXT_FIELDS = [
  'code_number',
  'code_notation',
  'promulgation_date',
  'place',
  'doc_type',
  'subject',
  'content',
  'priority',
  'secrecy',
  'due_date',
  'signer_competence',
  'signer_position',
  'signer_full_name',
] as const;

interface FormState {
  org: { slug: string; name: string };
  values: Values;
  error?: FormError | undefined;
  agencies: { organ_code: string; name: string }[];
  chosen: string[];
  replaces?: { id: string; number: string } | undefined;
}

function form(v: DocumentsView, s: FormState): Html {
  const base = { idPrefix: P, values: s.values, error: s.error };
  const types = DOC_TYPES.map((t) => ({ value: `${t.type}.${t.detail}`, label: `${t.type === '2' ? '(QPPL) ' : ''}${t.name}` }));
  const title = s.replaces ? v.t('dcReplaceTitle', { number: s.replaces.number }) : `${v.t('dcCompose')} · ${s.org.name}`;
  const body = html`<h1>${title}</h1>
    <form method="post" action="/edoc/org/${s.org.slug}/compose" enctype="multipart/form-data" class="stack" data-upload-progress novalidate>
      ${csrfField(v)} ${errorSummary(v, s.error, P)}
      ${
        s.replaces
          ? html`<input type="hidden" name="replaces" value="${s.replaces.id}" /> ${input({ ...base, name: 'reason', label: v.t('dcReason'), required: true })}`
          : ''
      }
      <div class="field">
        <label for="${P}-to">${v.t('dcToField')} <span class="req" aria-hidden="true">*</span></label>
        <p class="hint" id="${P}-to-hint">${v.t('dcToHint')}</p>
        ${messageFor(s.error, 'to') ? html`<p class="field-error" id="${P}-to-error">${messageFor(s.error, 'to')}</p>` : ''}
        <select id="${P}-to" name="to" multiple size="8" aria-describedby="${P}-to-hint">
          ${s.agencies.map((a) => html`<option value="${a.organ_code}" ${s.chosen.includes(a.organ_code) ? html` selected` : ''}>${a.name} (${a.organ_code})</option>`)}
        </select>
      </div>
      ${textarea({ ...base, name: 'to_other', label: v.t('dcTo'), rows: 2, hint: 'mã định danh / organ codes' })}
      <div class="field-row">
        ${input({ ...base, name: 'code_number', label: v.t('dcCodeNumber'), required: true })}
        ${input({ ...base, name: 'code_notation', label: v.t('dcCodeNotation'), hint: v.t('dcCodeNotationHint') })}
        ${input({ ...base, name: 'promulgation_date', label: v.t('dcDate'), required: true, hint: v.t('dcDateHint') })}
        ${input({ ...base, name: 'place', label: v.t('dcPlace') })}
      </div>
      ${select({ ...base, name: 'doc_type', label: v.t('dcType'), required: true, options: types })}
      ${textarea({ ...base, name: 'subject', label: v.t('dcSubject'), required: true, rows: 3 })}
      ${textarea({ ...base, name: 'content', label: v.t('dcContent'), rows: 4 })}
      <div class="field-row">
        ${select({ ...base, name: 'priority', label: v.t('dcPriority'), options: Object.entries(PRIORITIES).map(([value, m]) => ({ value, label: v.msg(m) })) })}
        ${select({ ...base, name: 'secrecy', label: v.t('dcSecrecy'), options: Object.entries(SECRECY).map(([value, m]) => ({ value, label: v.msg(m) })) })}
        ${input({ ...base, name: 'due_date', label: v.t('dcDue'), hint: v.t('dcDateHint') })}
      </div>
      <div class="field-row">
        ${input({ ...base, name: 'signer_competence', label: v.t('dcSignerCompetence'), hint: v.t('dcSignerCompetenceHint') })}
        ${input({ ...base, name: 'signer_position', label: v.t('dcSignerPosition') })}
        ${input({ ...base, name: 'signer_full_name', label: v.t('dcSignerName') })}
      </div>
      ${input({ ...base, name: 'files', label: v.t('dcAttachments'), type: 'file', hint: v.t('dcAttachmentsHint'), attrs: html` multiple` })}
      <div class="upload-progress" hidden>
        <label for="${P}-progress">${v.t('dcUploadProgress')}</label>
        <progress id="${P}-progress" max="100" value="0">0%</progress>
        <span class="upload-percent" aria-live="polite" data-uploading-label="${v.t('dcUploading')}"></span>
      </div>
      <button type="submit" class="button">${v.t('dcSend')}</button>
    </form>`;
  return documentsPage(v, { title, body, crumbs: [{ href: `/edoc/org/${s.org.slug}/outbox`, label: s.org.name }, { label: v.t('dcCompose') }] });
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).filter((x): x is string => typeof x === 'string');

/** The compose form: a multipart POST whose files are streamed to storage as uploads, then sent by the same service as the API. */
export async function composePages(web: App, ctx: ModuleContext, deps: DocsDeps): Promise<void> {
  const { db } = ctx;
  const agencies = async (own: string) =>
    (
      await db
        .withTables<DocumentsTables>()
        .selectFrom('organization')
        .select(['organ_code', 'name'])
        .where('organ_code', 'is not', null)
        .where('id', '!=', own)
        .orderBy('name')
        .execute()
    ).map((r) => ({ organ_code: r.organ_code!, name: r.name }));

  await web.register(async (up: App) => {
    const pending = new WeakMap<FastifyRequest, string[]>();
    await up.register(fastifyMultipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: MAX_ATTACHMENT_BYTES + 1, files: MAX_FILES, fields: 60, fieldSize: 64 * 1024 },
      async onFile(this: FastifyRequest, part: MultipartFile) {
        const p = part as MultipartFile & { value: Upload };
        if (!this.principal.user || !part.filename) {
          part.file.resume();
          p.value = null;
          return;
        }
        try {
          const u = await storeUpload(deps, this.principal, actorOf(this), part.file, part.filename, part.mimetype);
          pending.set(this, [...(pending.get(this) ?? []), u.key]);
          p.value = { key: u.key };
        } catch (e) {
          part.file.resume();
          p.value = { tooLarge: true };
          if ((e as { statusCode?: number; status?: number }).status !== 413) throw e;
        }
      },
    });
    // Files of a form that was not sent (an error in it) are not kept: the clerk chooses them again.
    up.addHook('onResponse', async (req) => {
      for (const key of pending.get(req) ?? []) {
        const left = await db.withTables<DocumentsTables>().deleteFrom('doc_upload').where('file_key', '=', key).returning('file_key').executeTakeFirst();
        if (left) await ctx.files.remove(key).catch(() => undefined);
      }
    });

    up.get<{ Params: { org: string }; Querystring: { replaces?: string } }>('/edoc/org/:org/compose', signedIn, async (req, reply) => {
      const v = viewOf(req, DOCUMENTS_MESSAGES);
      const org = await orgOf(db, req.params.org);
      requireClerk(req.principal, org.id);
      let values: Values = { priority: '0', secrecy: '0', doc_type: '1.18', promulgation_date: dmy(new Date().toISOString().slice(0, 10)) };
      let chosen: string[] = [];
      let replaces: FormState['replaces'];
      const draft =
        req.query.replaces && /^[0-9a-f-]{36}$/i.test(req.query.replaces) ? await replacementDraft(db, req.principal, org.id, req.query.replaces) : undefined;
      if (draft) {
        const { input: base, doc: old } = draft;
        values = Object.fromEntries(TEXT_FIELDS.map((k) => [k, String(base[k] ?? '')]));
        values.promulgation_date = dmy(old.promulgation_date);
        values.due_date = dmy(old.due_date);
        chosen = base.to.map((t) => (typeof t === 'string' ? t : t.organ_id));
        replaces = { id: old.id, number: numberOf(old) };
      }
      return sendHtml(reply, form(v, { org, values, agencies: await agencies(org.id), chosen, replaces }));
    });

    up.post<{ Params: { org: string } }>('/edoc/org/:org/compose', signedIn, async (req, reply) => {
      const v = viewOf(req, DOCUMENTS_MESSAGES);
      const org = await orgOf(db, req.params.org);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const values: Values = Object.fromEntries([...TEXT_FIELDS, 'to_other', 'reason', 'replaces'].map((k) => [k, field(body, k)]));
      const chosen = list(body.to);
      const other = (values.to_other ?? '').split(/[\s,;]+/).filter(Boolean);
      const uploads = (Array.isArray(body.files) ? body.files : [body.files]) as Upload[];
      const state = { org, values, agencies: await agencies(org.id), chosen, replaces: values.replaces ? { id: values.replaces, number: '' } : undefined };
      if (uploads.some((u) => u && 'tooLarge' in u))
        return sendHtml(reply, form(v, { ...state, error: { field: 'files', message: v.t('dcUploadTooLarge') } }), 413);
      const input: ComposeInput = {
        ...(Object.fromEntries(TEXT_FIELDS.map((k) => [k, values[k]])) as unknown as Omit<ComposeInput, 'to'>),
        to: [...chosen, ...other],
        attachments: uploads.filter((u): u is { key: string } => !!u && 'key' in u).map((u) => u.key),
      };
      try {
        const doc = await sendComposed(deps, req.principal, actorOf(req), org.id, input, { replaces: values.replaces || undefined, reason: values.reason });
        pending.delete(req);
        const location = `/edoc/doc/${doc.id}?msg=sent`;
        if (req.headers['x-upload-progress']) return reply.header('cache-control', 'no-store').send({ location });
        return reply.redirect(location, 303);
      } catch (e) {
        const recipients = Object.fromEntries(input.to.map((_, i) => [`to[${i}]`, i < chosen.length ? 'to' : 'to_other']));
        const { status, error } = formErrorOf(e, v, { org: 'to', ...recipients });
        return sendHtml(reply, form(v, { ...state, error }), status);
      }
    });
  });
}
