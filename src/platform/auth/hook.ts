import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuditActor } from '../audit/index.js';
import type { Db } from '../db/index.js';
import { errorHandler } from '../http/error-handler.js';
import { forbidden, unauthorized } from '../http/errors.js';
import type { App } from '../http/types.js';
import { cachedPrincipal, cachePrincipal } from './cache.js';
import { ANONYMOUS, type MembershipLoader, type Principal } from './principal.js';
import { sessionsRepo, tokensRepo, usersRepo } from './repository.js';
import { hashSecret } from './secret.js';

export const SESSION_COOKIE = 'tinhso_session';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const TOUCH_EVERY_MS = 60_000;

const BAD_TOKEN = { vi: 'Token API không hợp lệ, đã hết hạn hoặc đã bị thu hồi.', en: 'The API token is invalid, expired or revoked.' };
/** The refusal of an unknown, expired or revoked API token (401), wherever the token came in. */
export const invalidToken = () => unauthorized('invalid_token', BAD_TOKEN);
const BAD_CSRF = { vi: 'Thiếu hoặc sai mã chống giả mạo (CSRF).', en: 'Missing or wrong CSRF token.' };

/** `Authorization: <token>`, `Authorization: Bearer <token>` or CKAN's `X-CKAN-API-Key`. */
export function tokenFromHeaders(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization ?? (req.headers['x-ckan-api-key'] as string | undefined);
  if (!h) return undefined;
  const v = h.trim();
  return /^bearer\s+/i.test(v) ? v.replace(/^bearer\s+/i, '').trim() : v;
}

async function principalFor(
  db: Db,
  userId: string,
  via: 'session' | 'token',
  csrf: string | null,
  loadMemberships: MembershipLoader,
): Promise<Principal | undefined> {
  const user = await usersRepo.byId(db, userId);
  if (!user || user.disabled) return undefined;
  return {
    user: { id: user.id, email: user.email, name: user.name, isSysadmin: user.is_sysadmin, createdAt: user.created_at },
    via,
    csrfToken: csrf,
    memberships: await loadMemberships(db, user.id),
  };
}

/**
 * The principal an API token stands for, or undefined when it is unknown, expired, revoked or its
 * user disabled. For credentials that do not come in HTTP headers (the MQTT password).
 */
export async function principalForToken(db: Db, token: string, loadMemberships: MembershipLoader): Promise<Principal | undefined> {
  const key = `t:${hashSecret(token)}`;
  const hit = cachedPrincipal(key);
  if (hit) return hit;
  const row = await tokensRepo.findActiveByHash(db, key.slice(2));
  const now = Date.now();
  if (!row || row.revoked_at || (row.expires_at && row.expires_at.getTime() <= now)) return undefined;
  const p = await principalFor(db, row.user_id, 'token', null, loadMemberships);
  if (!p) return undefined;
  if (!row.last_used_at || now - row.last_used_at.getTime() > TOUCH_EVERY_MS) await tokensRepo.touch(db, row.id);
  cachePrincipal(key, p, row.expires_at?.getTime() ?? null);
  return p;
}

async function resolve(db: Db, req: FastifyRequest, loadMemberships: MembershipLoader): Promise<Principal> {
  const token = tokenFromHeaders(req);
  if (token) {
    const p = await principalForToken(db, token, loadMemberships);
    if (!p) throw invalidToken();
    return p;
  }
  const sid = req.cookies[SESSION_COOKIE];
  if (sid) {
    const key = `s:${hashSecret(sid)}`;
    const hit = cachedPrincipal(key);
    if (hit) return hit;
    const s = await sessionsRepo.find(db, key.slice(2));
    if (s && s.expires_at.getTime() > Date.now()) {
      const p = await principalFor(db, s.user_id, 'session', s.csrf_token, loadMemberships);
      if (p) {
        cachePrincipal(key, p, s.expires_at.getTime());
        return p;
      }
    }
  }
  return ANONYMOUS;
}

function csrfMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/**
 * Resolves the caller for every request (token, then session cookie, else anonymous) and enforces
 * CSRF on unsafe requests authenticated by cookie. A presented but bad token is an error, never
 * a silent fall-back to anonymous.
 */
export function installAuth(app: App, db: Db, loadMemberships: MembershipLoader): void {
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    req.principal = ANONYMOUS;
    try {
      req.principal = await resolve(db, req, loadMemberships);
    } catch (e) {
      errorHandler(e, req, reply);
      return reply;
    }
    return undefined;
  });
  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    const p = req.principal;
    if (p.via !== 'session' || SAFE.has(req.method) || !p.csrfToken) return undefined;
    const body = req.body as Record<string, unknown> | undefined;
    const given = req.headers['x-csrf-token'] ?? (body && typeof body === 'object' ? body._csrf : undefined);
    if (!csrfMatches(p.csrfToken, given)) {
      errorHandler(forbidden('csrf_failed', BAD_CSRF), req, reply);
      return reply;
    }
    return undefined;
  });
}

export function actorOf(req: FastifyRequest): AuditActor {
  return actorOfPrincipal(req.principal, req.ip);
}

/** The audit actor of a principal acting from an address (a request, an MQTT connection). */
export function actorOfPrincipal(p: Principal, ip: string | null): AuditActor {
  return { userId: p.user?.id ?? null, label: p.user?.email ?? null, ip };
}
