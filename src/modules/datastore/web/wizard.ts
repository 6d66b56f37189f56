import type { FastifyReply, FastifyRequest } from 'fastify';
import { getResource } from '../../catalog/index.js';
import { actorOf } from '../../../platform/auth/index.js';
import { html, type App } from '../../../platform/http/index.js';
import type { ModuleContext } from '../../../platform/module.js';
import { breadcrumb, csrfField, formErrorOf, layout, requireSignedIn, sendHtml, UUID_RE, viewOf, type FormError } from '../../../platform/web/index.js';

import { editorSchemasOf, setSchema } from '../schema.js';
import { editorLoad, reload } from '../service.js';
import { fileStructure } from '../structure.js';
import { tableKeyText } from '../table-key.js';
import type { EditorSchema } from '../ingest/editor-schema.js';
import { DATASTORE_MESSAGES } from './messages.js';
import { choiceQuery, choicesOf, choicesOfSource, DELIMITERS, ENCODINGS, type WizardChoices } from './wizard-choices.js';
import { schemasFromForm } from './wizard-form.js';
import { progressBox, resultPart, schemaForm } from './wizard-result.js';
import { sheetGrid, stepsNav } from './wizard-steps.js';

type Body = Record<string, string>;
const formValues = (b: unknown): Body =>
  Object.fromEntries(
    Object.entries((b ?? {}) as Record<string, unknown>).map(([k, val]) => [k, Array.isArray(val) ? String(val[0] ?? '') : String(val ?? '')]),
  );

/**
 * The upload wizard, for editors of a dataset with an uploaded table file: structure and encoding
 * (first rows, detected header and data range, to correct) → a check of the whole file against
 * the schema (a dry-run load, with progress) → the schema (names, titles, types, constraints,
 * missing values) with the validation report → the load, with progress. Every step is a plain
 * form; the page script only adds live progress.
 */
