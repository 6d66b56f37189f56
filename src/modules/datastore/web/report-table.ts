import { html, type Html } from '../../../platform/http/index.js';
import { dataTable } from '../../../platform/web/index.js';
import type { ValidationReport } from '../ingest/report.js';
import type { DsView } from './messages.js';

/** A validation report's errors (the first 50): row, field, value, message. */
export function reportTable(v: DsView, report: ValidationReport | null | undefined): Html {
  const errors = report?.tasks.flatMap((t) => t.errors) ?? [];
  if (!errors.length) return html``;
  return dataTable({
    caption: v.t('dsErrorsCaption', { n: report!.stats.errors }),
    className: 'ds-report',
    columns: [v.t('dsRow'), v.t('dsField'), v.t('dsValue'), v.t('dsMessage')],
    rows: errors.slice(0, 50).map(
      (e) =>
        html`<tr>
          <td>${e.rowNumber ?? ''}</td>
          <td>${e.fieldName ?? ''}</td>
          <td>${e.cell ?? ''}</td>
          <td>${e.message}</td>
        </tr>`,
    ),
  });
}
