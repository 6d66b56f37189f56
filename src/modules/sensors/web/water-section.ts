import { html, type Html } from '../../../platform/http/index.js';
import { chartSvg, dataTable, num, type ShellKey, type View } from '../../../platform/web/index.js';
import { hex, wqiCategory } from '../indices/categories.js';
import type { WaterSample } from '../water/samples.js';
import { wqiBadge } from './aqi-badge.js';
import type { SENSORS_MESSAGES } from './messages.js';

type SensorView = View<keyof typeof SENSORS_MESSAGES | ShellKey>;

/** A sample's day, as Vietnam's calendar has it. */
export const sampleDay = (d: Date, lang: string): string =>
  d.toLocaleDateString(lang === 'en' ? 'en-GB' : 'vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' });

/** A water station's samples: the latest with each parameter's value and index, then every sample's VN_WQI as a chart and a table. */
export function waterSection(v: SensorView, samples: WaterSample[]): Html {
  const [latest] = samples;
  if (!latest)
    return html`<section aria-labelledby="wq-latest">
      <h2 id="wq-latest">${v.t('wqLatest')}</h2>
      <p class="empty">${v.t('wqNoSamples')}</p>
    </section>`;
  const c = latest.result ? wqiCategory(latest.result.wqi) : undefined;
  const oldestFirst = [...samples].reverse().filter((s) => s.result);
  return html`<section aria-labelledby="wq-latest" class="station-now">
      <h2 id="wq-latest">${v.t('wqLatest')} — ${sampleDay(latest.at, v.lang)}</h2>
      <p data-station-wqi>${wqiBadge(v, latest.result?.wqi ?? null, latest.note ?? v.t('envNoData'))}</p>
      ${c ? html`<p>${v.msg(c.meaning)}</p>` : latest.note ? html`<p class="muted">${latest.note}</p>` : ''}
      ${dataTable({
        columns: [v.t('stParameter'), v.t('stValue'), v.t('wqParameterIndex')],
        rows: Object.entries(latest.values).map(
          ([k, value]) =>
            html`<tr data-parameter="${k}">
              <td>${k}</td>
              <td>${num(v, value, { maximumFractionDigits: 4 })}</td>
              <td>${latest.result?.parameters[k] === undefined ? '' : num(v, latest.result.parameters[k]!)}</td>
            </tr>`,
        ),
        caption: v.t('wqLatest'),
        hideCaption: true,
      })}
    </section>
    <section aria-labelledby="wq-history">
      <h2 id="wq-history">${v.t('wqHistory')}</h2>
      ${
        oldestFirst.length > 1
          ? chartSvg(
              oldestFirst.map((s) => ({ label: sampleDay(s.at, v.lang), value: s.result!.wqi, color: hex(wqiCategory(s.result!.wqi)) })),
              { kind: 'bar', title: v.t('wqHistory'), format: (n) => num(v, n) },
            )
          : ''
      }
      ${dataTable({
        columns: [v.t('stDay'), v.t('wqWqi'), v.t('wqNote')],
        rows: samples.map(
          (s) =>
            html`<tr data-sample="${s.at.toISOString()}">
              <td>${sampleDay(s.at, v.lang)}</td>
              <td>${wqiBadge(v, s.result?.wqi ?? null)}</td>
              <td>${s.note ?? ''}</td>
            </tr>`,
        ),
        caption: v.t('wqHistory'),
        hideCaption: true,
      })}
    </section>`;
}
