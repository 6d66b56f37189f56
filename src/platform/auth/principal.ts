import type { Db } from '../db/index.js';

export type OrgRole = 'admin' | 'editor' | 'member';
export const ORG_ROLES: readonly OrgRole[] = ['member', 'editor', 'admin'];
export const roleRank = (r: OrgRole): number => ORG_ROLES.indexOf(r);

export interface PrincipalUser {
  id: string;
  email: string;
  name: string;
  isSysadmin: boolean;
  createdAt: Date;
}

/** Who is calling. Anonymous callers have `user: null`. */
export interface Principal {
  user: PrincipalUser | null;
  via: 'session' | 'token' | null;
  /** The session's CSRF token (cookie sessions only). */
  csrfToken: string | null;
  /** organization id → role */
  memberships: ReadonlyMap<string, OrgRole>;
}

export const ANONYMOUS: Principal = Object.freeze({ user: null, via: null, csrfToken: null, memberships: new Map() });

/** Supplied by the organizations module at composition time (platform imports no module). */
export type MembershipLoader = (db: Db, userId: string) => Promise<Map<string, OrgRole>>;

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

/** A sysadmin principal for trusted in-process callers (CLI, seeds); never built from a request. */
export const systemPrincipal = (): Principal => ({
  user: { id: '00000000-0000-0000-0000-000000000000', email: 'system', name: 'system', isSysadmin: true, createdAt: new Date(0) },
  via: null,
  csrfToken: null,
  memberships: new Map(),
});
