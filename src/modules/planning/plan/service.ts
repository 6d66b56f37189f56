import { recordAudit, type AuditActor } from '../../../platform/audit/index.js';
import type { Principal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { badRequest, FieldErrors, notFound } from '../../../platform/http/index.js';
import { findOrganization, organizationsByIds } from '../../organizations/index.js';
import { requireReceiver } from '../reports/round.js';
import { reportRepo } from '../reports/repository.js';
import type { PlanningTables } from '../tables.js';
import { planRepo } from './repository.js';
import { PLAN_CODE } from './reference.js';

/** A plan with its versions, groups, tasks (with every assignment, past ones too), indicators and targets; public. */
export async function getPlan(db: Db, code = PLAN_CODE) {
  const plan = await planRepo.byCode(db, code);
  if (!plan) throw notFound('plan_not_found', { vi: 'Không có kế hoạch này.', en: 'No such plan.' });
  const [versions, groups, tasks, assignments, indicators, targets, computed] = await Promise.all([
    planRepo.versions(db, plan.id),
    planRepo.groups(db, plan.id),
    planRepo.tasks(db, plan.id),
    planRepo.assignments(db, plan.id),
    planRepo.indicators(db, plan.id),
    planRepo.targets(db, plan.id),
    planRepo.computedValues(db, plan.id),
  ]);
  const orgs = new Map(
    (
      await organizationsByIds(db, [...assignments.map((a) => a.org_id), ...indicators.flatMap((i) => (i.responsible_org_id ? [i.responsible_org_id] : []))])
    ).map((o) => [o.id, o]),
  );
  return { plan, versions, groups, tasks, assignments, indicators, targets, computed, orgs };
}

export interface TransferInput {
  /** The dissolved unit (id or slug). */
  from: string;
  /** Its successors (ids or slugs), who take over its assignments. */
  to: string[];
  /** The day the change takes effect (yyyy-mm-dd), e.g. 2025-07-01. */
  on: string;
  note?: string;
}

/**
 * Passes a dissolved unit's tasks to its successors (the 2025 reorganisation): each of its open
 * assignments closes on `on` and reopens for every successor with the same role, pointing back to
 * the one it succeeds. Reports already made stay the old unit's. The Department's editors only.
 */
export async function transferAssignments(db: Db, p: Principal, actor: AuditActor, input: TransferInput): Promise<{ closed: number; opened: number }> {
  const plan = await planRepo.byCode(db, PLAN_CODE);
  const regime = plan ? await reportRepo.regimeOfPlan(db, plan.id) : undefined;
  if (!plan || !regime) throw notFound('plan_not_found', { vi: 'Không có kế hoạch này.', en: 'No such plan.' });
  requireReceiver(p, regime, 'editor');
  const errors = new FieldErrors();
  const from = typeof input.from === 'string' ? await findOrganization(db, input.from) : undefined;
  if (!from) errors.add(badRequest('unknown_org', { vi: 'Không có đơn vị này.', en: 'No such unit.' }, 'from'));
  const to: NonNullable<Awaited<ReturnType<typeof findOrganization>>>[] = [];
  for (const [i, ref] of (Array.isArray(input.to) ? input.to : []).entries()) {
    const o = typeof ref === 'string' ? await findOrganization(db, ref) : undefined;
    if (!o || o.id === from?.id) errors.add(badRequest('unknown_org', { vi: 'Đơn vị kế thừa không hợp lệ.', en: 'Not a valid successor.' }, `to.${i}`));
    else to.push(o);
  }
  if (!Array.isArray(input.to) || input.to.length === 0)
    errors.add(badRequest('required', { vi: 'Cần ít nhất một đơn vị kế thừa.', en: 'At least one successor is required.' }, 'to'));
  if (typeof input.on !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(input.on) || Number.isNaN(Date.parse(input.on)))
    errors.add(badRequest('invalid_date', { vi: 'Ngày phải viết yyyy-mm-dd.', en: 'The date must be yyyy-mm-dd.' }, 'on'));
  errors.throwIfAny();
  return db.transaction().execute(async (trx) => {
    const q = trx.withTables<PlanningTables>();
    const open = await q
      .selectFrom('plan_assignment as a')
      .innerJoin('plan_task as t', 't.id', 'a.task_id')
      .selectAll('a')
      .where('t.plan_id', '=', plan.id)
      .where('a.org_id', '=', from!.id)
      .where('a.valid_to', 'is', null)
      .where('a.valid_from', '<', input.on)
      .forUpdate()
      .execute();
    let opened = 0;
    for (const a of open) {
      await q.updateTable('plan_assignment').set({ valid_to: input.on }).where('id', '=', a.id).execute();
      for (const s of to) {
        const exists = await q
          .selectFrom('plan_assignment')
          .select('id')
          .where('task_id', '=', a.task_id)
          .where('org_id', '=', s.id)
          .where('valid_to', 'is', null)
          .executeTakeFirst();
        if (exists) continue;
        await q
          .insertInto('plan_assignment')
          .values({
            task_id: a.task_id,
            org_id: s.id,
            role: a.role,
            valid_from: input.on,
            valid_to: null,
            succeeds_id: a.id,
            note: input.note?.normalize('NFC').slice(0, 500) ?? null,
          })
          .execute();
        opened += 1;
      }
    }
    await recordAudit(trx, actor, {
      action: 'planning.assignments.transfer',
      entityType: 'organization',
      entityId: from!.id,
      details: { to: to.map((o) => o.slug), on: input.on, closed: open.length, opened },
    });
    return { closed: open.length, opened };
  });
}
