import { html, type Html } from '../../../platform/http/index.js';
import { csrfField, errorSummary, input, select, textarea, type FormError, type ShellKey, type Values, type View } from '../../../platform/web/index.js';
import type { StationInput } from '../stations/input.js';
import type { StationMeta } from '../stations/service.js';
import type { SENSORS_MESSAGES } from './messages.js';

type SensorView = View<keyof typeof SENSORS_MESSAGES | ShellKey>;
const ID = 'stn';

/**
 * The station form, to add a station (`orgs`: the units the user edits for) or to edit one (no
 * unit: a station stays with its unit). Its fields map one to one onto StationInput, so
 * stations/input.ts checks them as it checks the API's.
 */
export function stationForm(v: SensorView, o: { action: string; values: Values; error?: FormError | undefined; orgs?: { id: string; name: string }[] }): Html {
  const { values, error } = o;
  return html`<form method="post" action="${o.action}" class="stack" novalidate>
    ${errorSummary(v, error, ID)} ${csrfField(v)}
    ${o.orgs ? select({ idPrefix: ID, name: 'org', label: v.t('stnUnit'), values, error, required: true, options: o.orgs.map((g) => ({ value: g.id, label: g.name })) }) : ''}
    ${input({ idPrefix: ID, name: 'name', label: v.t('stnName'), values, error, required: true })}
    ${input({ idPrefix: ID, name: 'code', label: v.t('stnCode'), values, error, required: true })}
    ${select({
      idPrefix: ID,
      name: 'kind',
      label: v.t('stnKind'),
      values,
      error,
      options: [
        { value: 'air', label: v.t('stnKindAir') },
        { value: 'water', label: v.t('stnKindWater') },
      ],
    })}
    ${select({
      idPrefix: ID,
      name: 'mode',
      label: v.t('stnMode'),
      values,
      error,
      options: [
        { value: 'automatic', label: v.t('stnModeAutomatic') },
        { value: 'periodic', label: v.t('stnModePeriodic') },
      ],
    })}
    ${input({ idPrefix: ID, name: 'operator', label: v.t('stnOperator'), values, error })}
    ${input({ idPrefix: ID, name: 'longitude', label: v.t('stnLongitude'), values, error, required: true })}
    ${input({ idPrefix: ID, name: 'latitude', label: v.t('stnLatitude'), values, error, required: true })}
    ${input({ idPrefix: ID, name: 'adminUnit', label: v.t('stnAdminUnit'), values, error })}
    ${textarea({ idPrefix: ID, name: 'description', label: v.t('stnDescription'), values, error })}
    <div class="actions"><button type="submit" class="button">${v.t('stnSave')}</button></div>
  </form>`;
}

/** What the form sent, as the service's input. */
export function inputOfStationForm(values: Values, edit: boolean): StationInput {
  return {
    ...(edit ? {} : { org: values.org }),
    name: values.name,
    code: values.code,
    kind: values.kind,
    mode: values.mode,
    operator: values.operator,
    description: values.description,
    longitude: values.longitude,
    latitude: values.latitude,
    adminUnit: values.adminUnit,
  };
}

/** A station as the edit form shows it (coordinates the Vietnamese way). */
export function valuesOfStation(s: StationMeta): Values {
  const n = (x: number | null) => (x === null ? '' : x.toLocaleString('vi-VN', { useGrouping: false, maximumFractionDigits: 15 }));
  return {
    name: s.name,
    code: s.code ?? '',
    kind: s.kind,
    mode: s.mode ?? 'automatic',
    operator: s.operator ?? '',
    description: s.description,
    longitude: n(s.longitude),
    latitude: n(s.latitude),
    adminUnit: s.adminUnit?.code ?? '',
  };
}
