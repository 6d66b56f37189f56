import { format } from '../i18n/index.js';
import { html, isAppError, type Html } from '../http/index.js';
import type { View } from './view.js';

/** A validation failure to show next to a field (or above the form when `field` is unknown); `all` when there are several. */
export interface FormError {
  field: string | undefined;
  message: string;
  all?: { field: string | undefined; message: string }[];
}

/** The message for one form field, if the error concerns it. */
export const messageFor = (error: FormError | undefined, name: string): string | undefined =>
  error ? (error.all ?? [error]).find((e) => e.field === name)?.message : undefined;

export type Values = Record<string, string>;

/** Turns a service's AppError (400/409/422) into a form error; anything else is rethrown. */
export function formErrorOf(e: unknown, v: View, fieldMap: Record<string, string> = {}): { status: number; error: FormError } {
  if (!isAppError(e) || e.status >= 500 || e.status === 401 || e.status === 403) throw e;
  const mapped = (f: string | undefined) => (f ? (fieldMap[f] ?? f) : undefined);
  const all = e.fieldErrors.map((f) => ({ field: mapped(f.field), message: format(f.msg, v.lang, f.params) }));
  return { status: e.status, error: { field: mapped(e.field), message: format(e.msg, v.lang, e.params), ...(all.length > 1 ? { all } : {}) } };
}

export const csrfField = (v: View): Html => html`<input type="hidden" name="_csrf" value="${v.csrf ?? ''}" />`;

/** An error summary at the top of a form; focusable so the message is announced. */
export function errorSummary(v: View, error: FormError | undefined, idPrefix: string): Html {
  if (!error) return html``;
  const link = (e: { field: string | undefined; message: string }) => (e.field ? html`<a href="#${idPrefix}-${e.field}">${e.message}</a>` : html`${e.message}`);
  if (!error.all) return html`<div class="alert alert-error" role="alert" id="${idPrefix}-summary"><strong>${v.t('formErrors')}</strong> ${link(error)}</div>`;
  return html`<div class="alert alert-error" role="alert" id="${idPrefix}-summary">
    <strong>${v.t('formErrors')}</strong>
    <ul>
      ${error.all.map((e) => html`<li>${link(e)}</li>`)}
    </ul>
  </div>`;
}

interface InputOptions {
  idPrefix: string;
  name: string;
  label: string;
  values: Values;
  error?: FormError | undefined;
  type?: string;
  required?: boolean;
  autocomplete?: string;
  hint?: string;
  attrs?: Html;
}

function describedBy(id: string, hint: boolean, err: boolean): Html {
  const ids = [hint ? `${id}-hint` : '', err ? `${id}-error` : ''].filter(Boolean).join(' ');
  return ids ? html` aria-describedby="${ids}"` : html``;
}

const fieldError = (id: string, error: FormError | undefined, name: string): Html => {
  const message = messageFor(error, name);
  return message ? html`<p class="field-error" id="${id}-error">${message}</p>` : html``;
};

/** A labelled input with its hint and error wired through aria-describedby. */
export function input(o: InputOptions): Html {
  const id = `${o.idPrefix}-${o.name}`;
  const invalid = messageFor(o.error, o.name) !== undefined;
  const type = o.type ?? 'text';
  const value = type === 'password' ? '' : (o.values[o.name] ?? '');
  return html`<div class="field${invalid ? ' field-invalid' : ''}">
    <label for="${id}">${o.label}${o.required ? html` <span class="req" aria-hidden="true">*</span>` : ''}</label>
    ${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''} ${fieldError(id, o.error, o.name)}
    <input
      id="${id}"
      name="${o.name}"
      type="${type}"
      value="${value}"
      ${o.required ? html` required` : ''}${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''}${invalid ? html` aria-invalid="true"` : ''}${describedBy(id, !!o.hint, invalid)}${o.attrs ?? ''}
    />
  </div>`;
}

export function select(o: InputOptions & { options: { value: string; label: string }[] }): Html {
  const id = `${o.idPrefix}-${o.name}`;
  const invalid = messageFor(o.error, o.name) !== undefined;
  const current = o.values[o.name] ?? '';
  return html`<div class="field${invalid ? ' field-invalid' : ''}">
    <label for="${id}">${o.label}${o.required ? html` <span class="req" aria-hidden="true">*</span>` : ''}</label>
    ${fieldError(id, o.error, o.name)}
    <select id="${id}" name="${o.name}" ${o.required ? html` required` : ''}${invalid ? html` aria-invalid="true"` : ''}${describedBy(id, false, invalid)}>
      ${o.options.map((opt) => html`<option value="${opt.value}" ${opt.value === current ? html` selected` : ''}>${opt.label}</option>`)}
    </select>
  </div>`;
}

export function checkbox(o: { idPrefix: string; name: string; label: string; checked: boolean }): Html {
  const id = `${o.idPrefix}-${o.name}`;
  return html`<div class="field field-check">
    <input id="${id}" name="${o.name}" type="checkbox" value="on" ${o.checked ? html` checked` : ''} /><label for="${id}">${o.label}</label>
  </div>`;
}

/** A multi-line text field with its label, hint and error (the same markup rules as `input`). */
export function textarea(o: InputOptions & { rows?: number; lang?: string; monospace?: boolean }): Html {
  const id = `${o.idPrefix}-${o.name}`;
  const invalid = messageFor(o.error, o.name) !== undefined;
  return html`<div class="field${invalid ? ' field-invalid' : ''}">
    <label for="${id}">${o.label}${o.required ? html` <span class="req" aria-hidden="true">*</span>` : ''}</label>
    ${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''} ${fieldError(id, o.error, o.name)}
    <textarea
      id="${id}"
      name="${o.name}"
      rows="${o.rows ?? 5}"
      ${o.monospace ? html` class="code" spellcheck="false"` : ''}${o.lang ? html` lang="${o.lang}"` : ''}${o.required ? html` required` : ''}${invalid ? html` aria-invalid="true"` : ''}${describedBy(id, !!o.hint, invalid)}${o.attrs ?? ''}
    >
${o.values[o.name] ?? ''}</textarea>
  </div>`;
}
