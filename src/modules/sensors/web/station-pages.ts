import fastifyMultipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { Live } from '../live.js';
import { actorOf, hasOrgRole, orgsWithRole } from '../../../platform/auth/index.js';
import { forbidden, html, type App, type Html } from '../../../platform/http/index.js';
import type { ModuleContext } from '../../../platform/module.js';
import {
  allFields,
  breadcrumb,
  checkbox,
  csrfField,
  dataTable,
  errorSummary,
  formErrorOf,
  input,
  layout,
  messageFor,
  num,
  requireSignedIn,
  select,
  sendHtml,
  viewOf,
  type FormError,
  type ShellKey,
  type Values,
  type View,
} from '../../../platform/web/index.js';
import { organizationsByIds } from '../../organizations/index.js';
import type { Partitions } from '../sta/partitions.js';
import { readRows, WATER_FILE_LIMIT } from '../stations/routes.js';
import { createStation, getStation, updateStation } from '../stations/service.js';
import { importWaterResults, type WaterImportReport } from '../water/import.js';
import { wqiBadge } from './aqi-badge.js';
import { SENSORS_MESSAGES } from './messages.js';
import { inputOfStationForm, stationForm, valuesOfStation } from './station-form.js';

type SensorView = View<keyof typeof SENSORS_MESSAGES | ShellKey>;
type IdReq = FastifyRequest<{ Params: { id: string } }>;

/** The operators' pages of the monitoring network: add or edit a station, import laboratory water results. */
export async function stationPages(web: App, ctx: ModuleContext, partitions: Partitions, live: Live): Promise<void> {
  const { db } = ctx;
  const editableUnits = async (req: FastifyRequest) => {
    const ids = orgsWithRole(req.principal, 'editor');
    return (await organizationsByIds(db, ids)).map((o) => ({ id: o.id, name: o.name }));
  };

  const newPage = async (req: FastifyRequest, values: Values, error?: FormError) => {
    const v: SensorView = viewOf(req, SENSORS_MESSAGES);
    const orgs = await editableUnits(req);
    const body = html`${breadcrumb(v, [{ href: '/environment', label: v.t('envTitle') }, { label: v.t('stnNew') }])}
      <h1>${v.t('stnNew')}</h1>
      ${orgs.length ? stationForm(v, { action: '/environment/stations/new', values: { kind: 'air', mode: 'automatic', ...values }, error, orgs }) : html`<p class="empty">${v.t('stnNoUnits')}</p>`}`;
    return layout(v, { title: v.t('stnNew'), body, noindex: true });
  };
  web.get('/environment/stations/new', { schema: { hide: true }, preHandler: requireSignedIn }, async (req, reply) => sendHtml(reply, await newPage(req, {})));
  web.post('/environment/stations/new', { schema: { hide: true }, preHandler: requireSignedIn }, async (req, reply) => {
    const values = allFields(req.body);
    try {
      const id = await createStation(db, req.principal, actorOf(req), inputOfStationForm(values, false), ctx.config.baseUrl, live);
      return reply.redirect(`/environment/stations/${id}?msg=saved`, 303);
    } catch (e) {
      const { status, error } = formErrorOf(e, viewOf(req, SENSORS_MESSAGES));
      if (!error) throw e;
      return sendHtml(reply, await newPage(req, values, error), status);
    }
  });

  const editPage = async (req: IdReq, values: Values | undefined, error?: FormError) => {
    const v: SensorView = viewOf(req, SENSORS_MESSAGES);
    const s = await getStation(db, Number(req.params.id) || 0);
    if (!s.org ? !req.principal.user?.isSysadmin : !hasOrgRole(req.principal, s.org, 'editor'))
      throw forbidden('forbidden', { vi: 'Bạn không sửa được trạm này.', en: 'You may not change this station.' });
    const body = html`${breadcrumb(v, [
        { href: '/environment', label: v.t('envTitle') },
        { href: `/environment/stations/${s.id}`, label: s.name },
        { label: v.t('stnEdit') },
      ])}
      <h1>${v.t('stnEdit')}: ${s.name}</h1>
      ${stationForm(v, { action: `/environment/stations/${s.id}/edit`, values: values ?? valuesOfStation(s), error })}`;
    return layout(v, { title: `${v.t('stnEdit')}: ${s.name}`, body, noindex: true });
  };
  web.get('/environment/stations/:id/edit', { schema: { hide: true }, preHandler: requireSignedIn }, async (req: IdReq, reply) =>
    sendHtml(reply, await editPage(req, undefined)),
  );
  web.post('/environment/stations/:id/edit', { schema: { hide: true }, preHandler: requireSignedIn }, async (req: IdReq, reply) => {
    const values = allFields(req.body);
    const id = Number(req.params.id) || 0;
    try {
      await updateStation(db, req.principal, actorOf(req), id, inputOfStationForm(values, true), ctx.config.baseUrl, live);
      return reply.redirect(`/environment/stations/${id}?msg=saved`, 303);
    } catch (e) {
      const { status, error } = formErrorOf(e, viewOf(req, SENSORS_MESSAGES));
      if (!error) throw e;
      return sendHtml(reply, await editPage(req, values, error), status);
    }
  });

  const importPage = async (req: FastifyRequest, values: Values, o: { error?: FormError | undefined; report?: WaterImportReport } = {}) => {
    const v: SensorView = viewOf(req, SENSORS_MESSAGES);
    const orgs = await editableUnits(req);
    const form = orgs.length
      ? html`<form method="post" action="/environment/water/import" enctype="multipart/form-data" class="stack" novalidate>
          ${errorSummary(v, o.error, 'wq')} ${csrfField(v)}
          ${select({ idPrefix: 'wq', name: 'org', label: v.t('stnUnit'), values, error: o.error, required: true, options: orgs.map((g) => ({ value: g.id, label: g.name })) })}
          <div class="field${messageFor(o.error, 'file') ? ' has-error' : ''}">
            <label for="wq-file">${v.t('wqFile')}</label>
            <input id="wq-file" name="file" type="file" accept=".csv,.xlsx,text/csv" required />
          </div>
          ${input({ idPrefix: 'wq', name: 'units', label: v.t('wqUnits'), values, error: o.error })}
          ${checkbox({ idPrefix: 'wq', name: 'createStations', label: v.t('wqCreate'), checked: values.createStations === 'on' })}
          <div class="actions"><button type="submit" class="button">${v.t('wqSend')}</button></div>
        </form>`
      : html`<p class="empty">${v.t('stnNoUnits')}</p>`;
    const body = html`${breadcrumb(v, [{ href: '/environment', label: v.t('envTitle') }, { label: v.t('wqTitle') }])}
      <h1>${v.t('wqTitle')}</h1>
      <p class="lead">${v.t('wqLead')}</p>
      ${o.report ? reportView(v, o.report) : ''} ${form}`;
    return layout(v, { title: v.t('wqTitle'), body, noindex: true });
  };
  web.get('/environment/water/import', { schema: { hide: true }, preHandler: requireSignedIn }, async (req, reply) =>
    sendHtml(reply, await importPage(req, {})),
  );
  await web.register(async (up: App) => {
    await up.register(fastifyMultipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: WATER_FILE_LIMIT, files: 1, fields: 20, fieldSize: 4096 } });
    up.post('/environment/water/import', { schema: { hide: true }, preHandler: requireSignedIn }, async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const values = allFields(Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'file')));
      try {
        const file = body.file;
        const rows = await readRows(Buffer.isBuffer(file) ? file : Buffer.alloc(0), 'results');
        const report = await importWaterResults(db, partitions, req.principal, actorOf(req), {
          org: values.org ?? '',
          rows,
          units: values.units,
          createStations: values.createStations === 'on',
          base: ctx.config.baseUrl,
          live,
        });
        return sendHtml(reply, await importPage(req, values, { report }));
      } catch (e) {
        const { status, error } = formErrorOf(e, viewOf(req, SENSORS_MESSAGES));
        if (!error) throw e;
        return sendHtml(reply, await importPage(req, values, { error }), status);
      }
    });
  });
}

