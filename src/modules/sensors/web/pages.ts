import { sql } from 'kysely';
import type { Live } from '../live.js';
import { html, notFound, type App } from '../../../platform/http/index.js';
import type { ModuleContext } from '../../../platform/module.js';
import {
  breadcrumb,
  chartSvg,
  dataTable,
  forecastChartSvg,
  formatDate,
  layout,
  num,
  renderSlot,
  sendHtml,
  viewOf,
  type BandPoint,
  type ShellKey,
  type View,
} from '../../../platform/web/index.js';
import { KIND_LABELS, type AnomalyKind } from '../../analytics/index.js';
import { stationForecasts, type StationForecast } from '../forecast/station.js';
import { pollutantOf } from '../air/pollutants.js';
import { stationFlags } from '../qc/flags.js';
import { hourlySeries, stationHours } from '../air/station-aqi.js';
import { dailyAqi } from '../indices/daily.js';
import { stationFeatures } from '../air/stations.js';
import { AQI_CATEGORIES, WQI_CATEGORIES, aqiCategory, hex } from '../indices/categories.js';
import { aqiBadge, wqiBadge } from './aqi-badge.js';
import { stationPages } from './station-pages.js';
import { sampleDay, waterSection } from './water-section.js';
import { getStation } from '../stations/service.js';
import { waterSamples } from '../water/samples.js';
import { stationFacts } from './station-facts.js';
import type { Partitions } from '../sta/partitions.js';
import { orgsWithRole, hasOrgRole } from '../../../platform/auth/index.js';
import { SENSORS_MESSAGES } from './messages.js';
import { ENVIRONMENT_SECTIONS, STATION_SECTIONS } from './slots.js';

const HOUR = 3_600_000;
const POLLUTANT_LABEL: Record<string, string> = { pm25: 'PM2.5', pm10: 'PM10', o3: 'O₃', no2: 'NO₂', so2: 'SO₂', co: 'CO' };
const hourLabel = (at: number, lang: string) =>
  new Date(at).toLocaleString(lang === 'en' ? 'en-GB' : 'vi-VN', {
    timeZone: 'Asia/Ho_Chi_Minh',
    day: '2-digit',
    month: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });

type SensorView = View<keyof typeof SENSORS_MESSAGES | ShellKey>;

function legend(v: SensorView, index: 'AQI' | 'WQI' = 'AQI') {
  const bands = index === 'AQI' ? AQI_CATEGORIES : WQI_CATEGORIES;
  return html`<ul class="aqi-legend" aria-label="${v.t('envLegend')} (${index})">
    <li><strong>${index === 'AQI' ? 'VN_AQI' : 'VN_WQI'}</strong></li>
    ${bands.map((c) => html`<li><span class="swatch" style="background:${hex(c)}"></span>${String(c.min)}–${String(c.max)} ${v.msg(c.name)}</li>`)}
  </ul>`;
}

/** The last 48 hours observed and the next 48 forecast, as one chart's points; hours with a flag are marked. */
function forecastPoints(v: SensorView, observed: Map<number, number>, f: StationForecast | undefined, flagged: Map<number, string>): BandPoint[] {
  const end = f ? f.basedOn.getTime() : Math.max(0, ...observed.keys());
  const out: BandPoint[] = [];
  for (let at = end - 47 * HOUR; at <= end; at += HOUR) {
    const value = observed.get(at);
    out.push({ label: hourLabel(at, v.lang), ...(value !== undefined ? { value } : {}), ...(flagged.has(at) ? { flag: flagged.get(at) } : {}) });
  }
  for (const p of f?.points ?? [])
    out.push({ label: hourLabel(Date.parse(p.at), v.lang), mean: p.mean, lo80: p.lo80, hi80: p.hi80, lo95: p.lo95, hi95: p.hi95 });
  return out;
}

function forecastNote(v: SensorView, f: StationForecast) {
  const at = formatDate(f.madeAt, v.lang);
  const best = f.evaluation?.scores[0];
  return f.evaluation && best
    ? v.t('stForecastModel', { model: f.model, origins: f.evaluation.origins.length, mase: num(v, Math.round(best.mase * 100) / 100), at })
    : v.t('stForecastSimple', { model: f.model, at });
}

