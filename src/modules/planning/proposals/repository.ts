import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.js';
import type { CouncilMemberRow, ExpertRow, PlanningTables, ProposalEventRow, ProposalRow, ProposalStatus, ScoreRow } from '../tables.js';

const q = (db: Db) => db.withTables<PlanningTables>();

export const expertsRepo = {
  list: (db: Db, activeOnly: boolean): Promise<ExpertRow[]> => {
    let s = q(db).selectFrom('plan_expert').selectAll();
    if (activeOnly) s = s.where('active', '=', true);
    return s.orderBy('field').orderBy('name').execute();
  },
  byIds: (db: Db, ids: string[]): Promise<ExpertRow[]> =>
    ids.length ? q(db).selectFrom('plan_expert').selectAll().where('id', 'in', ids).execute() : Promise.resolve([]),
  insert: (db: Db, v: Omit<ExpertRow, 'id' | 'created_at'>): Promise<ExpertRow> =>
    q(db).insertInto('plan_expert').values(v).returningAll().executeTakeFirstOrThrow(),
  update: (db: Db, id: string, v: Partial<Omit<ExpertRow, 'id' | 'created_at'>>): Promise<ExpertRow | undefined> =>
    q(db).updateTable('plan_expert').set(v).where('id', '=', id).returningAll().executeTakeFirst(),
};

export const proposalsRepo = {
  /** The next code of a year: DX-2026-001, … (under the caller's lock of the table's rows of that year). */
  nextCode: async (db: Db, year: number): Promise<string> => {
    await sql`select pg_advisory_xact_lock(hashtext('plan_proposal_code'), ${year})`.execute(db);
    const r = await sql<{ n: string }>`select count(*) as n from plan_proposal where code like ${`DX-${year}-%`}`.execute(db);
    return `DX-${year}-${String(Number(r.rows[0]!.n) + 1).padStart(3, '0')}`;
  },
  insert: (
    db: Db,
    v: Omit<ProposalRow, 'id' | 'status' | 'created_at' | 'updated_at' | 'screening_note' | 'decision_note' | 'mean_score' | 'decided_at'>,
  ): Promise<ProposalRow> =>
    q(db)
      .insertInto('plan_proposal')
      .values({ ...v, screening_note: null, decision_note: null, mean_score: null, decided_at: null })
      .returningAll()
      .executeTakeFirstOrThrow(),
  get: (db: Db, id: string): Promise<ProposalRow | undefined> => q(db).selectFrom('plan_proposal').selectAll().where('id', '=', id).executeTakeFirst(),
  lock: (db: Db, id: string): Promise<ProposalRow | undefined> =>
    q(db).selectFrom('plan_proposal').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),
  list: (db: Db, status?: ProposalStatus): Promise<ProposalRow[]> => {
    let s = q(db).selectFrom('plan_proposal').selectAll();
    if (status) s = s.where('status', '=', status);
    return s.orderBy('created_at', 'desc').limit(500).execute();
  },
  update: (
    db: Db,
    id: string,
    v: Partial<Pick<ProposalRow, 'status' | 'screening_note' | 'decision_note' | 'mean_score' | 'decided_at'>>,
  ): Promise<ProposalRow> =>
    q(db)
      .updateTable('plan_proposal')
      .set({ ...v, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow(),
  council: (db: Db, id: string): Promise<CouncilMemberRow[]> => q(db).selectFrom('plan_council_member').selectAll().where('proposal_id', '=', id).execute(),
  setCouncil: async (db: Db, id: string, members: CouncilMemberRow[]): Promise<void> => {
    await q(db).deleteFrom('plan_council_member').where('proposal_id', '=', id).execute();
    await q(db).insertInto('plan_council_member').values(members).execute();
  },
  scores: (db: Db, id: string): Promise<ScoreRow[]> => q(db).selectFrom('plan_score').selectAll().where('proposal_id', '=', id).execute(),
  setScores: async (db: Db, id: string, expertId: string, rows: ScoreRow[]): Promise<void> => {
    await q(db).deleteFrom('plan_score').where('proposal_id', '=', id).where('expert_id', '=', expertId).execute();
    await q(db).insertInto('plan_score').values(rows).execute();
  },
  clearScoresOutside: async (db: Db, id: string, expertIds: string[]): Promise<void> => {
    await q(db).deleteFrom('plan_score').where('proposal_id', '=', id).where('expert_id', 'not in', expertIds).execute();
  },
  events: (db: Db, id: string): Promise<ProposalEventRow[]> =>
    q(db).selectFrom('plan_proposal_event').selectAll().where('proposal_id', '=', id).orderBy('id').execute(),
  addEvent: async (db: Db, v: Omit<ProposalEventRow, 'id' | 'at'>): Promise<void> => {
    await q(db).insertInto('plan_proposal_event').values(v).execute();
  },
};