function reportView(v: SensorView, r: WaterImportReport): Html {
  return html`<section class="alert alert-success" role="status" data-water-import>
      <p>${v.t('wqDone', { samples: r.samples, stored: r.stored, already: r.alreadyStored })}</p>
      ${r.stationsCreated.length ? html`<p>${v.t('wqCreated')}: ${r.stationsCreated.join(', ')}</p>` : ''}
      ${r.ignored.length ? html`<p>${v.t('wqIgnored')}: ${r.ignored.join(', ')}</p>` : ''}
      ${r.notDetected ? html`<p>${v.t('wqNotDetected')}: ${String(r.notDetected)}</p>` : ''}
      <p>${v.t('wqColumns')}: ${r.columns.map((c) => `${c.parameter}${c.unit === c.stored ? '' : ` (${c.unit} → ${c.stored})`}`).join(', ')}</p>
    </section>
    ${dataTable({
      columns: [v.t('wqSample'), v.t('envStation'), v.t('stDay'), v.t('wqWqi'), v.t('wqNote')],
      rows: r.wqi.slice(0, 500).map(
        (s) =>
          html`<tr data-sample-line="${String(s.line)}">
            <td>${String(s.line)}</td>
            <td>${s.station}</td>
            <td>${s.date.split('-').reverse().join('/')}</td>
            <td>${s.wqi === null ? '' : wqiBadge(v, s.wqi)}</td>
            <td>${s.note ?? ''}</td>
          </tr>`,
      ),
      caption: v.t('wqHistory'),
      hideCaption: true,
    })}
    <p class="muted">${r.wqi.length > 500 ? num(v, r.wqi.length) : ''}</p>`;
}
