import { recordAudit, type AuditActor } from '../audit/audit.js';
import type { Db } from '../db/index.js';
import { badRequest, conflict, notFound, unauthorized } from '../http/errors.js';
import { invalidatePrincipals } from './cache.js';
import { parseDuration } from './duration.js';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password.js';
import { requireSelfOrSysadmin, requireSysadmin } from './permissions.js';
import type { Principal } from './principal.js';
import { sessionsRepo, tokensRepo, usersRepo, type TokenRow, type UserRow } from './repository.js';
import { hashSecret, newSecret } from './secret.js';
import { checkLoginAllowed, clearLoginFailures, recordLoginFailure } from './throttle.js';
import { isEmailAddress } from '../text/index.js';

export const SESSION_TTL_MS = 12 * 3600 * 1000;
export const MIN_PASSWORD = 10;

export function normaliseEmail(email: string): string {
  const e = email.normalize('NFC').trim().toLowerCase();
  if (!isEmailAddress(e)) throw badRequest('invalid_email', { vi: 'Địa chỉ email không hợp lệ.', en: 'Invalid e-mail address.' }, 'email');
  return e;
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD) {
    throw badRequest('weak_password', { vi: 'Mật khẩu phải có ít nhất {n} ký tự.', en: 'The password must have at least {n} characters.' }, 'password', {
      n: MIN_PASSWORD,
    });
  }
}

export interface NewUser {
  email: string;
  name: string;
  password?: string | undefined;
  isSysadmin?: boolean | undefined;
}

/** Creates a user without a permission check: for the CLI and for services that checked already. */
export async function createUserUnchecked(db: Db, actor: AuditActor, input: NewUser): Promise<UserRow> {
  const email = normaliseEmail(input.email);
  const name = input.name.normalize('NFC').trim();
  if (!name) throw badRequest('invalid_name', { vi: 'Tên không được để trống.', en: 'The name must not be empty.' }, 'name');
  if (input.password !== undefined) checkPassword(input.password);
  const passwordHash = input.password !== undefined ? await hashPassword(input.password) : null;
  return db.transaction().execute(async (trx) => {
    if (await usersRepo.byEmail(trx, email)) {
      throw conflict('email_taken', { vi: 'Email {email} đã được sử dụng.', en: 'The e-mail {email} is already in use.' }, 'email', { email });
    }
    const user = await usersRepo.insert(trx, { email, name, password_hash: passwordHash, is_sysadmin: input.isSysadmin ?? false });
    await recordAudit(trx, actor, { action: 'user.create', entityType: 'user', entityId: user.id, details: { email, isSysadmin: user.is_sysadmin } });
    return user;
  });
}

export async function createUser(db: Db, p: Principal, actor: AuditActor, input: NewUser): Promise<UserRow> {
  requireSysadmin(p);
  return createUserUnchecked(db, actor, input);
}

export async function updateUser(
  db: Db,
  p: Principal,
  actor: AuditActor,
  id: string,
  patch: { name?: string | undefined; password?: string | undefined; isSysadmin?: boolean | undefined; disabled?: boolean | undefined },
): Promise<UserRow> {
  const me = requireSelfOrSysadmin(p, id);
  if ((patch.isSysadmin !== undefined || patch.disabled !== undefined) && !me.isSysadmin) requireSysadmin(p);
  if (patch.password !== undefined) checkPassword(patch.password);
  const passwordHash = patch.password !== undefined ? await hashPassword(patch.password) : undefined;
  const updated = await db.transaction().execute(async (trx) => {
    const user = await usersRepo.update(trx, id, {
      ...(patch.name !== undefined ? { name: patch.name.normalize('NFC').trim() } : {}),
      ...(passwordHash !== undefined ? { password_hash: passwordHash } : {}),
      ...(patch.isSysadmin !== undefined ? { is_sysadmin: patch.isSysadmin } : {}),
      ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
    });
    if (!user) throw notFound('user_not_found', { vi: 'Không tìm thấy người dùng.', en: 'User not found.' }, 'id');
    if (patch.disabled || passwordHash) await sessionsRepo.deleteForUser(trx, id);
    await recordAudit(trx, actor, {
      action: 'user.update',
      entityType: 'user',
      entityId: id,
      details: { fields: Object.keys(patch).filter((k) => patch[k as keyof typeof patch] !== undefined) },
    });
    return user;
  });
  invalidatePrincipals(); // after commit, so no request caches the old state again
  return updated;
}

const BAD_LOGIN = { vi: 'Email hoặc mật khẩu không đúng.', en: 'Wrong e-mail or password.' };

export interface SessionInfo {
  sessionId: string;
  csrfToken: string;
  expiresAt: Date;
  user: UserRow;
}

