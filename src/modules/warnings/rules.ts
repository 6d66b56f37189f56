import { recordAudit, type AuditActor } from '../../platform/audit/index.js';
import { hasOrgRole, requireOrgRole, requireUser, type Principal } from '../../platform/auth/index.js';
import type { Db } from '../../platform/db/index.js';
import { badRequest, FieldErrors, notFound } from '../../platform/http/index.js';
import { parseNumber } from '../../platform/text/index.js';
import { findOrganization } from '../organizations/index.js';
import { stationList } from '../sensors/index.js';
import { rulesRepo } from './repository.js';
import { PARAMETERS, RULE_KINDS, SEVERITIES, type Parameter, type RuleKind, type RuleRow, type Severity } from './tables.js';

/** A rule as a form or the API gives it: strings where a person types (numbers the Vietnamese way too), all optional for an edit. */
export interface RuleInput {
  org?: string;
  name?: string;
  kind?: string;
  station?: number | string | null;
  parameter?: string;
  threshold?: number | string;
  clearBelow?: number | string | null;
  windowHours?: number | string;
  severity?: string;
  escalateAfterMinutes?: number | string;
  public?: boolean;
  enabled?: boolean;
}

const num = (v: number | string | null | undefined): number | null | undefined =>
  v === undefined ? undefined : v === null || v === '' ? null : typeof v === 'number' ? (Number.isFinite(v) ? v : NaN) : (parseNumber(v) ?? NaN);

/** The one check of a rule's fields, for the API and the form alike; `current` for an edit. Every invalid field is named at once. */
async function cleanRule(db: Db, input: RuleInput, current?: RuleRow): Promise<Partial<Omit<RuleRow, 'id' | 'created_at' | 'updated_at'>>> {
  const errors = new FieldErrors();
  const out: Partial<Omit<RuleRow, 'id' | 'created_at' | 'updated_at'>> = {};
  if (!current) {
    const org = typeof input.org === 'string' && input.org ? await findOrganization(db, input.org) : undefined;
    if (!org) errors.add(badRequest('unknown_org', { vi: 'Không có đơn vị này.', en: 'No such unit.' }, 'org'));
    else out.org_id = org.id;
  }
  if (input.name !== undefined || !current) {
    const name = typeof input.name === 'string' ? input.name.normalize('NFC').trim() : '';
    if (!name || name.length > 200)
      errors.add(badRequest('invalid_name', { vi: 'Đặt tên cho quy tắc (tối đa 200 ký tự).', en: 'Give the rule a name (at most 200 characters).' }, 'name'));
    else out.name = name;
  }
  const oneOf = <T extends string>(field: keyof RuleInput, v: unknown, list: readonly T[], vi: string, en: string): T | undefined => {
    if (v === undefined && current) return undefined;
    if (list.includes(v as T)) return v as T;
    errors.add(badRequest(`invalid_${field}`, { vi: `${vi}: ${list.join(', ')}.`, en: `${en}: ${list.join(', ')}.` }, field));
    return undefined;
  };
  const kind = oneOf<RuleKind>('kind', input.kind, RULE_KINDS, 'Loại quy tắc phải là một trong', 'The kind must be one of');
  if (kind) out.kind = kind;
  // A fault rule watches every stream of its stations; its parameter is only a label.
  const parameter = oneOf<Parameter>(
    'parameter',
    input.parameter ?? (!current && kind === 'fault' ? 'aqi' : undefined),
    PARAMETERS,
    'Thông số phải là một trong',
    'The parameter must be one of',
  );
  if (parameter) out.parameter = parameter;
  const severity = oneOf<Severity>('severity', input.severity, SEVERITIES, 'Mức độ phải là một trong', 'The severity must be one of');
  if (severity) out.severity = severity;
  if (input.station !== undefined) {
    const id = num(input.station);
    if (id === null) out.thing_id = null;
    else if (!Number.isSafeInteger(id) || !(await stationList(db, [id!])).length)
      errors.add(badRequest('unknown_station', { vi: 'Không có trạm quan trắc này.', en: 'No such monitoring station.' }, 'station'));
    else out.thing_id = id!;
  } else if (!current) out.thing_id = null;
  const effectiveKind = out.kind ?? current?.kind;
  const threshold = num(input.threshold ?? (effectiveKind === 'fault' && !current ? 1 : undefined));
  if (threshold !== undefined || !current) {
    if (threshold === null || threshold === undefined || Number.isNaN(threshold) || threshold <= 0 || threshold > 1e6)
      errors.add(
        badRequest(
          'invalid_threshold',
          { vi: 'Ngưỡng phải là số dương, ví dụ 150 hoặc 37,5.', en: 'The threshold must be a positive number, e.g. 150 or 37.5.' },
          'threshold',
        ),
      );
    else out.threshold = threshold;
  }
  const clear = num(input.clearBelow);
  const t = out.threshold ?? current?.threshold;
  if (clear !== undefined && clear !== null) {
    if (Number.isNaN(clear) || clear < 0 || (t !== undefined && clear > t))
      errors.add(
        badRequest(
          'invalid_clear',
          { vi: 'Ngưỡng kết thúc phải là số từ 0 đến ngưỡng cảnh báo.', en: 'The all-clear level must be a number from 0 to the threshold.' },
          'clearBelow',
        ),
      );
    else out.clear_below = clear;
  } else if (t !== undefined && (clear === null || !current || out.threshold !== undefined)) {
    // Ten per cent below the threshold by default, so a value hovering at it makes one episode, not many.
    out.clear_below = effectiveKind === 'fault' ? t : Math.round(t * 0.9 * 100) / 100;
  }
  const ints: [keyof RuleInput, 'window_hours' | 'escalate_after_minutes', number, number, number, string, string][] = [
    ['windowHours', 'window_hours', 1, 168, 24, 'Số giờ phải là số nguyên từ 1 đến 168.', 'The hours must be a whole number from 1 to 168.'],
    [
      'escalateAfterMinutes',
      'escalate_after_minutes',
      5,
      10_080,
      60,
      'Thời gian chuyển cấp phải là số phút nguyên từ 5 đến 10.080.',
      'The escalation delay must be whole minutes from 5 to 10,080.',
    ],
  ];
  for (const [field, column, lo, hi, dflt, vi, en] of ints) {
    const v = num(input[field] as number | string | undefined);
    if (v === undefined || v === null) {
      if (!current) out[column] = dflt;
      continue;
    }
    if (!Number.isInteger(v) || v < lo || v > hi) errors.add(badRequest(`invalid_${field}`, { vi, en }, field));
    else out[column] = v;
  }
  for (const flag of ['public', 'enabled'] as const) {
    if (input[flag] === undefined) {
      if (!current) out[flag] = true;
    } else if (typeof input[flag] !== 'boolean')
      errors.add(badRequest(`invalid_${flag}`, { vi: 'Phải là true hoặc false.', en: 'Must be true or false.' }, flag));
    else out[flag] = input[flag];
  }
  errors.throwIfAny();
  return out;
}

