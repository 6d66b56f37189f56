import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.js';
import type { AssignmentRow, GroupRow, IndicatorRow, PlanningTables, PlanRow, PlanVersionRow, TaskRow } from '../tables.js';

const q = (db: Db) => db.withTables<PlanningTables>();

export interface AssignedTask extends TaskRow {
  role: 'lead' | 'coordinate';
  assignment_id: string;
}

export const planRepo = {
  byCode: (db: Db, code: string): Promise<PlanRow | undefined> => q(db).selectFrom('plan').selectAll().where('code', '=', code).executeTakeFirst(),
  byId: (db: Db, id: string): Promise<PlanRow | undefined> => q(db).selectFrom('plan').selectAll().where('id', '=', id).executeTakeFirst(),
  list: (db: Db): Promise<PlanRow[]> => q(db).selectFrom('plan').selectAll().orderBy('issued_on', 'desc').execute(),
  versions: (db: Db, planId: string): Promise<PlanVersionRow[]> =>
    q(db).selectFrom('plan_version').selectAll().where('plan_id', '=', planId).orderBy('version').execute(),
  groups: (db: Db, planId: string): Promise<GroupRow[]> =>
    q(db).selectFrom('plan_group').selectAll().where('plan_id', '=', planId).orderBy('position').execute(),
  /** The tasks in force (the latest version's), in the plan's order. */
  tasks: (db: Db, planId: string): Promise<TaskRow[]> =>
    q(db).selectFrom('plan_task').selectAll().where('plan_id', '=', planId).where('version_to', 'is', null).orderBy('position').execute(),
  allTasks: (db: Db, planId: string): Promise<TaskRow[]> =>
    q(db).selectFrom('plan_task').selectAll().where('plan_id', '=', planId).orderBy('position').execute(),
  /** Every assignment of the plan's tasks, past ones too (valid_to set). */
  assignments: (db: Db, planId: string): Promise<AssignmentRow[]> =>
    q(db)
      .selectFrom('plan_assignment as a')
      .innerJoin('plan_task as t', 't.id', 'a.task_id')
      .selectAll('a')
      .where('t.plan_id', '=', planId)
      .orderBy('t.position')
      .orderBy('a.role')
      .execute(),
  /**
   * The tasks a unit carries at some point of [from, to], by its assignments' validity (an amended
   * or removed task's close on the amendment's day); where an amendment replaced a task inside the
   * period, the newer text.
   */
  tasksOf: async (db: Db, planId: string, orgId: string, from: string, to: string): Promise<AssignedTask[]> => {
    const rows = await q(db)
      .selectFrom('plan_assignment as a')
      .innerJoin('plan_task as t', 't.id', 'a.task_id')
      .selectAll('t')
      .select(['a.role', 'a.id as assignment_id'])
      .where('t.plan_id', '=', planId)
      .where('a.org_id', '=', orgId)
      .where('a.valid_from', '<=', to)
      .where((eb) => eb.or([eb('a.valid_to', 'is', null), eb('a.valid_to', '>', from)]))
      .orderBy('t.position')
      .orderBy('t.version_from', 'desc')
      .execute();
    const seen = new Set<string>();
    return rows.filter((r) => !seen.has(r.ref) && !!seen.add(r.ref));
  },
  /** Units carrying any task in force during [from, to], with how many. */
  unitsWithTasks: (db: Db, planId: string, from: string, to: string): Promise<{ org_id: string; tasks: number }[]> =>
    q(db)
      .selectFrom('plan_assignment as a')
      .innerJoin('plan_task as t', 't.id', 'a.task_id')
      .select(['a.org_id', sql<number>`count(distinct t.ref)::int`.as('tasks')])
      .where('t.plan_id', '=', planId)
      .where('a.valid_from', '<=', to)
      .where((eb) => eb.or([eb('a.valid_to', 'is', null), eb('a.valid_to', '>', from)]))
      .groupBy('a.org_id')
      .execute(),
  /** Which of these units are communes under the district. */
  communesOf: (db: Db, districtId: string, ids: string[]): Promise<{ id: string; name: string }[]> =>
    ids.length
      ? q(db)
          .selectFrom('organization')
          .select(['id', 'name'])
          .where('id', 'in', ids)
          .where('kind', '=', 'commune_committee')
          .where('parent_id', '=', districtId)
          .execute()
      : Promise.resolve([]),
  indicators: (db: Db, planId: string): Promise<IndicatorRow[]> =>
    q(db).selectFrom('plan_indicator').selectAll().where('plan_id', '=', planId).orderBy('code').execute(),
  targets: (db: Db, planId: string): Promise<{ indicator_id: string; year: number; target: string }[]> =>
    q(db)
      .selectFrom('plan_indicator_target as t')
      .innerJoin('plan_indicator as i', 'i.id', 't.indicator_id')
      .select(['t.indicator_id', 't.year', sql<string>`t.target::text`.as('target')])
      .where('i.plan_id', '=', planId)
      .orderBy('t.year')
      .execute(),
  computedValues: (db: Db, planId: string): Promise<{ indicator_id: string; year: number; value: string }[]> =>
    q(db)
      .selectFrom('plan_indicator_value as v')
      .innerJoin('plan_indicator as i', 'i.id', 'v.indicator_id')
      .select(['v.indicator_id', 'v.year', sql<string>`v.value::text`.as('value')])
      .where('i.plan_id', '=', planId)
      .execute(),
  setComputed: async (db: Db, indicatorId: string, year: number, value: number): Promise<void> => {
    await q(db)
      .insertInto('plan_indicator_value')
      .values({ indicator_id: indicatorId, year, value })
      .onConflict((oc) => oc.columns(['indicator_id', 'year']).doUpdateSet({ value, computed_at: new Date() }))
      .execute();
  },
};
