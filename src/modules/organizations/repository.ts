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
  /** The organization with its parent chain (root first) and children, in one round trip. */
  detail: async (db: Db, idOrSlug: string): Promise<{ org: OrgRow; parents: OrgRow[]; children: OrgRow[] } | undefined> => {
    const byId = UUID_RE.test(idOrSlug);
    const { rows } = await sql<{ org: OrgRow; parents: OrgRow[] | null; children: OrgRow[] | null }>`
      with recursive target as (
        select * from organization where ${byId ? sql`id = ${idOrSlug}::uuid` : sql`slug = ${idOrSlug}`}
      ), up as (
        select p.*, 1 as depth from organization p where p.id = (select parent_id from target)
        union all
        select p.*, up.depth + 1 from organization p join up on p.id = up.parent_id
      )
      select to_jsonb(t) as org,
        (select jsonb_agg(to_jsonb(up) - 'depth' order by depth desc) from up) as parents,
        (select jsonb_agg(to_jsonb(c) order by c.name) from organization c where c.parent_id = t.id) as children
      from target t`.execute(db);
    const r = rows[0];
    const revive = (o: OrgRow): OrgRow => ({ ...o, created_at: new Date(o.created_at), updated_at: new Date(o.updated_at) });
    return r && { org: revive(r.org), parents: (r.parents ?? []).map(revive), children: (r.children ?? []).map(revive) };
  },
  bySlug: (db: Db, slug: string) => q(db).selectFrom('organization').selectAll().where('slug', '=', slug).executeTakeFirst() as Promise<OrgRow | undefined>,
  byOrganCode: (db: Db, code: string) =>
    q(db).selectFrom('organization').selectAll().where('organ_code', '=', code).executeTakeFirst() as Promise<OrgRow | undefined>,
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
  kindsOf: async (db: Db, ids: string[]) =>
    ids.length === 0
      ? []
      : q(db)
          .selectFrom('organization')
          .select(['id', 'kind', 'slug', 'name', 'name_en', 'description', 'admin_unit_code', 'created_at'])
          .where('id', 'in', ids)
          .execute(),
  count: async (db: Db) =>
    Number(
      (
        await q(db)
          .selectFrom('organization')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
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
