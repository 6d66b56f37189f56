import { html, type Html } from '../../../platform/http/index.js';
import type { JobStatus } from '../../../platform/jobs/index.js';
import { csrfField, errorSummary, num, type FormError } from '../../../platform/web/index.js';
import type { EditorSchema } from '../ingest/editor-schema.js';
import { FIELD_TYPES } from '../ingest/editor-schema.js';
import { DEFAULT_MISSING } from '../ingest/rows.js';
import { tableKeyText } from '../table-key.js';
import type { DatastoreLoadRow, LoadTableInfo } from '../tables.js';
import { TYPE_KEY } from './labels.js';
import { reportTable } from './report-table.js';
import { choicesOfSource, hiddenChoices } from './wizard-choices.js';
import { fileFields } from './wizard-form.js';
import type { DsView } from './messages.js';

/** A running load: its progress (rows, %, ETA) from the job, polled by the page script (or a reload without it). */
export function progressBox(v: DsView, load: DatastoreLoadRow, job: JobStatus | undefined, opts: { reloadWhenDone?: boolean } = {}): Html {
  const done = job?.progress.done ?? 0;
  const total = job?.progress.total ?? 0;
  const pct = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  const started = load.started_at?.getTime();
  const eta = started && done > 0 && total > done ? Math.round(((Date.now() - started) / 1000) * ((total - done) / done)) : null;
  return html`<div
    class="wz-progress"
    role="status"
    aria-live="polite"
    data-job="${load.job_id ?? ''}"
    ${opts.reloadWhenDone === false ? '' : html` data-reload-when-done="1"`}
  >
    <p class="wz-progress-text">${v.t('wzRunning', { percent: pct })} ${job?.progress.message ?? ''} ${eta !== null ? v.t('wzEta', { s: eta }) : ''}</p>
    <progress max="100" value="${String(pct)}">${String(pct)}%</progress>
    <p><a href="">${v.t('wzReload')}</a></p>
  </div>`;
}

/** The outcome of a finished load or check, in words. */
export function outcome(v: DsView, load: DatastoreLoadRow): Html {
  const rows = num(v, load.row_count ?? 0);
  switch (load.status) {
    case 'checked':
      return html`<p class="alert alert-success" role="status">${v.t('wzChecked', { rows })}</p>`;
    case 'loaded':
      return html`<p class="alert alert-success" role="status">${v.t('wzLoaded', { rows, version: load.version ?? 0 })}</p>`;
    case 'invalid':
      return html`<p class="alert alert-error" role="alert">${v.t('wzInvalid', { n: load.report?.stats.errors ?? 0 })}</p>`;
    case 'failed':
      return html`<p class="alert alert-error" role="alert">${v.t('wzFailed', { error: load.error ?? '' })}</p>`;
    default:
      return html``;
  }
}

const joinList = (l: string[] | undefined) => (l ?? []).join('|');