export async function wizardPages(app: App, ctx: ModuleContext): Promise<void> {
  const { db, jobs, files } = ctx;
  const signedIn = { schema: { hide: true }, preHandler: requireSignedIn };

  /** The wizard's page around a step: the resource is read once per request, by the step. */
  const page = (req: FastifyRequest, found: Awaited<ReturnType<typeof getResource>>, step: Parameters<typeof stepsNav>[1], body: ReturnType<typeof html>) => {
    const v = viewOf(req, DATASTORE_MESSAGES);
    const { full, resource } = found;
    const title = v.t('wzTitle', { name: resource.name ?? resource.url });
    return layout(v, {
      title,
      noindex: true,
      body: html`${breadcrumb(v, [{ href: `/dataset/${full.dataset.name}`, label: full.dataset.title }, { label: title }])}
        <h1>${title}</h1>
        ${stepsNav(v, step)} ${body}`,
    });
  };

  const structurePage = async (req: FastifyRequest, reply: FastifyReply, rid: string, choices: WizardChoices, error?: FormError, status = 200) => {
    const v = viewOf(req, DATASTORE_MESSAGES);
    const f = await fileStructure({ db, files }, req.principal, rid, choices);
    const found = await getResource(db, req.principal, rid);
    const { resource } = found;
    const text = f.kind === 'delimited';
    const opt = (value: string, label: string, current: string | null | undefined) =>
      html`<option value="${value}" ${value === (current ?? '') ? html` selected` : ''}>${label}</option>`;
    const body = html`<p>${v.t('wzFile', { file: resource.url.split('/').pop() ?? '', format: f.format })}</p>
      <form method="post" action="/datastore/${rid}/wizard" class="wz-structure">
        ${csrfField(v)} ${error ? html`<div class="alert alert-error" role="alert">${error.message}</div>` : ''}
        ${
          text
            ? html`<div class="wz-text-options">
                <div class="field">
                  <label for="wz-encoding">${v.t('wzEncoding')}</label>
                  <select id="wz-encoding" name="encoding">
                    ${ENCODINGS.map((e) => opt(e, e.toUpperCase(), choices.encoding ?? f.encoding))}
                  </select>
                </div>
                <div class="field">
                  <label for="wz-delimiter">${v.t('wzDelimiter')}</label>
                  <select id="wz-delimiter" name="delimiter">
                    ${DELIMITERS.map((d) => opt(d === '\t' ? 'tab' : d, d === '\t' ? v.t('wzTab') : d, (choices.delimiter ?? f.delimiter) === '\t' ? 'tab' : (choices.delimiter ?? f.delimiter)))}
                  </select>
                </div>
              </div>`
            : ''
        }
        <p class="hint">${v.t('wzShown', { n: Math.max(0, ...f.sheets.map((s) => s.rows.length)) })}</p>
        ${f.sheets.map((s) => sheetGrid(v, f, s))}
        <div class="form-actions">
          <button type="submit" name="action" value="preview" class="button">${v.t('wzPreview')}</button>
          <button type="submit" name="action" value="check" class="button button-primary">${v.t('wzCheck')}</button>
          <button type="submit" name="action" value="load" class="button">${v.t('wzLoadNow')}</button>
        </div>
      </form>`;
    return sendHtml(reply, page(req, found, 'structure', body), status);
  };

  app.get<{ Params: { rid: string } }>('/datastore/:rid/wizard', signedIn, async (req, reply) => {
    const rid = req.params.rid;
    if (!UUID_RE.test(rid)) return reply.callNotFound();
    const v = viewOf(req, DATASTORE_MESSAGES);
    let choices: WizardChoices;
    try {
      choices = choicesOf(req.query as Record<string, unknown>);
    } catch (e) {
      return structurePage(req, reply, rid, {}, formErrorOf(e, v).error, 400);
    }
    return structurePage(req, reply, rid, choices);
  });

  app.post<{ Params: { rid: string } }>('/datastore/:rid/wizard', signedIn, async (req, reply) => {
    const rid = req.params.rid;
    if (!UUID_RE.test(rid)) return reply.callNotFound();
    const v = viewOf(req, DATASTORE_MESSAGES);
    const values = formValues(req.body);
    let choices: WizardChoices;
    try {
      choices = choicesOf(values);
      if (values.action === 'preview') return reply.redirect(`/datastore/${rid}/wizard?${choiceQuery(choices)}`, 303);
      const load = await reload(db, jobs, req.principal, actorOf(req), rid, { ...choices, dryRun: values.action !== 'load' });
      return reply.redirect(`/datastore/${rid}/wizard/load/${load.id}`, 303);
    } catch (e) {
      const { status, error } = formErrorOf(e, v);
      return structurePage(req, reply, rid, {}, error, status);
    }
  });

  const loadPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    rid: string,
    lid: string,
    error?: FormError,
    status = 200,
    typed?: Map<number, EditorSchema>,
  ) => {
    const v = viewOf(req, DATASTORE_MESSAGES);
    const load = await editorLoad(db, req.principal, rid, lid);
    const found = await getResource(db, req.principal, rid);
    const running = load.status === 'queued' || load.status === 'running';
    let body;
    if (running) body = progressBox(v, load, load.job_id ? await jobs.get(load.job_id) : undefined);
    else {
      const editors = typed ?? (await editorSchemasOf(db, req.principal, rid));
      body = html`${resultPart(v, rid, load)} ${load.status !== 'loaded' ? schemaForm(v, rid, load, editors, error) : ''}
        <p>
          <a href="/datastore/${rid}/wizard?${choiceQuery(choicesOfSource(load.source))}">← ${v.t('wzStepStructure')}</a>
        </p>`;
    }
    const step = running ? (load.source.dryRun ? 'report' : 'load') : load.status === 'loaded' ? 'load' : 'schema';
    return sendHtml(reply, page(req, found, step, body), status);
  };

  app.get<{ Params: { rid: string; lid: string } }>('/datastore/:rid/wizard/load/:lid', signedIn, async (req, reply) => {
    const { rid, lid } = req.params;
    if (!UUID_RE.test(rid) || !UUID_RE.test(lid)) return reply.callNotFound();
    return loadPage(req, reply, rid, lid);
  });

  app.post<{ Params: { rid: string } }>('/datastore/:rid/wizard/schema', signedIn, async (req, reply) => {
    const rid = req.params.rid;
    const values = formValues(req.body);
    if (!UUID_RE.test(rid) || !UUID_RE.test(values.load ?? '')) return reply.callNotFound();
    const v = viewOf(req, DATASTORE_MESSAGES);
    const previous = await editorLoad(db, req.principal, rid, values.load!);
    const schemas = schemasFromForm(values, previous.tables ?? []);
    try {
      for (const [sheet, schema] of schemas) await setSchema(db, req.principal, actorOf(req), tableKeyText({ resourceId: rid, sheet }), schema);
      const choices = choicesOf(values);
      const load = await reload(db, jobs, req.principal, actorOf(req), rid, { ...choices, dryRun: values.action !== 'load' });
      return reply.redirect(`/datastore/${rid}/wizard/load/${load.id}`, 303);
    } catch (e) {
      const { status, error } = formErrorOf(e, v);
      return loadPage(req, reply, rid, previous.id, error, status, schemas);
    }
  });
}
