import type { Db } from '../db/index.js';
import type { AuthTables } from './tables.js';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
  is_sysadmin: boolean;
  disabled: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const q = (db: Db) => db.withTables<AuthTables>();
const tokenColumns = ['id', 'user_id', 'name', 'prefix', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'] as const;

export const usersRepo = {
  byEmail: (db: Db, email: string) => q(db).selectFrom('app_user').selectAll().where('email', '=', email).executeTakeFirst() as Promise<UserRow | undefined>,
  byId: (db: Db, id: string) => q(db).selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst() as Promise<UserRow | undefined>,
  list: (db: Db, limit: number, offset: number) =>
    q(db).selectFrom('app_user').selectAll().orderBy('email').limit(limit).offset(offset).execute() as Promise<UserRow[]>,
  count: async (db: Db) =>
    Number(
      (
        await q(db)
          .selectFrom('app_user')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
  insert: (db: Db, u: { email: string; name: string; password_hash: string | null; is_sysadmin: boolean }) =>
    q(db).insertInto('app_user').values(u).returningAll().executeTakeFirstOrThrow() as Promise<UserRow>,
  update: (db: Db, id: string, patch: Partial<Pick<UserRow, 'name' | 'password_hash' | 'is_sysadmin' | 'disabled'>>) =>
    q(db)
      .updateTable('app_user')
      .set({ ...patch, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst() as Promise<UserRow | undefined>,
};

export const sessionsRepo = {
  insert: (db: Db, s: AuthTables['user_session'] extends infer T ? Omit<T, 'created_at'> : never) => q(db).insertInto('user_session').values(s).execute(),
  find: (db: Db, idHash: string) =>
    q(db).selectFrom('user_session').select(['user_id', 'csrf_token', 'expires_at']).where('id_hash', '=', idHash).executeTakeFirst(),
  delete: (db: Db, idHash: string) => q(db).deleteFrom('user_session').where('id_hash', '=', idHash).execute(),
  deleteForUser: (db: Db, userId: string) => q(db).deleteFrom('user_session').where('user_id', '=', userId).execute(),
  purgeExpired: (db: Db) => q(db).deleteFrom('user_session').where('expires_at', '<', new Date()).execute(),
};

export const tokensRepo = {
  insert: (db: Db, t: { user_id: string; name: string; token_hash: string; prefix: string; expires_at: Date | null }) =>
    q(db).insertInto('api_token').values(t).returning(tokenColumns).executeTakeFirstOrThrow() as Promise<TokenRow>,
  findActiveByHash: (db: Db, hash: string) =>
    q(db).selectFrom('api_token').select(['id', 'user_id', 'expires_at', 'revoked_at', 'last_used_at']).where('token_hash', '=', hash).executeTakeFirst(),
  touch: (db: Db, id: string) => q(db).updateTable('api_token').set({ last_used_at: new Date() }).where('id', '=', id).execute(),
  listForUser: (db: Db, userId: string) =>
    q(db).selectFrom('api_token').select(tokenColumns).where('user_id', '=', userId).orderBy('created_at', 'desc').execute() as Promise<TokenRow[]>,
  byId: (db: Db, id: string) => q(db).selectFrom('api_token').select(tokenColumns).where('id', '=', id).executeTakeFirst() as Promise<TokenRow | undefined>,
  revoke: (db: Db, id: string) =>
    q(db)
      .updateTable('api_token')
      .set({ revoked_at: new Date() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returning(tokenColumns)
      .executeTakeFirst() as Promise<TokenRow | undefined>,
};
