import type { Db } from '../db/index.js';
import { AppError } from '../http/errors.js';
import type { AuthTables } from './tables.js';

/** Failed sign-ins allowed per account, and per client address, in the window. */
export const LOGIN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_ACCOUNT = 10;
export const MAX_FAILURES_PER_IP = 50;

const q = (db: Db) => db.withTables<AuthTables>();

const THROTTLED = {
  vi: 'Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút.',
  en: 'Too many failed sign-ins. Please try again in {minutes} minutes.',
};

/**
 * Refuses a sign-in while the account or the address has too many recent failures, whichever way
 * the user signs in (API or web form) and whichever instance answers (the counts are in the database).
 */
export async function checkLoginAllowed(db: Db, account: string, ip: string | null): Promise<void> {
  const since = new Date(Date.now() - LOGIN_WINDOW_MS);
  const count = async (col: 'account' | 'ip', value: string) =>
    Number(
      (
        await q(db)
          .selectFrom('login_failure')
          .select((eb) => eb.fn.countAll().as('n'))
          .where(col, '=', value)
          .where('at', '>', since)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const [byAccount, byIp] = await Promise.all([count('account', account), ip ? count('ip', ip) : Promise.resolve(0)]);
  if (byAccount >= MAX_FAILURES_PER_ACCOUNT || byIp >= MAX_FAILURES_PER_IP) {
    throw new AppError(429, 'login_throttled', THROTTLED, undefined, { minutes: LOGIN_WINDOW_MS / 60_000 });
  }
}

export async function recordLoginFailure(db: Db, account: string, ip: string | null): Promise<void> {
  await q(db).insertInto('login_failure').values({ account, ip }).execute();
  // Old rows are of no further use.
  await q(db)
    .deleteFrom('login_failure')
    .where('at', '<', new Date(Date.now() - 4 * LOGIN_WINDOW_MS))
    .execute();
}

export async function clearLoginFailures(db: Db, account: string): Promise<void> {
  await q(db).deleteFrom('login_failure').where('account', '=', account).execute();
}
