import { hasOrgRole, requireUser, type Principal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { organizationsByIds } from '../../organizations/index.js';
import { todayVn } from '../../admin-units/index.js';
import { planRepo } from '../plan/repository.js';
import type { ReportStatus, RoundRow } from '../tables.js';
import { reportRepo } from './repository.js';
import type { UnitBrief } from './round.js';
import { annualRound } from './service.js';

export interface MyReports {
  /** This year's annual round (last year's when this year has none). */
  round: RoundRow;
  /** The user's units that owe a report in it, with where each stands. */
  units: { org: UnitBrief; status: ReportStatus | 'not_started' }[];
  /** Every round, for the receiver's staff (their overview pages); null for others. */
  rounds: RoundRow[] | null;
}

/** What /plan/reports shows a signed-in user: their units' reports of the current round. */
export async function myReports(db: Db, p: Principal): Promise<MyReports> {
  requireUser(p);
  const year = Number(todayVn().slice(0, 4));
  const { plan, regime, round } = await annualRound(db, year).catch(() => annualRound(db, year - 1));
  const owing = await planRepo.unitsWithTasks(db, plan.id, round.period_from, round.period_to);
  const orgs = await organizationsByIds(
    db,
    owing.filter((o) => p.memberships.has(o.org_id)).map((o) => o.org_id),
  );
  const reports = new Map((await reportRepo.reportsOfRound(db, round.id)).map((r) => [r.org_id, r.status]));
  return {
    round,
    units: orgs.map((org) => ({ org, status: reports.get(org.id) ?? 'not_started' })),
    rounds: hasOrgRole(p, regime.receiver_org_id, 'member') ? await reportRepo.rounds(db, regime.id) : null,
  };
}
