import { sql } from 'kysely';
import type { Db } from '../../platform/db/index.js';
import type { AwarenessTables, PostKind, PostRow, RegistrationRow, RegistrationStatus } from './tables.js';

const q = (db: Db) => db.withTables<AwarenessTables>();
type PostValues = Omit<PostRow, 'id' | 'created_at' | 'updated_at'>;

export const postsRepo = {
  bySlug: (db: Db, slug: string): Promise<PostRow | undefined> => q(db).selectFrom('aw_post').selectAll().where('slug', '=', slug).executeTakeFirst(),
  lockBySlug: (db: Db, slug: string): Promise<PostRow | undefined> =>
    q(db).selectFrom('aw_post').selectAll().where('slug', '=', slug).forUpdate().executeTakeFirst(),
  lockById: (db: Db, id: string): Promise<PostRow | undefined> => q(db).selectFrom('aw_post').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),
  byId: (db: Db, id: string): Promise<PostRow | undefined> => q(db).selectFrom('aw_post').selectAll().where('id', '=', id).executeTakeFirst(),
  slugTaken: async (db: Db, slug: string): Promise<boolean> => !!(await q(db).selectFrom('aw_post').select('id').where('slug', '=', slug).executeTakeFirst()),
  insert: (db: Db, v: PostValues): Promise<PostRow> => q(db).insertInto('aw_post').values(v).returningAll().executeTakeFirstOrThrow(),
  update: (db: Db, id: string, v: Partial<PostValues>): Promise<PostRow> =>
    q(db)
      .updateTable('aw_post')
      .set({ ...v, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow(),
  /** Published posts, newest first (events by their start), optionally of one kind. */
  published: (db: Db, opts: { kind?: PostKind; limit: number }): Promise<PostRow[]> => {
    let s = q(db).selectFrom('aw_post').selectAll().where('published_at', 'is not', null).where('published_at', '<=', new Date());
    if (opts.kind) s = s.where('kind', '=', opts.kind);
    return s.orderBy('published_at', 'desc').limit(opts.limit).execute();
  },
  /** Drafts and published posts of the given organizations (their editors' list). */
  ofOrgs: (db: Db, orgIds: string[]): Promise<PostRow[]> =>
    orgIds.length
      ? q(db).selectFrom('aw_post').selectAll().where('org_id', 'in', orgIds).orderBy('updated_at', 'desc').limit(200).execute()
      : Promise.resolve([]),
};

export const registrationsRepo = {
  /** Where a waitlisted registration stands on the list (1 = next); compared in SQL, at the column's microseconds. */
  waitingPosition: async (db: Db, r: RegistrationRow): Promise<number> =>
    Number(
      (
        await sql<{ n: string }>`
          select count(*) as n from aw_registration w, aw_registration me
          where me.id = ${r.id} and w.post_id = me.post_id and w.status = 'waitlisted' and (w.created_at, w.id) <= (me.created_at, me.id)`.execute(db)
      ).rows[0]!.n,
    ),
  ofPost: (db: Db, postId: string): Promise<RegistrationRow[]> =>
    q(db).selectFrom('aw_registration').selectAll().where('post_id', '=', postId).orderBy('created_at').orderBy('id').execute(),
  get: (db: Db, id: string): Promise<RegistrationRow | undefined> => q(db).selectFrom('aw_registration').selectAll().where('id', '=', id).executeTakeFirst(),
  lock: (db: Db, id: string): Promise<RegistrationRow | undefined> =>
    q(db).selectFrom('aw_registration').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),
  count: async (db: Db, postId: string, status: RegistrationStatus): Promise<number> =>
    Number(
      (
        await q(db)
          .selectFrom('aw_registration')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('post_id', '=', postId)
          .where('status', '=', status)
          .executeTakeFirstOrThrow()
      ).n,
    ),
  activeByEmail: (db: Db, postId: string, email: string): Promise<RegistrationRow | undefined> =>
    q(db)
      .selectFrom('aw_registration')
      .selectAll()
      .where('post_id', '=', postId)
      .where('status', '<>', 'cancelled')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .executeTakeFirst(),
  /** The time is the insert's own (clock_timestamp), not the transaction's start: after the post's lock, so the list's order is the order places were given. */
  insert: (db: Db, v: Omit<RegistrationRow, 'id' | 'attended' | 'created_at' | 'updated_at'>): Promise<RegistrationRow> =>
    q(db)
      .insertInto('aw_registration')
      .values({ ...v, created_at: sql<Date>`clock_timestamp()` })
      .returningAll()
      .executeTakeFirstOrThrow(),
  setStatus: (db: Db, id: string, status: RegistrationStatus): Promise<RegistrationRow> =>
    q(db).updateTable('aw_registration').set({ status, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),
  setAttended: (db: Db, id: string, attended: boolean): Promise<RegistrationRow> =>
    q(db).updateTable('aw_registration').set({ attended, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),
  /** The first on the waiting list (locked), to move up when a place frees. */
  firstWaiting: (db: Db, postId: string): Promise<RegistrationRow | undefined> =>
    q(db)
      .selectFrom('aw_registration')
      .selectAll()
      .where('post_id', '=', postId)
      .where('status', '=', 'waitlisted')
      .orderBy('created_at')
      .orderBy('id')
      .limit(1)
      .forUpdate()
      .executeTakeFirst(),
};
