import { hasOrgRole, requireUser, type Principal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { forbidden } from '../../../platform/http/index.js';
import { organizationsByIds } from '../../organizations/index.js';
import { todayVn } from '../../admin-units/index.js';
import { planRepo } from '../plan/repository.js';
import type { PlanRow, RegimeRow, ReportStatus, RoundRow } from '../tables.js';
import { daysUntil } from './period.js';
import { reportRepo } from './repository.js';
import { annualRound } from './service.js';

/** A unit as the overview lists it. */
export type UnitBrief = Awaited<ReturnType<typeof organizationsByIds>>[number];

const NEED_ROLE = { vi: 'Chỉ cán bộ của đơn vị tổng hợp báo cáo được xem.', en: 'Only staff of the receiving department may see this.' };

/** Staff of the regime's receiving unit (the Department of Science and Technology) and sysadmins. */
export function requireReceiver(p: Principal, regime: RegimeRow, min: 'member' | 'editor' = 'member'): void {
  requireUser(p);
  if (!hasOrgRole(p, regime.receiver_org_id, min)) throw forbidden('forbidden', NEED_ROLE);
}

export interface UnitStatus {
  org: UnitBrief;
  tasks: number;
  status: ReportStatus | 'not_started';
  submittedAt: Date | null;
  acceptedAt: Date | null;
  /** First submitted by the deadline (Vietnam time). */
  onTime: boolean | null;
  overdue: boolean;
}

export interface RoundOverview {
  plan: PlanRow;
  regime: RegimeRow;
  round: RoundRow;
  units: UnitStatus[];
  daysLeft: number;
}

const VN_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' });
/** Whether an instant falls on or before a date, in Vietnam. */
export const byDeadline = (at: Date, deadline: string): boolean => VN_DAY.format(at) <= deadline;

const ORDER: Record<string, number> = { people_committee: 0, department: 1, agency: 2, district_committee: 3, commune_committee: 4, other: 5 };

/** Every unit that owes a report in the round, with where its report stands. */
export async function roundOverview(db: Db, p: Principal, year: number): Promise<RoundOverview> {
  const { plan, regime, round } = await annualRound(db, year);
  requireReceiver(p, regime);
  const [owing, reports] = await Promise.all([
    planRepo.unitsWithTasks(db, plan.id, round.period_from, round.period_to),
    reportRepo.reportsOfRound(db, round.id),
  ]);
  const orgs = new Map(
    (
      await organizationsByIds(
        db,
        owing.map((o) => o.org_id),
      )
    ).map((o) => [o.id, o]),
  );
  const byOrg = new Map(reports.map((r) => [r.org_id, r]));
  const daysLeft = daysUntil(round.deadline, todayVn());
  const units = owing
    .filter((o) => orgs.has(o.org_id))
    .map((o): UnitStatus => {
      const r = byOrg.get(o.org_id);
      const status = r?.status ?? 'not_started';
      const sent = status === 'submitted' || status === 'accepted';
      return {
        org: orgs.get(o.org_id)!,
        tasks: o.tasks,
        status,
        submittedAt: r?.submitted_at ?? null,
        acceptedAt: r?.accepted_at ?? null,
        onTime: r?.first_submitted_at ? byDeadline(r.first_submitted_at, round.deadline) : daysLeft < 0 ? false : null,
        overdue: daysLeft < 0 && !sent,
      };
    })
    .sort((a, b) => (ORDER[a.org.kind] ?? 9) - (ORDER[b.org.kind] ?? 9) || a.org.name.localeCompare(b.org.name, 'vi'));
  return { plan, regime, round, units, daysLeft };
}

export interface OnTimeRate {
  org: UnitBrief;
  rounds: number;
  onTime: number;
  rate: number;
}

/**
 * Each unit's on-time rate over the rounds whose deadline has passed: a round counts as on time
 * when the unit's first submission reached the Department by the deadline. With `year`, the rounds
 * up to that year's.
 */
export async function onTimeRates(db: Db, p: Principal, year?: number): Promise<OnTimeRate[]> {
  const { plan, regime } = await annualRound(db, year ?? new Date().getFullYear());
  requireReceiver(p, regime);
  const today = todayVn();
  const rounds = (await reportRepo.rounds(db, regime.id)).filter((r) => r.deadline < today && (year === undefined || r.year <= year));
  const reports = await reportRepo.reportsOfRegime(db, regime.id);
  const counts = new Map<string, { rounds: number; onTime: number }>();
  for (const round of rounds) {
    const owing = await planRepo.unitsWithTasks(db, plan.id, round.period_from, round.period_to);
    for (const o of owing) {
      const c = counts.get(o.org_id) ?? { rounds: 0, onTime: 0 };
      c.rounds += 1;
      const r = reports.find((x) => x.round_id === round.id && x.org_id === o.org_id);
      if (r?.first_submitted_at && byDeadline(r.first_submitted_at, round.deadline)) c.onTime += 1;
      counts.set(o.org_id, c);
    }
  }
  const orgs = new Map((await organizationsByIds(db, [...counts.keys()])).map((o) => [o.id, o]));
  return [...counts]
    .filter(([id]) => orgs.has(id))
    .map(([id, c]) => ({ org: orgs.get(id)!, rounds: c.rounds, onTime: c.onTime, rate: c.rounds ? c.onTime / c.rounds : 0 }))
    .sort((a, b) => a.rate - b.rate || a.org.name.localeCompare(b.org.name, 'vi'));
}
