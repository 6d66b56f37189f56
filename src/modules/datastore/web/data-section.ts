import type { Db } from '../../../platform/db/index.js';
import type { JobQueue } from '../../../platform/jobs/index.js';
import { html, raw, type Html } from '../../../platform/http/index.js';
import { dataTable, fill, num, viewOf, type SlotFill } from '../../../platform/web/index.js';
import { DATASET_PAGE_SECTIONS } from '../../catalog/index.js';
import { geometryOf } from '../export.js';
import { previewOf } from '../service.js';
import { tableKeyText } from '../table-key.js';
import { DATASTORE_MESSAGES } from './messages.js';
import { STATUS_KEY, TYPE_KEY } from './labels.js';
import { reportTable } from './report-table.js';
import { progressBox } from './wizard-result.js';

const PREVIEW_ROWS = 20;
const cell = (v: unknown): string => (v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v));

/**
 * The datastore's section on a dataset page (the catalog's slot; the page already checked that
 * the viewer may read the dataset): per resource with a table, its fields, first rows, the CSV
 * download and the API call; for editors also the latest load and its validation report.
 */
export function dataSectionFill(db: Db, jobs: JobQueue): SlotFill {
  return fill(DATASET_PAGE_SECTIONS, 20, async (_v, req, { resourceIds, editable }) => {
    const v = viewOf(req, DATASTORE_MESSAGES);
    const parts: Html[] = [];
    for (const rid of resourceIds) {
      const preview = await previewOf(db, req.principal, rid, { rows: PREVIEW_ROWS, withLoads: editable });
      if (!preview) continue;
      const { tables, latest, title } = preview;
      const body = tables.map(({ table, rows }) => {
        const key = tableKeyText({ resourceId: rid, sheet: table.sheet });
        const api = `/api/3/action/datastore_search?resource_id=${key}&limit=${PREVIEW_ROWS}`;
        return html`${tables.length > 1 || table.sheet_name ? html`<h3>${v.t('dsSheet', { name: table.sheet_name ?? String(table.sheet) })}</h3>` : ''}
          <p>${v.t('dsRows', { n: num(v, table.row_count), f: table.fields.length })}</p>
          <details>
            <summary>${v.t('dsFieldsCaption')}</summary>
            ${dataTable({
              columns: [v.t('dsField'), v.t('dsType')],
              rows: table.fields.map(
                (f) =>
                  html`<tr>
                    <td><code>${f.id}</code></td>
                    <td>${v.t(TYPE_KEY[f.type] ?? 'dsTypeString')}${f.converted ? html` (${v.t('dsConverted', { font: f.converted.toUpperCase() })})` : ''}</td>
                  </tr>`,
              ),
            })}
          </details>
          ${dataTable({
            caption: v.t('dsFirstRows', { n: Math.min(PREVIEW_ROWS, table.row_count) }),
            className: 'ds-preview',
            columns: table.fields.map((f) => f.id),
            rows: rows.map(
              (r) =>
                html`<tr>
                  ${table.fields.map((f) => html`<td>${cell(r[f.id])}</td>`)}
                </tr>`,
            ),
          })}
          <p class="ds-downloads">
            ${v.t('dsDownload')}:
            ${(['csv', 'xlsx', 'json', ...(geometryOf(table.fields) ? ['geojson'] : [])] as const).map(
              (f) => html`<a class="button" href="/api/v1/datastore/${key}/export.${f}" download>${f.toUpperCase()}</a> `,
            )}
          </p>
          <p>
            ${v.t('dsApiCall')}: <code><a href="${api}">${api}</a></code>
          </p>
          <p><a class="button button-primary" href="/datastore/${key}">${v.t('dpOpen')}</a></p>`;
      });
      let status: Html = html``;
      if (latest) {
        const notes = latest.report?.tasks.flatMap((t) => t.warnings) ?? [];
        const running = latest.status === 'queued' || latest.status === 'running';
        // A load in progress: rows, % and ETA, live for whoever may follow its job (a link to reload when it ends).
        const progress = running && latest.job_id ? progressBox(v, latest, await jobs.get(latest.job_id), { reloadWhenDone: false }) : html``;
        status = html`${progress}
          <p class="ds-load ds-load-${latest.status}">
            ${v.t('dsLoadStatus', { status: v.t(STATUS_KEY[latest.status]) })}${latest.error ? html`: ${latest.error}` : ''}
          </p>
          ${
            notes.length
              ? html`<ul class="ds-notes">
                  ${notes.slice(0, 30).map((n) => html`<li>${n}</li>`)}
                </ul>`
              : ''
          }
          ${reportTable(v, latest.report)}`;
      }
      if (editable && latest)
        status = html`${status}
          <p><a class="button" href="/datastore/${rid}/wizard">${v.t('wzOpen')}</a></p>`;
      parts.push(
        html`<section class="datastore" id="data-${rid}" data-resource="${rid}">
          <h2>${v.t('dsSectionTitle', { name: title })}</h2>
          ${status} ${body}
        </section>`,
      );
    }
    return parts.length ? html`${parts}` : raw('');
  });
}
