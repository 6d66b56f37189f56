import type { Db } from '../../../platform/db/index.js';
import { defineJob } from '../../../platform/jobs/index.js';
import type { Mailer } from '../../../platform/mail/index.js';
import { todayVn } from '../../admin-units/index.js';
import { planRepo } from '../plan/repository.js';
import type { PlanningTables, RoundRow } from '../tables.js';
import { daysUntil } from './period.js';
import { reportRepo } from './repository.js';

/** Runs every morning: reminders before the deadline and on overdue reports. */
export const REMINDERS_JOB = defineJob('planning.reminders');

const fmt = (iso: string): string => iso.split('-').reverse().join('/');

/**
 * Which reminder a unit is due on a day: the smallest of the regime's reminder days (e.g. 14, 7,
 * 1) that is at least the days left, so a day the job did not run is caught up the next day; once
 * the deadline has passed, 'overdue'. None before the first window.
 */
export function reminderKind(daysLeft: number, reminderDays: readonly number[]): string | null {
  if (daysLeft < 0) return 'overdue';
  const due = [...reminderDays].sort((a, b) => a - b).find((d) => daysLeft <= d);
  return due === undefined ? null : `before-${due}`;
}

async function editorsOf(db: Db, orgId: string): Promise<string[]> {
  const rows = await db
    .withTables<PlanningTables>()
    .selectFrom('org_member as m')
    .innerJoin('app_user as u', 'u.id', 'm.user_id')
    .select('u.email')
    .where('m.org_id', '=', orgId)
    .where('m.role', 'in', ['editor', 'admin'])
    .where('u.disabled', '=', false)
    .execute();
  return rows.map((r) => r.email);
}

function message(round: RoundRow, kind: string, unit: string, link: string) {
  const overdue = kind === 'overdue';
  const subject = overdue
    ? `[Tỉnh Số] Quá hạn báo cáo: ${round.title} / Report overdue`
    : `[Tỉnh Số] Nhắc hạn báo cáo ${fmt(round.deadline)}: ${round.title} / Report due`;
  const text = [
    overdue
      ? `${unit} chưa gửi báo cáo "${round.title}". Hạn gửi là ngày ${fmt(round.deadline)} và đã quá hạn.`
      : `${unit} cần gửi báo cáo "${round.title}" trước ngày ${fmt(round.deadline)}.`,
    `Nhập và gửi báo cáo: ${link}`,
    '',
    overdue
      ? `${unit} has not sent the report "${round.title}", due on ${fmt(round.deadline)}; it is overdue.`
      : `${unit} must send the report "${round.title}" by ${fmt(round.deadline)}.`,
    `Fill in and submit it: ${link}`,
  ].join('\n');
  return { subject, text };
}

/**
 * Sends the reminders due today: for each round whose period is still open, each unit that owes a report and has not
 * sent it (no report, a draft, or one returned to it) gets one mail per kind, to its editors. A
 * refused mail throws (the job is retried) and leaves that unit's reminder unrecorded.
 */
export async function sendReminders(db: Db, mail: Mailer, baseUrl: string, today = todayVn()): Promise<{ sent: number }> {
  let sent = 0;
  const q = db.withTables<PlanningTables>();
  for (const regime of await reportRepo.regimes(db)) {
    if (!regime.plan_id) continue;
    const horizon = Math.max(0, ...regime.reminder_days);
    for (const round of await reportRepo.rounds(db, regime.id)) {
      const left = daysUntil(round.deadline, today);
      // Overdue notices stop when the round's period closes (the cut-off, 14/12): after that the
      // overview still shows the report missing, and chasing it is the Department's call.
      if (left > horizon || today > round.period_to) continue;
      const kind = reminderKind(left, regime.reminder_days);
      if (!kind) continue;
      const owing = await planRepo.unitsWithTasks(db, regime.plan_id, round.period_from, round.period_to);
      const reports = new Map((await reportRepo.reportsOfRound(db, round.id)).map((r) => [r.org_id, r]));
      const done = await q.selectFrom('plan_reminder').select('org_id').where('round_id', '=', round.id).where('kind', '=', kind).execute();
      const already = new Set(done.map((d) => d.org_id));
      for (const { org_id } of owing) {
        const status = reports.get(org_id)?.status;
        if (status === 'submitted' || status === 'accepted' || already.has(org_id)) continue;
        const org = await q.selectFrom('organization').select(['slug', 'name']).where('id', '=', org_id).executeTakeFirst();
        if (!org) continue;
        const to = await editorsOf(db, org_id);
        if (to.length) {
          const link = `${baseUrl.replace(/\/$/, '')}/plan/reports/${round.year}/${org.slug}`;
          await mail.send({ to, ...message(round, kind, org.name, link) });
        }
        await q
          .insertInto('plan_reminder')
          .values({ round_id: round.id, org_id, kind, recipients: to.length })
          .onConflict((oc) => oc.doNothing())
          .execute();
        if (to.length) sent += 1;
      }
    }
  }
  return { sent };
}
