import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.js';
import type { CleanReport } from './validate.js';
import type { EvidenceFileRow, PlanningTables, RegimeRow, ReportEventRow, ReportRow, ReportStatus, RoundRow, SectionRow, ValueRow } from '../tables.js';

const q = (db: Db) => db.withTables<PlanningTables>();

export const reportRepo = {
  files: (db: Db, reportId: string): Promise<EvidenceFileRow[]> =>
    q(db).selectFrom('plan_report_file').selectAll().where('report_id', '=', reportId).orderBy('created_at').execute(),
  file: (db: Db, id: string): Promise<EvidenceFileRow | undefined> => q(db).selectFrom('plan_report_file').selectAll().where('id', '=', id).executeTakeFirst(),
  fileCount: async (db: Db, reportId: string, taskId: string): Promise<number> =>
    Number(
      (
        await q(db)
          .selectFrom('plan_report_file')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('report_id', '=', reportId)
          .where('task_id', '=', taskId)
          .executeTakeFirstOrThrow()
      ).n,
    ),
  insertFile: (db: Db, v: Omit<EvidenceFileRow, 'id' | 'created_at'>): Promise<EvidenceFileRow> =>
    q(db).insertInto('plan_report_file').values(v).returningAll().executeTakeFirstOrThrow(),
  hasFileKey: async (db: Db, key: string): Promise<boolean> =>
    !!(await q(db).selectFrom('plan_report_file').select('id').where('file_key', '=', key).executeTakeFirst()),
  deleteFile: async (db: Db, id: string): Promise<void> => {
    await q(db).deleteFrom('plan_report_file').where('id', '=', id).execute();
  },
  regimeOfPlan: (db: Db, planId: string): Promise<RegimeRow | undefined> =>
    q(db)
      .selectFrom('plan_regime')
      .selectAll()
      .where('plan_id', '=', planId)
      .where('frequency', '=', 'annual')
      .orderBy('created_at')
      .limit(1)
      .executeTakeFirst(),
  regimeById: (db: Db, id: string): Promise<RegimeRow | undefined> => q(db).selectFrom('plan_regime').selectAll().where('id', '=', id).executeTakeFirst(),
  regimes: (db: Db): Promise<RegimeRow[]> => q(db).selectFrom('plan_regime').selectAll().orderBy('created_at').execute(),
  setTemplate: async (db: Db, regimeId: string, template: Buffer | null): Promise<void> => {
    await q(db).updateTable('plan_regime').set({ template }).where('id', '=', regimeId).execute();
  },
  periodicRound: (db: Db, regimeId: string, year: number): Promise<RoundRow | undefined> =>
    q(db).selectFrom('plan_round').selectAll().where('regime_id', '=', regimeId).where('kind', '=', 'periodic').where('year', '=', year).executeTakeFirst(),
  rounds: (db: Db, regimeId: string): Promise<RoundRow[]> =>
    q(db).selectFrom('plan_round').selectAll().where('regime_id', '=', regimeId).orderBy('year').orderBy('created_at').execute(),
  openRounds: (db: Db, today: string, aheadDays: number): Promise<RoundRow[]> =>
    q(db)
      .selectFrom('plan_round')
      .selectAll()
      .where(sql<boolean>`deadline <= ${today}::date + ${aheadDays}::int`)
      .where(sql<boolean>`deadline >= ${today}::date - 366`)
      .execute(),
  setPublished: async (db: Db, roundId: string, published: boolean): Promise<void> => {
    await q(db).updateTable('plan_round').set({ published }).where('id', '=', roundId).execute();
  },
  report: (db: Db, roundId: string, orgId: string): Promise<ReportRow | undefined> =>
    q(db).selectFrom('plan_report').selectAll().where('round_id', '=', roundId).where('org_id', '=', orgId).executeTakeFirst(),
  /** The report row, created as a draft on first write; locked for the rest of the transaction. */
  lockOrCreate: async (db: Db, roundId: string, orgId: string): Promise<ReportRow> => {
    await q(db)
      .insertInto('plan_report')
      .values({ round_id: roundId, org_id: orgId })
      .onConflict((oc) => oc.columns(['round_id', 'org_id']).doNothing())
      .execute();
    return q(db).selectFrom('plan_report').selectAll().where('round_id', '=', roundId).where('org_id', '=', orgId).forUpdate().executeTakeFirstOrThrow();
  },
  reportsOfRound: (db: Db, roundId: string): Promise<ReportRow[]> => q(db).selectFrom('plan_report').selectAll().where('round_id', '=', roundId).execute(),
  reportsOfRegime: (db: Db, regimeId: string): Promise<(ReportRow & { deadline: string; year: number })[]> =>
    q(db)
      .selectFrom('plan_report as r')
      .innerJoin('plan_round as o', 'o.id', 'r.round_id')
      .selectAll('r')
      .select(['o.deadline', 'o.year'])
      .where('o.regime_id', '=', regimeId)
      .execute(),
  sections: (db: Db, reportId: string): Promise<SectionRow[]> =>
    q(db).selectFrom('plan_report_section').selectAll().where('report_id', '=', reportId).execute(),
  sectionsOfRound: (db: Db, roundId: string, statuses: readonly ReportStatus[]): Promise<(SectionRow & { org_id: string })[]> =>
    q(db)
      .selectFrom('plan_report_section as s')
      .innerJoin('plan_report as r', 'r.id', 's.report_id')
      .selectAll('s')
      .select('r.org_id')
      .where('r.round_id', '=', roundId)
      .where('r.status', 'in', [...statuses])
      .execute(),
  values: (db: Db, reportId: string): Promise<ValueRow[]> =>
    q(db)
      .selectFrom('plan_report_value')
      .select(['report_id', 'indicator_id', sql<string | null>`value::text`.as('value'), 'note'])
      .where('report_id', '=', reportId)
      .execute(),
  valuesOfRound: (db: Db, roundId: string, statuses: readonly ReportStatus[]): Promise<(ValueRow & { org_id: string })[]> =>
    q(db)
      .selectFrom('plan_report_value as v')
      .innerJoin('plan_report as r', 'r.id', 'v.report_id')
      .select(['v.report_id', 'v.indicator_id', sql<string | null>`v.value::text`.as('value'), 'v.note', 'r.org_id'])
      .where('r.round_id', '=', roundId)
      .where('r.status', 'in', [...statuses])
      .execute(),
  /** Writes what the unit entered: the given sections and values replace theirs, others stay. */
  saveEntries: async (
    db: Db,
    reportId: string,
    clean: CleanReport,
    taskIds: ReadonlyMap<string, string>,
    indicatorIds: ReadonlyMap<string, string>,
  ): Promise<void> => {
    const sections = [...clean.sections].map(([ref, s]) => ({
      report_id: reportId,
      task_id: taskIds.get(ref)!,
      ...s,
      evidence: JSON.stringify(s.evidence) as never,
      return_reason: null,
    }));
    if (sections.length)
      await q(db)
        .insertInto('plan_report_section')
        .values(sections)
        .onConflict((oc) =>
          oc.columns(['report_id', 'task_id']).doUpdateSet((eb) => ({
            status: eb.ref('excluded.status'),
            done: eb.ref('excluded.done'),
            results: eb.ref('excluded.results'),
            difficulties: eb.ref('excluded.difficulties'),
            proposals: eb.ref('excluded.proposals'),
            evidence: eb.ref('excluded.evidence'),
          })),
        )
        .execute();
    const values = [...clean.values].map(([code, v]) => ({
      report_id: reportId,
      indicator_id: indicatorIds.get(code)!,
      value: v.value === null ? null : String(v.value),
      note: v.note,
    }));
    if (values.length)
      await q(db)
        .insertInto('plan_report_value')
        .values(values)
        .onConflict((oc) => oc.columns(['report_id', 'indicator_id']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), note: eb.ref('excluded.note') })))
        .execute();
  },
  setStatus: async (
    db: Db,
    reportId: string,
    status: ReportStatus,
    extra: Partial<Pick<ReportRow, 'return_reason' | 'first_submitted_at' | 'submitted_at' | 'accepted_at'>> = {},
  ): Promise<void> => {
    await q(db)
      .updateTable('plan_report')
      .set({ status, updated_at: new Date(), ...extra })
      .where('id', '=', reportId)
      .execute();
  },
  touch: async (db: Db, reportId: string): Promise<void> => {
    await q(db).updateTable('plan_report').set({ updated_at: new Date() }).where('id', '=', reportId).execute();
  },
  setSectionReasons: async (db: Db, reportId: string, reasons: ReadonlyMap<string, string | null>): Promise<void> => {
    await q(db).updateTable('plan_report_section').set({ return_reason: null }).where('report_id', '=', reportId).execute();
    for (const [taskId, reason] of reasons)
      await q(db).updateTable('plan_report_section').set({ return_reason: reason }).where('report_id', '=', reportId).where('task_id', '=', taskId).execute();
  },
  ensureSections: async (db: Db, reportId: string, taskIds: readonly string[]): Promise<void> => {
    if (!taskIds.length) return;
    await q(db)
      .insertInto('plan_report_section')
      .values(
        taskIds.map((task_id) => ({
          report_id: reportId,
          task_id,
          status: null,
          done: null,
          results: null,
          difficulties: null,
          proposals: null,
          return_reason: null,
        })),
      )
      .onConflict((oc) => oc.columns(['report_id', 'task_id']).doNothing())
      .execute();
  },
  addEvent: async (db: Db, e: Omit<ReportEventRow, 'id' | 'at'>): Promise<void> => {
    await q(db)
      .insertInto('plan_report_event')
      .values({ ...e, details: JSON.stringify(e.details) as never })
      .execute();
  },
  events: (db: Db, reportId: string): Promise<ReportEventRow[]> =>
    q(db).selectFrom('plan_report_event').selectAll().where('report_id', '=', reportId).orderBy('id').execute(),
};
