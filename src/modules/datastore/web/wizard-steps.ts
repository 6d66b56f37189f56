import { html, type Html } from '../../../platform/http/index.js';
import type { FileStructure, SheetStructure } from '../structure.js';
import type { DsView } from './messages.js';

export type WizardStep = 'structure' | 'schema' | 'report' | 'load';

/** The wizard's steps, the current one marked. */
export function stepsNav(v: DsView, current: WizardStep): Html {
  const steps: [WizardStep | 'file', string][] = [
    ['file', v.t('wzStepFile')],
    ['structure', v.t('wzStepStructure')],
    ['schema', v.t('wzStepSchema')],
    ['report', v.t('wzStepReport')],
    ['load', v.t('wzStepLoad')],
  ];
  const at = steps.findIndex(([s]) => s === current);
  return html`<nav aria-label="${v.t('wzSteps')}">
    <ol class="wizard-steps">
      ${steps.map(([, label], i) => html`<li class="${i < at ? 'done' : i === at ? 'current' : ''}" ${i === at ? html` aria-current="step"` : ''}>${label}</li>`)}
    </ol>
  </nav>`;
}

const KIND_KEY = {
  title: 'wzKind_title',
  numbering: 'wzKind_numbering',
  section: 'wzKind_section',
  total: 'wzKind_total',
  footer: 'wzKind_footer',
  blank: 'wzKind_blank',
} as const;

/** What a sheet row is to the loader: header, data, left out (and why), or outside the table. */
type RowKey = keyof typeof KIND_KEY | 'header' | 'data' | null;

function rowRole(s: SheetStructure, row: number): { cls: string; key: RowKey } {
  const skipped = s.skipped.find((k) => k.row === row);
  if (skipped) return { cls: `ws-skip ws-${skipped.kind}`, key: skipped.kind };
  if (s.header_rows && row >= s.header_rows[0] && row <= s.header_rows[1]) return { cls: 'ws-header', key: 'header' };
  if (s.data_rows && row >= s.data_rows[0] && row <= s.data_rows[1]) return { cls: 'ws-data', key: 'data' };
  return { cls: 'ws-outside', key: null };
}

const rangeInputs = (v: DsView, s: SheetStructure, kind: 'h' | 'd', label: string, range: [number, number] | null): Html => {
  const id = `wz-${kind}${s.index}`;
  return html`<fieldset class="wz-range">
    <legend>${label}</legend>
    <label for="${id}-from" class="visually-hidden">${label} 1</label>
    <input id="${id}-from" name="${kind}${s.index}_from" type="number" min="1" inputmode="numeric" value="${range ? String(range[0]) : ''}" />
    –
    <label for="${id}-to" class="visually-hidden">${label} 2</label>
    <input id="${id}-to" name="${kind}${s.index}_to" type="number" min="1" inputmode="numeric" value="${range ? String(range[1]) : ''}" />
  </fieldset>`;
};

/** One sheet: the header and data range inputs and its first rows, coloured by what the loader does with them. */
export function sheetGrid(v: DsView, f: FileStructure, s: SheetStructure): Html {
  const cols = Array.from({ length: Math.min(s.columns, 40) }, (_, i) => i);
  return html`<section class="wz-sheet" data-sheet="${String(s.index)}">
    ${s.name ? html`<h2>${v.t('dsSheet', { name: s.name })}</h2>` : ''} ${s.header_rows ? '' : html`<p class="alert alert-warning">${v.t('wzNoTable')}</p>`}
    <div class="wz-ranges">
      ${rangeInputs(v, s, 'h', v.t('wzHeaderRows'), s.header_rows)} ${f.kind !== 'json' ? rangeInputs(v, s, 'd', v.t('wzDataRows'), s.data_rows) : ''}
    </div>
    <div class="table-wrap">
      <table class="wz-grid">
        <caption class="visually-hidden">
          ${v.t('wzShown', { n: s.rows.length })}
        </caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col"></th>
            ${cols.map((c) => html`<th scope="col">${colName(c)}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${s.rows.map((r, i) => {
            const role = rowRole(s, i + 1);
            const label = role.key === null ? '' : v.t(role.key === 'header' ? 'wzKind_header' : role.key === 'data' ? 'wzKind_data' : KIND_KEY[role.key]);
            return html`<tr class="${role.cls}">
              <th scope="row">${String(i + 1)}</th>
              <td class="ws-role">${label}</td>
              ${cols.map((c) => html`<td>${r[c] ?? ''}</td>`)}
            </tr>`;
          })}
        </tbody>
      </table>
    </div>
  </section>`;
}

/** A, B, … Z, AA… as spreadsheets name columns. */
function colName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