const noRule = () => notFound('rule_not_found', { vi: 'Không có quy tắc cảnh báo này.', en: 'No such warning rule.' });

export async function createRule(db: Db, p: Principal, actor: AuditActor, input: RuleInput): Promise<RuleRow> {
  const user = requireUser(p);
  const v = await cleanRule(db, input);
  requireOrgRole(p, v.org_id!, 'editor');
  return db.transaction().execute(async (trx) => {
    const row = await rulesRepo.insert(trx, { ...(v as Omit<RuleRow, 'id' | 'created_at' | 'updated_at' | 'created_by'>), created_by: user.id });
    await recordAudit(trx, actor, { action: 'warnings.rule.create', entityType: 'wr_rule', entityId: row.id, details: { name: row.name, kind: row.kind } });
    return row;
  });
}

export async function updateRule(db: Db, p: Principal, actor: AuditActor, id: string, input: RuleInput): Promise<RuleRow> {
  requireUser(p);
  const current = await rulesRepo.get(db, id);
  if (!current || !hasOrgRole(p, current.org_id, 'member')) throw noRule();
  requireOrgRole(p, current.org_id, 'editor');
  const v = await cleanRule(db, input, current);
  return db.transaction().execute(async (trx) => {
    const row = await rulesRepo.update(trx, id, v);
    await recordAudit(trx, actor, { action: 'warnings.rule.update', entityType: 'wr_rule', entityId: id, details: { fields: Object.keys(v) } });
    return row;
  });
}

/** The rules of the units the user belongs to (every rule for a sysadmin). */
export async function listRules(db: Db, p: Principal): Promise<RuleRow[]> {
  const user = requireUser(p);
  return rulesRepo.ofOrgs(db, user.isSysadmin ? 'all' : [...p.memberships.keys()]);
}

export async function getRule(db: Db, p: Principal, id: string): Promise<RuleRow> {
  requireUser(p);
  const rule = await rulesRepo.get(db, id);
  if (!rule || !hasOrgRole(p, rule.org_id, 'member')) throw noRule();
  return rule;
}
