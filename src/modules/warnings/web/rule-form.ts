import { html, type Html } from '../../../platform/http/index.js';
import { checkbox, csrfField, errorSummary, input, select, type FormError, type Values } from '../../../platform/web/index.js';
import type { Station } from '../../sensors/index.js';
import type { RuleInput } from '../rules.js';
import { PARAMETERS, RULE_KINDS, SEVERITIES, type RuleRow } from '../tables.js';
import { KIND_LABEL, SEVERITY_LABEL, type WarningsView } from './messages.js';

const ID = 'wr';
const parameterLabel = (p: string) => (p === 'aqi' ? 'VN_AQI' : p.toUpperCase().replace('PM25', 'PM2.5'));

/**
 * The rule form, to add a rule (`orgs`: the units the user edits for) or to edit one (no unit: a
 * rule stays with its unit). Its fields map one to one onto RuleInput, so rules.ts checks them.
 */
export function ruleForm(
  v: WarningsView,
  o: { action: string; values: Values; error?: FormError; orgs?: { id: string; name: string }[]; stations: Station[]; edit: boolean },
): Html {
  const { values, error } = o;
  return html`<form method="post" action="${o.action}" class="stack" novalidate>
    ${errorSummary(v, error, ID)} ${csrfField(v)}
    ${o.orgs ? select({ idPrefix: ID, name: 'org', label: v.t('wrUnit'), values, error, required: true, options: o.orgs.map((g) => ({ value: g.id, label: g.name })) }) : ''}
    ${input({ idPrefix: ID, name: 'name', label: v.t('wrName'), values, error, required: true })}
    ${select({ idPrefix: ID, name: 'kind', label: v.t('wrKind'), values, error, options: RULE_KINDS.map((k) => ({ value: k, label: v.msg(KIND_LABEL[k]) })) })}
    ${select({
      idPrefix: ID,
      name: 'station',
      label: v.t('wrStation'),
      values,
      error,
      options: [{ value: '', label: v.t('wrAllStations') }, ...o.stations.map((s) => ({ value: String(s.id), label: s.name }))],
    })}
    ${select({ idPrefix: ID, name: 'parameter', label: v.t('wrParameter'), values, error, options: PARAMETERS.map((p) => ({ value: p, label: parameterLabel(p) })) })}
    ${input({ idPrefix: ID, name: 'threshold', label: v.t('wrThreshold'), values, error, required: true })}
    ${input({ idPrefix: ID, name: 'clearBelow', label: v.t('wrClear'), values, error })}
    ${input({ idPrefix: ID, name: 'windowHours', label: v.t('wrWindow'), values, error })}
    ${select({ idPrefix: ID, name: 'severity', label: v.t('wrSeverity'), values, error, options: SEVERITIES.map((s) => ({ value: s, label: v.msg(SEVERITY_LABEL[s]) })) })}
    ${input({ idPrefix: ID, name: 'escalateAfterMinutes', label: v.t('wrEscalate'), values, error })}
    ${checkbox({ idPrefix: ID, name: 'public', label: v.t('wrPublic'), checked: values.public !== undefined || (!o.edit && !values.name) })}
    ${o.edit ? checkbox({ idPrefix: ID, name: 'enabled', label: v.t('wrEnabled'), checked: values.enabled !== undefined }) : ''}
    <div class="actions"><button type="submit" class="button">${v.t('wrSave')}</button></div>
  </form>`;
}

/** What the form sent, as the service's input (an unticked box is false; an empty number is left out). */
export function inputOfRuleForm(values: Values, edit: boolean): RuleInput {
  return {
    ...(edit ? {} : { org: values.org }),
    name: values.name,
    kind: values.kind,
    station: values.station || null,
    parameter: values.parameter,
    threshold: values.threshold,
    clearBelow: values.clearBelow || null,
    windowHours: values.windowHours || undefined,
    severity: values.severity,
    escalateAfterMinutes: values.escalateAfterMinutes || undefined,
    public: values.public === 'on',
    ...(edit ? { enabled: values.enabled === 'on' } : {}),
  };
}

/** A rule as the edit form shows it (numbers the Vietnamese way). */
export function valuesOfRule(r: RuleRow): Values {
  const n = (x: number) => x.toLocaleString('vi-VN', { useGrouping: false, maximumFractionDigits: 6 });
  return {
    name: r.name,
    kind: r.kind,
    station: r.thing_id === null ? '' : String(r.thing_id),
    parameter: r.parameter,
    threshold: n(r.threshold),
    clearBelow: n(r.clear_below),
    windowHours: String(r.window_hours),
    severity: r.severity,
    escalateAfterMinutes: String(r.escalate_after_minutes),
    ...(r.public ? { public: 'on' } : {}),
    ...(r.enabled ? { enabled: 'on' } : {}),
  };
}