export async function login(db: Db, actor: AuditActor, input: { email: string; password: string; userAgent?: string | undefined }): Promise<SessionInfo> {
  const email = input.email.normalize('NFC').trim().toLowerCase();
  await checkLoginAllowed(db, email, actor.ip);
  const user = await usersRepo.byEmail(db, email);
  const ok = await verifyPassword(input.password, user?.password_hash ?? DUMMY_HASH);
  if (!user || !ok || user.disabled) {
    await recordLoginFailure(db, email, actor.ip);
    throw unauthorized('invalid_credentials', BAD_LOGIN);
  }
  await clearLoginFailures(db, email);
  const sessionId = newSecret('tss_');
  const csrfToken = newSecret('');
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await db.transaction().execute(async (trx) => {
    await sessionsRepo.insert(trx, {
      id_hash: hashSecret(sessionId),
      user_id: user.id,
      csrf_token: csrfToken,
      expires_at: expiresAt,
      ip: actor.ip,
      user_agent: input.userAgent?.slice(0, 300) ?? null,
    });
    await recordAudit(trx, { ...actor, userId: user.id, label: user.email }, { action: 'auth.login', entityType: 'user', entityId: user.id });
  });
  return { sessionId, csrfToken, expiresAt, user };
}

/** Ends the cookie session, if any; the sign-out itself is always recorded. */
export async function logout(db: Db, actor: AuditActor, sessionId: string | undefined): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (sessionId) await sessionsRepo.delete(trx, hashSecret(sessionId));
    await recordAudit(trx, actor, { action: 'auth.logout', entityType: 'user', entityId: actor.userId });
  });
  invalidatePrincipals();
}

export interface CreatedToken {
  token: string;
  row: TokenRow;
}

export async function createTokenUnchecked(
  db: Db,
  actor: AuditActor,
  userId: string,
  input: { name: string; expiresIn?: string | undefined },
): Promise<CreatedToken> {
  let expiresAt: Date | null = null;
  if (input.expiresIn) {
    try {
      expiresAt = new Date(Date.now() + parseDuration(input.expiresIn));
    } catch {
      throw badRequest(
        'invalid_duration',
        { vi: 'Thời hạn không hợp lệ (ví dụ: 30d, 12h, 1y; tối đa 10 năm).', en: 'Invalid duration (e.g. 30d, 12h, 1y; ten years at most).' },
        'expiresIn',
      );
    }
  }
  const token = newSecret('tsk_');
  return db.transaction().execute(async (trx) => {
    if (!(await usersRepo.byId(trx, userId))) throw notFound('user_not_found', { vi: 'Không tìm thấy người dùng.', en: 'User not found.' }, 'userId');
    const row = await tokensRepo.insert(trx, {
      user_id: userId,
      name: input.name.normalize('NFC').trim() || 'token',
      token_hash: hashSecret(token),
      prefix: token.slice(0, 8),
      expires_at: expiresAt,
    });
    await recordAudit(trx, actor, { action: 'token.create', entityType: 'api_token', entityId: row.id, details: { userId, name: row.name } });
    return { token, row };
  });
}

export async function createToken(
  db: Db,
  p: Principal,
  actor: AuditActor,
  userId: string,
  input: { name: string; expiresIn?: string | undefined },
): Promise<CreatedToken> {
  requireSelfOrSysadmin(p, userId);
  return createTokenUnchecked(db, actor, userId, input);
}

export async function revokeToken(db: Db, p: Principal, actor: AuditActor, tokenId: string): Promise<TokenRow> {
  const found = await tokensRepo.byId(db, tokenId);
  requireSelfOrSysadmin(p, found?.user_id ?? '');
  if (!found) throw notFound('token_not_found', { vi: 'Không tìm thấy token.', en: 'Token not found.' }, 'id');
  const revoked = await db.transaction().execute(async (trx) => {
    const row = (await tokensRepo.revoke(trx, tokenId)) ?? found;
    await recordAudit(trx, actor, { action: 'token.revoke', entityType: 'api_token', entityId: tokenId });
    return row;
  });
  invalidatePrincipals();
  return revoked;
}

export async function listTokens(db: Db, p: Principal, userId: string): Promise<TokenRow[]> {
  requireSelfOrSysadmin(p, userId);
  return tokensRepo.listForUser(db, userId);
}

export async function listUsers(db: Db, p: Principal, limit: number, offset: number) {
  requireSysadmin(p);
  const [items, total] = await Promise.all([usersRepo.list(db, limit, offset), usersRepo.count(db)]);
  return { items, total };
}

/** A user by e-mail (normalised) or id, without a permission check: for the CLI, seeds and services that checked already. */
export async function findUser(db: Db, emailOrId: string): Promise<UserRow | undefined> {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(emailOrId)) return usersRepo.byId(db, emailOrId);
  return emailOrId.includes('@') ? usersRepo.byEmail(db, emailOrId.normalize('NFC').trim().toLowerCase()) : undefined;
}

export async function getUser(db: Db, p: Principal, id: string): Promise<UserRow> {
  requireSelfOrSysadmin(p, id);
  const user = await usersRepo.byId(db, id);
  if (!user) throw notFound('user_not_found', { vi: 'Không tìm thấy người dùng.', en: 'User not found.' }, 'id');
  return user;
}
