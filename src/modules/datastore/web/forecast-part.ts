import type { FastifyRequest } from 'fastify';
import type { Db } from '../../../platform/db/index.js';
import { html, isAppError, type Html } from '../../../platform/http/index.js';
import { dataTable, forecastChartSvg, num } from '../../../platform/web/index.js';
import { forecastColumn } from '../forecast.js';
import type { LoadedField } from '../ingest/write-table.js';
import type { DsView } from './messages.js';

const TIME_TYPES = ['date', 'timestamp', 'timestamptz'];
const NUMBER_TYPES = ['numeric', 'bigint', 'float8'];

/** The forecast's choices as the page's query: `fc_time`, `fc_value`, `fc_h` (steps), `fc_agg`. */
export interface ForecastChoice {
  time: string;
  value: string;
  horizon: number;
  agg?: 'sum' | 'avg';
}

export function forecastChoice(query: Record<string, unknown>): ForecastChoice | null {
  const time = typeof query.fc_time === 'string' ? query.fc_time : '';
  const value = typeof query.fc_value === 'string' ? query.fc_value : '';
  if (!time || !value) return null;
  const h = Number(query.fc_h);
  const agg = query.fc_agg === 'sum' || query.fc_agg === 'avg' ? query.fc_agg : undefined;
  return { time, value, horizon: Number.isInteger(h) && h >= 1 && h <= 1000 ? h : 12, ...(agg ? { agg } : {}) };
}

/** The form that asks for a forecast: a date or time column, a numeric column, the steps, how rows at one time combine. */
export function forecastForm(v: DsView, key: string, fields: LoadedField[], c: ForecastChoice | null): Html {
  const times = fields.filter((f) => TIME_TYPES.includes(f.pgType));
  const numbers = fields.filter((f) => NUMBER_TYPES.includes(f.pgType));
  if (!times.length || !numbers.length) return html``;
  const opt = (value: string, label: string, current: string | undefined) =>
    html`<option value="${value}" ${value === current ? html` selected` : ''}>${label}</option>`;
  return html`<form method="get" action="/datastore/${key}#dp-forecast" class="dp-chart-form" id="dp-forecast">
    <h2>${v.t('dpForecast')}</h2>
    <div class="field">
      <label for="fc-time">${v.t('dpForecastTime')}</label>
      <select id="fc-time" name="fc_time">
        ${times.map((f) => opt(f.id, f.title, c?.time))}
      </select>
    </div>
    <div class="field">
      <label for="fc-value">${v.t('dpForecastValue')}</label>
      <select id="fc-value" name="fc_value">
        ${numbers.map((f) => opt(f.id, f.title, c?.value))}
      </select>
    </div>
    <div class="field">
      <label for="fc-h">${v.t('dpForecastHorizon')}</label>
      <input id="fc-h" name="fc_h" type="number" min="1" max="1000" value="${String(c?.horizon ?? 12)}" />
    </div>
    <div class="field">
      <label for="fc-agg">${v.t('dpForecastAgg')}</label>
      <select id="fc-agg" name="fc_agg">
        ${opt('', v.t('dpForecastNoAgg'), c?.agg ?? '')}${opt('sum', v.t('dpForecastSum'), c?.agg)}${opt('avg', v.t('dpForecastAvg'), c?.agg)}
      </select>
    </div>
    <button type="submit" class="button">${v.t('dpForecastDo')}</button>
  </form>`;
}

/** The forecast asked for, drawn as a band after the latest values with its table; a refusal (bad column, irregular times) in words. */
export async function forecastPart(v: DsView, db: Db, req: FastifyRequest, key: string, fields: LoadedField[], c: ForecastChoice): Promise<Html> {
  let f: Awaited<ReturnType<typeof forecastColumn>>;
  try {
    f = await forecastColumn(db, req.principal, key, c);
  } catch (e) {
    if (!isAppError(e) || e.status >= 500) throw e;
    return html`<div class="alert alert-error" role="alert">${v.msg(e.msg, e.params)}</div>`;
  }
  const fmt = (n: number) => num(v, Math.round(n * 100) / 100);
  const title = fields.find((x) => x.id === c.value)?.title ?? c.value;
  const caption = v.t('dpForecastCaption', { value: title, n: c.horizon });
  const best = f.evaluation?.scores[0];
  const points = [
    ...f.history.map((h) => ({ label: h.time, ...(h.value !== null ? { value: h.value } : {}) })),
    ...f.forecast.map((p) => ({ label: p.time, mean: p.mean, lo80: p.lower80, hi80: p.upper80, lo95: p.lower95, hi95: p.upper95 })),
  ];
  const api = `/api/v1/datastore/${key}/forecast?${new URLSearchParams({ time: c.time, value: c.value, horizon: String(c.horizon), ...(c.agg ? { agg: c.agg } : {}) }).toString()}`;
  return html`<figure class="dp-chart dp-forecast">
    ${forecastChartSvg(points, { title: caption, format: fmt })}
    <figcaption>
      ${caption}.
      ${best && f.evaluation ? v.t('dpForecastModel', { model: f.model, origins: f.evaluation.origins.length, mase: fmt(best.mase) }) : f.note ? v.msg(f.note) : f.model}
    </figcaption>
    <details>
      <summary>${v.t('dpForecastMean')}</summary>
      ${dataTable({
        columns: [v.t('dpForecastTime'), v.t('dpForecastMean'), v.t('dpForecastRange95')],
        rows: f.forecast.map(
          (p) =>
            html`<tr>
              <td>${p.time}</td>
              <td>${fmt(p.mean)}</td>
              <td>${fmt(p.lower95)} – ${fmt(p.upper95)}</td>
            </tr>`,
        ),
      })}
    </details>
    <p>
      ${v.t('dsApiCall')}: <code><a href="${api}">${api}</a></code>
    </p>
  </figure>`;
}
