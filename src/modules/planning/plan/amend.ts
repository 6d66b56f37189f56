import { recordAudit, type AuditActor } from '../../../platform/audit/index.js';
import type { Principal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { badRequest, FieldErrors, notFound } from '../../../platform/http/index.js';
import { cleanText, parseViDateTime } from '../../../platform/text/index.js';
import { findOrganization } from '../../organizations/index.js';
import { reportRepo } from '../reports/repository.js';
import { requireReceiver } from '../reports/round.js';
import type { PlanningTables } from '../tables.js';
import { planRepo } from './repository.js';
import { PLAN_CODE } from './reference.js';

/** One change of an amending decision: a task's new text (or units), a task removed, or a new task. */
export interface TaskChange {
  ref?: string;
  text?: string;
  remove?: boolean;
  /** For a new task: its content group's code (1–6). */
  group?: string;
  /** Units (slugs) that lead and coordinate; for a changed task, omitted keeps its units. */
  lead?: string[];
  coordinate?: string[];
}
export interface AmendmentInput {
  note?: string;
  decisionRef?: string | null;
  /** The day it takes effect: dd/mm/yyyy or yyyy-mm-dd. */
  effectiveFrom?: string;
  tasks?: TaskChange[];
}

/**
 * Amends the plan (as its last paragraph foresees): a new version, effective on a day. A changed
 * task is closed and replaced by its new text under the same reference; a removed one is closed;
 * a new one is added. The old tasks' assignments close on that day and the new ones open on it,
 * so rounds before it keep the old text and rounds after it carry the new. The Department's editors.
 */
export async function amendPlan(db: Db, p: Principal, actor: AuditActor, input: AmendmentInput): Promise<{ version: number }> {
  const plan = await planRepo.byCode(db, PLAN_CODE);
  const regime = plan ? await reportRepo.regimeOfPlan(db, plan.id) : undefined;
  if (!plan || !regime) throw notFound('plan_not_found', { vi: 'Không có kế hoạch này.', en: 'No such plan.' });
  requireReceiver(p, regime, 'editor');
  const errors = new FieldErrors();
  const note = typeof input.note === 'string' ? cleanText(input.note) : '';
  if (!note) errors.add(badRequest('required', { vi: 'Cần nội dung sửa đổi.', en: 'Say what the amendment is.' }, 'note'));
  const day = typeof input.effectiveFrom === 'string' ? parseViDateTime(input.effectiveFrom) : null;
  if (!day || day.time)
    errors.add(badRequest('invalid_date', { vi: 'Ngày hiệu lực viết dd/mm/yyyy.', en: 'Write the effective date as dd/mm/yyyy.' }, 'effectiveFrom'));
  const changes = Array.isArray(input.tasks) ? input.tasks : [];
  if (!changes.length) errors.add(badRequest('required', { vi: 'Cần ít nhất một thay đổi nhiệm vụ.', en: 'At least one task change is required.' }, 'tasks'));
  const current = new Map((await planRepo.tasks(db, plan.id)).map((t) => [t.ref, t]));
  const groups = new Map((await planRepo.groups(db, plan.id)).map((g) => [g.code, g]));
  const units = async (field: string, slugs: unknown): Promise<string[] | undefined> => {
    if (slugs === undefined) return undefined;
    const out: string[] = [];
    for (const [i, s] of (Array.isArray(slugs) ? slugs : []).entries()) {
      const o = typeof s === 'string' ? await findOrganization(db, s) : undefined;
      if (!o) errors.add(badRequest('unknown_org', { vi: 'Không có đơn vị này.', en: 'No such unit.' }, `${field}.${i}`));
      else out.push(o.id);
    }
    return out;
  };
  const planned: { change: TaskChange; ref: string; text: string; lead?: string[]; coordinate?: string[] }[] = [];
  for (const [i, c] of changes.entries()) {
    const f = `tasks.${i}`;
    const ref = typeof c.ref === 'string' ? c.ref.trim() : '';
    if (!/^[IVX]+(\.[0-9a-z]+){1,4}$/.test(ref)) {
      errors.add(badRequest('invalid_ref', { vi: 'Số hiệu nhiệm vụ dạng IV.8.1.', en: 'A task reference like IV.8.1.' }, `${f}.ref`));
      continue;
    }
    const text = typeof c.text === 'string' ? c.text.normalize('NFC').trim() : '';
    const exists = current.get(ref);
    if (c.remove) {
      if (!exists) errors.add(badRequest('unknown_task', { vi: 'Không có nhiệm vụ này.', en: 'No such task.' }, `${f}.ref`));
    } else if (!exists) {
      if (!text) errors.add(badRequest('required', { vi: 'Nhiệm vụ mới cần nội dung.', en: 'A new task needs its text.' }, `${f}.text`));
      if (!groups.has(String(c.group)))
        errors.add(badRequest('invalid_group', { vi: 'Nhóm nội dung từ 1 đến 6.', en: 'A content group from 1 to 6.' }, `${f}.group`));
      if (!Array.isArray(c.lead) || !c.lead.length)
        errors.add(badRequest('required', { vi: 'Nhiệm vụ mới cần đơn vị chủ trì.', en: 'A new task needs a lead unit.' }, `${f}.lead`));
    } else if (!text && c.lead === undefined && c.coordinate === undefined) {
      errors.add(badRequest('required', { vi: 'Nêu nội dung mới hoặc đơn vị mới của nhiệm vụ.', en: 'Give the task’s new text or units.' }, `${f}.text`));
    }
    planned.push({ change: c, ref, text, lead: await units(`${f}.lead`, c.lead), coordinate: await units(`${f}.coordinate`, c.coordinate) });
  }
  if (new Set(planned.map((x) => x.ref)).size !== planned.length)
    errors.add(badRequest('duplicate_task', { vi: 'Một nhiệm vụ được sửa hai lần.', en: 'A task is changed twice.' }, 'tasks'));
  errors.throwIfAny();
  const on = day!.date;

  return db.transaction().execute(async (trx) => {
    const q = trx.withTables<PlanningTables>();
    const last = await q
      .selectFrom('plan_version')
      .select('version')
      .where('plan_id', '=', plan.id)
      .orderBy('version', 'desc')
      .limit(1)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const version = last.version + 1;
    await q
      .insertInto('plan_version')
      .values({
        plan_id: plan.id,
        version,
        note,
        decision_ref: typeof input.decisionRef === 'string' ? cleanText(input.decisionRef) || null : null,
        effective_from: on,
        created_by: actor.userId,
      })
      .execute();
    const maxPos =
      (
        await q
          .selectFrom('plan_task')
          .select((eb) => eb.fn.max('position').as('m'))
          .where('plan_id', '=', plan.id)
          .executeTakeFirst()
      )?.m ?? 0;
    let added = 0;
    for (const x of planned) {
      const old = current.get(x.ref);
      let open: { org_id: string; role: 'lead' | 'coordinate' }[] = [];
      if (old) {
        await q.updateTable('plan_task').set({ version_to: version }).where('id', '=', old.id).execute();
        open = await q.selectFrom('plan_assignment').select(['org_id', 'role']).where('task_id', '=', old.id).where('valid_to', 'is', null).execute();
        await q
          .updateTable('plan_assignment')
          .set({ valid_to: on })
          .where('task_id', '=', old.id)
          .where('valid_to', 'is', null)
          .where('valid_from', '<', on)
          .execute();
        // Assignments that would only have begun on or after that day never take effect.
        await q.deleteFrom('plan_assignment').where('task_id', '=', old.id).where('valid_to', 'is', null).where('valid_from', '>=', on).execute();
      }
      if (x.change.remove) continue;
      const task = await q
        .insertInto('plan_task')
        .values({
          plan_id: plan.id,
          group_id: old ? old.group_id : groups.get(String(x.change.group))!.id,
          ref: x.ref,
          position: old ? old.position : Number(maxPos) + ++added,
          heading: old ? old.heading : 'Nhiệm vụ bổ sung',
          text: x.text || old!.text,
          version_from: version,
          version_to: null,
          replaces_id: old?.id ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const leads = x.lead ?? open.filter((a) => a.role === 'lead').map((a) => a.org_id);
      const coords = x.coordinate ?? open.filter((a) => a.role === 'coordinate').map((a) => a.org_id);
      const rows = [
        ...leads.map((org_id) => ({ org_id, role: 'lead' as const })),
        ...coords.filter((o) => !leads.includes(o)).map((org_id) => ({ org_id, role: 'coordinate' as const })),
      ];
      if (rows.length)
        await q
          .insertInto('plan_assignment')
          .values(
            rows.map((r) => ({
              task_id: task.id,
              org_id: r.org_id,
              role: r.role,
              valid_from: on,
              valid_to: null,
              succeeds_id: null,
              note: `Sửa đổi lần ${version - 1}`,
            })),
          )
          .execute();
    }
    await recordAudit(trx, actor, {
      action: 'planning.plan.amend',
      entityType: 'plan',
      entityId: plan.id,
      details: { version, effectiveFrom: on, tasks: planned.map((x) => ({ ref: x.ref, remove: !!x.change.remove })) },
    });
    return { version };
  });
}
