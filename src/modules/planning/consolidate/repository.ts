import type { Db } from '../../../platform/db/index.js';
import type { ConsolidatedRow, PlanningTables } from '../tables.js';

const q = (db: Db) => db.withTables<PlanningTables>();

export type ConsolidatedText = Pick<
  ConsolidatedRow,
  'number_symbol' | 'place' | 'doc_date' | 'summary' | 'assessment' | 'recommendations' | 'recipients' | 'signer_title' | 'signer_name'
>;

export const consolidatedRepo = {
  get: (db: Db, roundId: string): Promise<ConsolidatedRow | undefined> =>
    q(db).selectFrom('plan_consolidated').selectAll().where('round_id', '=', roundId).executeTakeFirst(),
  /** What a round's report says before the Department writes anything (the column defaults). */
  defaults: (roundId: string): ConsolidatedRow => ({
    round_id: roundId,
    number_symbol: '/BC-SKHCN',
    place: 'Ninh Thuận',
    doc_date: null,
    summary: '',
    assessment: '',
    recommendations: '',
    recipients: [],
    signer_title: 'GIÁM ĐỐC',
    signer_name: '',
    finalised_at: null,
    finalised_by: null,
    updated_at: new Date(0),
  }),
  /** Locks the round's row (creating it) for an edit. */
  lock: async (db: Db, roundId: string): Promise<ConsolidatedRow> => {
    await q(db)
      .insertInto('plan_consolidated')
      .values({ round_id: roundId, doc_date: null, finalised_at: null, finalised_by: null })
      .onConflict((oc) => oc.column('round_id').doNothing())
      .execute();
    return q(db).selectFrom('plan_consolidated').selectAll().where('round_id', '=', roundId).forUpdate().executeTakeFirstOrThrow();
  },
  save: async (db: Db, roundId: string, text: ConsolidatedText): Promise<void> => {
    await q(db)
      .updateTable('plan_consolidated')
      .set({ ...text, updated_at: new Date() })
      .where('round_id', '=', roundId)
      .execute();
  },
  finalise: async (db: Db, roundId: string, by: string | null, finalised: boolean): Promise<void> => {
    await q(db)
      .updateTable('plan_consolidated')
      .set({ finalised_at: finalised ? new Date() : null, finalised_by: finalised ? by : null, updated_at: new Date() })
      .where('round_id', '=', roundId)
      .execute();
  },
};
