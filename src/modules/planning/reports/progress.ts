import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.js';
import type { PlanningTables, TaskStatus } from '../tables.js';

/**
 * The progress the province has decided to publish: task statuses by content group from the
 * accepted reports of the latest round marked published; null when none is.
 */
export async function publishedProgress(db: Db, planId: string): Promise<{ year: number; byGroup: Map<string, Partial<Record<TaskStatus, number>>> } | null> {
  const q = db.withTables<PlanningTables>();
  const round = await q
    .selectFrom('plan_round as r')
    .innerJoin('plan_regime as g', 'g.id', 'r.regime_id')
    .select(['r.id', 'r.year'])
    .where('g.plan_id', '=', planId)
    .where('r.published', '=', true)
    .orderBy('r.year', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!round) return null;
  const rows = await q
    .selectFrom('plan_report_section as s')
    .innerJoin('plan_report as p', 'p.id', 's.report_id')
    .innerJoin('plan_task as t', 't.id', 's.task_id')
    .select(['t.group_id', 's.status', sql<number>`count(*)::int`.as('n')])
    .where('p.round_id', '=', round.id)
    .where('p.status', '=', 'accepted')
    .where('s.status', 'is not', null)
    .groupBy(['t.group_id', 's.status'])
    .execute();
  const byGroup = new Map<string, Partial<Record<TaskStatus, number>>>();
  for (const r of rows) {
    if (!r.group_id || !r.status) continue;
    const g = byGroup.get(r.group_id) ?? {};
    g[r.status] = r.n;
    byGroup.set(r.group_id, g);
  }
  return { year: round.year, byGroup };
}
