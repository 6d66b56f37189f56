import { sql } from 'kysely';
import type { OrgRole } from '../../platform/auth/index.js';
import type { Db } from '../../platform/db/index.js';
import type { OrgRow, OrgTables } from './tables.js';

const q = (db: Db) => db.withTables<OrgTables>();
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type OrgInsert = Omit<OrgRow, 'id' | 'created_at' | 'updated_at'>;

export const orgRepo = {
  list: (db: Db) =>
    q(db)
      .selectFrom('organization as o')
      .selectAll('o')
      .select((eb) => eb.selectFrom('org_member as m').whereRef('m.org_id', '=', 'o.id').select(eb.fn.countAll().as('n')).as('member_count'))
      .orderBy('o.kind')
      .orderBy('o.name')
      .execute() as Promise<(OrgRow & { member_count: number })[]>,
  /** By uuid or slug. */
  find: (db: Db, idOrSlug: string) =>
    q(db)
      .selectFrom('organization')
      .selectAll()
      .where(UUID_RE.test(idOrSlug) ? 'id' : 'slug', '=', idOrSlug)
      .executeTakeFirst() as Promise<OrgRow | undefined>,
  bySlug: (db: Db, slug: string) => q(db).selectFrom('organization').selectAll().where('slug', '=', slug).executeTakeFirst() as Promise<OrgRow | undefined>,
  byOrganCode: (db: Db, code: string) => q(db).selectFrom('organization').selectAll().where('organ_code', '=', code).executeTakeFirst() as Promise<OrgRow | undefined>,
  children: (db: Db, id: string) => q(db).selectFrom('organization').selectAll().where('parent_id', '=', id).orderBy('name').execute() as Promise<OrgRow[]>,
  /** The chain from the root to the parent of `id`. */
  ancestors: async (db: Db, id: string): Promise<OrgRow[]> => {
    const { rows } = await sql<OrgRow & { depth: number }>`
      with recursive up as (
        select o.*, 0 as depth from organization o where o.id = (select parent_id from organization where id = ${id})
        union all
        select p.*, up.depth + 1 from organization p join up on p.id = up.parent_id
      ) select * from up order by depth desc`.execute(db);
    return rows;
  },
  isDescendant: async (db: Db, id: string, ancestorId: string): Promise<boolean> => {
    const { rows } = await sql<{ found: boolean }>`
      with recursive up as (
        select id, parent_id from organization where id = ${id}
        union all
        select p.id, p.parent_id from organization p join up on p.id = up.parent_id
      ) select exists(select 1 from up where id = ${ancestorId}) as found`.execute(db);
    return rows[0]?.found ?? false;
  },
  insert: (db: Db, o: OrgInsert) => q(db).insertInto('organization').values(o).returningAll().executeTakeFirstOrThrow() as Promise<OrgRow>,
  update: (db: Db, id: string, patch: Partial<OrgInsert>) =>
    q(db)
      .updateTable('organization')
      .set({ ...patch, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst() as Promise<OrgRow | undefined>,
  count: async (db: Db) => Number((await q(db).selectFrom('organization').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
};

export const memberRepo = {
  forUser: (db: Db, userId: string) => q(db).selectFrom('org_member').select(['org_id', 'role']).where('user_id', '=', userId).execute(),
  forOrg: (db: Db, orgId: string) =>
    q(db)
      .selectFrom('org_member as m')
      .innerJoin('app_user as u', 'u.id', 'm.user_id')
      .select(['m.user_id', 'm.role', 'm.created_at', 'u.email', 'u.name'])
      .where('m.org_id', '=', orgId)
      .orderBy('u.email')
      .execute(),
  upsert: (db: Db, orgId: string, userId: string, role: OrgRole) =>
    q(db)
      .insertInto('org_member')
      .values({ org_id: orgId, user_id: userId, role })
      .onConflict((oc) => oc.columns(['org_id', 'user_id']).doUpdateSet({ role }))
      .execute(),
  remove: async (db: Db, orgId: string, userId: string) =>
    Number((await q(db).deleteFrom('org_member').where('org_id', '=', orgId).where('user_id', '=', userId).executeTakeFirst()).numDeletedRows) > 0,
};