/** One table's schema rows: each found field with its name, title, type and constraints, prefilled from the editor's schema. */
function tableFields(v: DsView, t: LoadTableInfo, editor: EditorSchema | undefined): Html {
  const p = `t${t.sheet}`;
  const byName = new Map((editor?.fields ?? []).map((f) => [f.name, f]));
  const missing = (editor?.missingValues ?? DEFAULT_MISSING).filter((m) => m !== '');
  const own = fileFields(t);
  return html`<fieldset class="wz-schema" data-table="${String(t.sheet)}">
    <legend>
      ${t.sheet_name ? v.t('dsSheet', { name: t.sheet_name }) : v.t('wzTableN', { n: t.sheet })} · ${v.t('dsRows', { n: num(v, t.rows), f: t.fields.length })}
    </legend>
    <input type="hidden" name="${p}_count" value="${String(own.length)}" />
    <div class="table-wrap">
      <table class="wz-fields">
        <thead>
          <tr>
            <th scope="col">${v.t('wzName')}</th>
            <th scope="col">${v.t('wzFieldTitle')}</th>
            <th scope="col">${v.t('dsType')}</th>
            <th scope="col">${v.t('wzRequired')}</th>
            <th scope="col">${v.t('wzMin')}</th>
            <th scope="col">${v.t('wzMax')}</th>
            <th scope="col">${v.t('wzEnum')}</th>
          </tr>
        </thead>
        <tbody>
          ${own.map((f, i) => {
            const e = byName.get(f.id);
            const c = e?.constraints ?? f.constraints ?? {};
            const n = `${p}_f${i}`;
            const pinned = e?.type;
            const label = (k: string) => `${f.id}: ${k}`;
            return html`<tr>
              <td><input name="${n}_name" value="${f.id}" aria-label="${label(v.t('wzName'))}" required /></td>
              <td><input name="${n}_title" value="${f.title}" aria-label="${label(v.t('wzFieldTitle'))}" /></td>
              <td>
                <select name="${n}_type" aria-label="${label(v.t('dsType'))}">
                  <option value="">${v.t('wzTypeAuto')}: ${v.t(TYPE_KEY[f.type] ?? 'dsTypeString')}</option>
                  ${FIELD_TYPES.map((ty) => html`<option value="${ty}" ${pinned === ty ? html` selected` : ''}>${v.t(TYPE_KEY[ty]!)}</option>`)}
                </select>
              </td>
              <td><input type="checkbox" name="${n}_required" value="on" ${c.required ? html` checked` : ''} aria-label="${label(v.t('wzRequired'))}" /></td>
              <td><input name="${n}_min" value="${c.minimum !== undefined ? String(c.minimum) : ''}" size="8" aria-label="${label(v.t('wzMin'))}" /></td>
              <td><input name="${n}_max" value="${c.maximum !== undefined ? String(c.maximum) : ''}" size="8" aria-label="${label(v.t('wzMax'))}" /></td>
              <td><input name="${n}_enum" value="${joinList(c.enum)}" aria-label="${label(v.t('wzEnum'))}" /></td>
            </tr>`;
          })}
        </tbody>
      </table>
    </div>
    <div class="field">
      <label for="${p}-missing">${v.t('wzMissing')}</label>
      <input id="${p}-missing" name="${p}_missing" value="${joinList(missing)}" />
    </div>
  </fieldset>`;
}

/** The schema step: the fields each table was found with, to adjust, and the buttons to check again or load. */
export function schemaForm(v: DsView, rid: string, load: DatastoreLoadRow, editors: Map<number, EditorSchema>, error: FormError | undefined): Html {
  const tables = load.tables ?? [];
  if (!tables.length) return html``;
  return html`<form method="post" action="/datastore/${rid}/wizard/schema" class="wz-schema-form">
    ${csrfField(v)} <input type="hidden" name="load" value="${load.id}" /> ${errorSummary(v, error, 'wz')} ${hiddenChoices(choicesOfSource(load.source))}
    ${tables.map((t) => tableFields(v, t, editors.get(t.sheet)))}
    <div class="form-actions">
      <button type="submit" name="action" value="check" class="button">${v.t('wzSaveCheck')}</button>
      <button type="submit" name="action" value="load" class="button button-primary">${v.t('wzSaveLoad')}</button>
    </div>
  </form>`;
}

/** The report of a finished load, and the data page's link when it loaded. */
export function resultPart(v: DsView, rid: string, load: DatastoreLoadRow): Html {
  const notes = load.report?.tasks.flatMap((t) => t.warnings) ?? [];
  return html`${outcome(v, load)}
  ${
    notes.length
      ? html`<ul class="ds-notes">
          ${notes.slice(0, 30).map((n) => html`<li>${n}</li>`)}
        </ul>`
      : ''
  }
  ${reportTable(v, load.report)}
  ${load.status === 'loaded' ? html`<p><a class="button button-primary" href="/datastore/${tableKeyText({ resourceId: rid, sheet: 1 })}">${v.t('wzSeeData')}</a></p>` : ''}`;
}