/** Each parameter's latest value, with its download. */
async function streamsSection(v: SensorView, db: ModuleContext['db'], id: number, days = 30) {
  const streams = (
    await sql<{ id: string; name: string; unit: { symbol?: string } | null; t: Date | null; result: unknown }>`
      select d.id, d.name, d.unit_of_measurement as unit, o.phenomenon_time_start as t, o.result
        from sta_datastream d
        left join lateral (select phenomenon_time_start, result from sta_observation where datastream_id = d.id order by phenomenon_time_start desc limit 1) o on true
       where d.thing_id = ${id} order by d.name`.execute(db)
  ).rows;
  return html`<section aria-labelledby="st-streams">
    <h2 id="st-streams">${v.t('stStreams')}</h2>
    ${dataTable({
      columns: [v.t('stParameter'), v.t('stLatest'), v.t('stTime'), ''],
      rows: streams.map(
        (s) =>
          html`<tr>
            <td><a href="/v1.1/Datastreams(${s.id})">${s.name}</a></td>
            <td>
              ${typeof s.result === 'number' ? `${num(v, s.result)} ${s.unit?.symbol ?? ''}` : s.result === undefined || s.result === null ? '' : JSON.stringify(s.result)}
            </td>
            <td>${s.t ? formatDate(new Date(s.t), v.lang) : ''}</td>
            <td>
              <a href="/api/v1/sensors/datastreams/${s.id}/observations.csv?days=${String(days)}" download
                >${v.t(days === 30 ? 'stDownload' : 'stDownloadYear')}</a
              >
            </td>
          </tr>`,
      ),
      caption: v.t('stStreams'),
      hideCaption: true,
    })}
  </section>`;
}

