import { recordAudit, type AuditActor } from '../../../platform/audit/index.js';
import type { Principal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { badRequest, FieldErrors, notFound } from '../../../platform/http/index.js';
import { cleanText, isEmailAddress } from '../../../platform/text/index.js';
import { requireReceiver } from '../reports/round.js';
import type { ExpertRow } from '../tables.js';
import { expertsRepo } from './repository.js';
import { receiverRegime } from './service.js';

export interface ExpertInput {
  name?: string;
  email?: string | null;
  field?: string;
  affiliation?: string;
  inProvince?: boolean;
  active?: boolean;
}

function cleanExpert(input: ExpertInput, creating: boolean): Partial<Omit<ExpertRow, 'id' | 'created_at'>> {
  const errors = new FieldErrors();
  const out: Partial<Omit<ExpertRow, 'id' | 'created_at'>> = {};
  for (const [k, col, max] of [
    ['name', 'name', 200],
    ['field', 'field', 200],
  ] as const) {
    const v = input[k];
    if (v === undefined && !creating) continue;
    const t = typeof v === 'string' ? cleanText(v) : '';
    if (!t || t.length > max)
      errors.add(badRequest('required', { vi: 'Cần nội dung (tối đa {max} ký tự).', en: 'Required (at most {max} characters).' }, k, { max }));
    else out[col] = t;
  }
  if (input.affiliation !== undefined) out.affiliation = typeof input.affiliation === 'string' ? cleanText(input.affiliation).slice(0, 300) : '';
  if (input.email !== undefined) {
    const e = typeof input.email === 'string' ? input.email.trim() : '';
    if (e && !isEmailAddress(e))
      errors.add(badRequest('invalid_email', { vi: 'Địa chỉ thư điện tử không hợp lệ.', en: 'Not a valid e-mail address.' }, 'email'));
    out.email = e || null;
  }
  if (input.inProvince !== undefined) out.in_province = input.inProvince === true;
  if (input.active !== undefined) out.active = input.active === true;
  errors.throwIfAny();
  return out;
}

/** The open expert groups, by field (public: names, fields and affiliations, never e-mail addresses). */
export const listExperts = (db: Db, activeOnly = true): Promise<ExpertRow[]> => expertsRepo.list(db, activeOnly);

export async function createExpert(db: Db, p: Principal, actor: AuditActor, input: ExpertInput): Promise<ExpertRow> {
  requireReceiver(p, await receiverRegime(db), 'editor');
  const v = cleanExpert(input, true);
  return db.transaction().execute(async (trx) => {
    const row = await expertsRepo.insert(trx, {
      name: v.name!,
      field: v.field!,
      email: v.email ?? null,
      affiliation: v.affiliation ?? '',
      in_province: v.in_province ?? true,
      active: v.active ?? true,
    });
    await recordAudit(trx, actor, { action: 'planning.expert.create', entityType: 'plan_expert', entityId: row.id, details: { field: row.field } });
    return row;
  });
}

export async function updateExpert(db: Db, p: Principal, actor: AuditActor, id: string, input: ExpertInput): Promise<ExpertRow> {
  requireReceiver(p, await receiverRegime(db), 'editor');
  const v = cleanExpert(input, false);
  return db.transaction().execute(async (trx) => {
    const row = await expertsRepo.update(trx, id, v);
    if (!row) throw notFound('expert_not_found', { vi: 'Không có chuyên gia này.', en: 'No such expert.' });
    await recordAudit(trx, actor, { action: 'planning.expert.update', entityType: 'plan_expert', entityId: id, details: { fields: Object.keys(v) } });
    return row;
  });
}