/** The public air quality pages: the map of stations with a table of the same, and a page per station. */
export async function sensorPages(web: App, ctx: ModuleContext, partitions: Partitions, live: Live): Promise<void> {
  const { db } = ctx;
  await stationPages(web, ctx, partitions, live);

  web.get('/environment', { schema: { hide: true } }, async (req, reply) => {
    const v = viewOf(req, SENSORS_MESSAGES);
    const stations = await stationFeatures(db);
    const rows = stations.map(
      (f) =>
        html`<tr data-station="${String(f.id)}">
          <td><a href="${f.properties.url}">${f.properties.name}</a></td>
          <td>${f.properties.kind === 'water' ? v.t('stnKindWater') : v.t('stnKindAir')}</td>
          <td class="aqi-cell">
            ${
              f.properties.kind === 'water' ? wqiBadge(v, f.properties.wqi, v.t('envNoData')) : aqiBadge(v, f.properties.aqi, v.t('envNoData'))
            }${f.properties.stale ? html` <span class="muted">(${v.t('envStale')})</span>` : ''}
          </td>
          <td class="dominant">${f.properties.dominant ? POLLUTANT_LABEL[f.properties.dominant] : ''}</td>
          <td class="at">
            ${f.properties.at ? (f.properties.kind === 'water' ? sampleDay(new Date(f.properties.at), v.lang) : formatDate(new Date(f.properties.at), v.lang)) : ''}
          </td>
        </tr>`,
    );
    const body = html`<article class="environment">
      <h1>${v.t('envTitle')}</h1>
      <p class="lead">${v.t('envLead')}</p>
      ${
        orgsWithRole(req.principal, 'editor').length
          ? html`<p class="actions">
              <a class="button" href="/environment/stations/new">${v.t('stnNew')}</a> <a href="/environment/water/import">${v.t('wqImportLink')}</a>
            </p>`
          : ''
      }
      ${await renderSlot(ENVIRONMENT_SECTIONS, v, req, {})}
      <div
        id="air-map"
        class="air-map"
        data-air-map="/api/v1/sensors/stations.geojson"
        data-boundaries="/api/v1/sensors/boundaries.geojson"
        data-live="/api/v1/sensors/live"
        role="region"
        aria-label="${v.t('envMap')}"
      ></div>
      <p class="note">${v.t('envBoundaryNote')} <span class="live-status" data-live-status>${v.t('envLive')}</span></p>
      ${legend(v)} ${stations.some((f) => f.properties.kind === 'water') ? legend(v, 'WQI') : ''}
      <h2>${v.t('envStations')}</h2>
      ${
        stations.length
          ? dataTable({
              columns: [v.t('envStation'), v.t('envKind'), v.t('envWqi'), v.t('envDominant'), v.t('envUpdated')],
              rows,
              className: 'stations-table',
              caption: v.t('envStations'),
              hideCaption: true,
            })
          : html`<p class="empty">${v.t('envNone')}</p>`
      }
      <p><a href="/v1.1">${v.t('envApi')}</a> · <a href="/api/v1/sensors/stations.geojson">GeoJSON</a></p>
    </article>`;
    return sendHtml(reply, layout(v, { title: v.t('envTitle'), description: v.t('envLead'), body }));
  });

  web.get<{ Params: { id: string }; Querystring: { msg?: string } }>('/environment/stations/:id', { schema: { hide: true } }, async (req, reply) => {
    const v = viewOf(req, SENSORS_MESSAGES);
    const id = Number(req.params.id);
    const noStation = () => notFound('station_not_found', { vi: 'Không có trạm quan trắc này.', en: 'No such monitoring station.' });
    if (!Number.isSafeInteger(id)) throw noStation();
    // What the station is, read once; a Thing without a point Location is no station.
    const meta = await getStation(db, id);
    if (meta.longitude === null) throw noStation();
    const head = html`${breadcrumb(v, [{ href: '/environment', label: v.t('envTitle') }, { label: meta.name }])}
      <h1>${meta.name}</h1>
      ${req.query.msg === 'saved' ? html`<div class="alert alert-success" role="status">${v.t('stnSaved')}</div>` : ''}
      <p class="lead">${meta.description}</p>
      ${stationFacts(v, meta, meta.org ? hasOrgRole(req.principal, meta.org, 'editor') : !!req.principal.user?.isSysadmin)}`;
    if (meta.kind === 'water') {
      const body = html`<article class="station station-water">
        ${head} ${await renderSlot(STATION_SECTIONS, v, req, { thingId: id })} ${waterSection(v, await waterSamples(db, [id], { limit: 100 }))}
        ${await streamsSection(v, db, id, 366)}
      </article>`;
      return sendHtml(reply, layout(v, { title: meta.name, description: meta.description, body }));
    }
    // An air station: its feature carries the current AQI (a water station's would only repeat its latest sample).
    const [f] = await stationFeatures(db, [id]);
    if (!f) throw noStation();
    // The feature already carries the current AQI; the charts end at its hour.
    const now = f.properties;
    const end = now.at ? new Date(now.at).getTime() : Math.floor(Date.now() / HOUR) * HOUR + HOUR;
    const hours = await stationHours(db, id, new Date(end - 30 * 24 * HOUR - 12 * HOUR), new Date(end));
    const hourly = hourlySeries(hours).filter((h) => h.at > end - 48 * HOUR);
    const daily = dailyAqi(hours).flatMap((d) => (d.aqi === null ? [] : [{ ...d, aqi: d.aqi }]));
    const c = now.aqi === null ? undefined : aqiCategory(now.aqi);
    const forecasts = await stationForecasts(db, id);
    const flags = await stationFlags(db, id, new Date(end - 30 * 24 * HOUR), new Date(end + HOUR));
    const flagLabel = (k: string) => (k in KIND_LABELS ? v.msg(KIND_LABELS[k as AnomalyKind]) : k);
    // A flag marks the hour (its end) of the observation it is on.
    const flaggedPm25 = new Map(
      flags.filter((fl) => pollutantOf(fl.datastream) === 'pm25').map((fl) => [Math.floor(fl.at.getTime() / HOUR) * HOUR + HOUR, flagLabel(fl.kind)]),
    );
    const recentAqi = new Map(hourly.map((h) => [h.at, h.result.aqi]));
    const recentPm25 = new Map(hours.filter((h) => typeof h.pm25 === 'number').map((h) => [h.at, h.pm25!]));
    const fcAqi = forecasts.find((f) => f.target === 'aqi');
    const fcPm25 = forecasts.find((f) => f.target === 'pm25');
    const body = html`<article class="station">
      ${head} ${await renderSlot(STATION_SECTIONS, v, req, { thingId: id })}
      <section class="station-now" aria-labelledby="st-now">
        <h2 id="st-now">${v.t('stCurrent')}</h2>
        <p data-station-aqi="${String(id)}">
          ${aqiBadge(v, now.aqi, v.t('envNoData'))}
          ${now.at && now.dominant ? html`<span class="muted">${POLLUTANT_LABEL[now.dominant]} · ${formatDate(new Date(now.at), v.lang)}${now.stale ? html` (${v.t('envStale')})` : ''}</span>` : ''}
        </p>
        ${
          c?.advice
            ? html`<p>${v.msg(c.meaning)}</p>
                <dl class="advice">
                  <dt>${v.t('stAdviceGeneral')}</dt>
                  <dd>${v.msg(c.advice.general)}</dd>
                  <dt>${v.t('stAdviceSensitive')}</dt>
                  <dd>${v.msg(c.advice.sensitive)}</dd>
                </dl>`
            : ''
        }
      </section>
      <section aria-labelledby="st-hourly">
        <h2 id="st-hourly">${v.t('stHourly')}</h2>
        ${
          hourly.length
            ? chartSvg(
                hourly.map((h) => ({ label: hourLabel(h.at, v.lang), value: h.result.aqi, color: hex(aqiCategory(h.result.aqi)) })),
                { kind: 'bar', title: v.t('stHourly'), format: (n) => num(v, n) },
              )
            : html`<p class="empty">${v.t('stNoHours')}</p>`
        }
      </section>
      <section aria-labelledby="st-forecast" class="station-forecast">
        <h2 id="st-forecast">${v.t('stForecast')}</h2>
        ${
          fcAqi || fcPm25
            ? html`${
                fcAqi
                  ? html`<h3>${v.t('stForecastAqi')}</h3>
                      ${forecastChartSvg(forecastPoints(v, recentAqi, fcAqi, new Map()), { title: v.t('stForecastAqi'), format: (n) => num(v, n) })}
                      <p class="muted">${forecastNote(v, fcAqi)}</p>`
                  : ''
              }
              ${
                fcPm25
                  ? html`<h3>${v.t('stForecastPm25')}</h3>
                      ${forecastChartSvg(forecastPoints(v, recentPm25, fcPm25, flaggedPm25), { title: v.t('stForecastPm25'), format: (n) => num(v, n) })}
                      <p class="muted">${forecastNote(v, fcPm25)}</p>`
                  : ''
              }`
            : html`<p class="empty">${v.t('stNoForecast')}</p>`
        }
      </section>
      <section aria-labelledby="st-daily">
        <h2 id="st-daily">${v.t('stDaily')}</h2>
        ${
          daily.length
            ? html`${chartSvg(
                daily.map((d) => ({ label: d.date.split('-').reverse().join('/'), value: d.aqi, color: hex(aqiCategory(d.aqi)) })),
                { kind: 'bar', title: v.t('stDaily'), format: (n) => num(v, n) },
              )}
              ${dataTable({
                columns: [v.t('stDay'), v.t('envAqi'), v.t('envDominant')],
                rows: daily.map(
                  (d) =>
                    html`<tr>
                      <td>${d.date.split('-').reverse().join('/')}</td>
                      <td>${aqiBadge(v, d.aqi, '')}</td>
                      <td>${d.dominant ? POLLUTANT_LABEL[d.dominant] : ''}</td>
                    </tr>`,
                ),
                caption: v.t('stDaily'),
                hideCaption: true,
              })}`
            : html`<p class="empty">${v.t('stNoHours')}</p>`
        }
      </section>
      <section aria-labelledby="st-flags">
        <h2 id="st-flags">${v.t('stFlags')}</h2>
        ${
          flags.length
            ? dataTable({
                columns: [v.t('stTime'), v.t('stParameter'), v.t('stValue'), v.t('stFlagKind'), v.t('stFlagScore')],
                rows: flags.slice(0, 50).map(
                  (fl) =>
                    html`<tr data-flag="${fl.kind}">
                      <td>${formatDate(fl.at, v.lang)}</td>
                      <td>${fl.datastream}</td>
                      <td>${typeof fl.result === 'number' ? num(v, fl.result) : JSON.stringify(fl.result)}</td>
                      <td>${flagLabel(fl.kind)}</td>
                      <td>${num(v, fl.score)}</td>
                    </tr>`,
                ),
                caption: v.t('stFlags'),
                hideCaption: true,
              })
            : html`<p class="empty">${v.t('stNoFlags')}</p>`
        }
      </section>
      ${await streamsSection(v, db, id)}
    </article>`;
    return sendHtml(reply, layout(v, { title: f.properties.name, description: f.properties.description, body }));
  });
}
