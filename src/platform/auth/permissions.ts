import { forbidden, unauthorized } from '../http/errors.js';
import { roleRank, type OrgRole, type Principal, type PrincipalUser } from './principal.js';

const NEED_LOGIN = { vi: 'Cần đăng nhập để thực hiện thao tác này.', en: 'You must sign in to do this.' };
const NEED_ROLE = { vi: 'Bạn không có quyền thực hiện thao tác này.', en: 'You do not have permission to do this.' };

/** Deny by default: each service method starts with one of these. */
export function requireUser(p: Principal): PrincipalUser {
  if (!p.user) throw unauthorized('unauthenticated', NEED_LOGIN);
  return p.user;
}

export function requireSysadmin(p: Principal): PrincipalUser {
  const user = requireUser(p);
  if (!user.isSysadmin) throw forbidden('forbidden', NEED_ROLE);
  return user;
}

export function hasOrgRole(p: Principal, orgId: string, min: OrgRole): boolean {
  if (p.user?.isSysadmin) return true;
  const role = p.memberships.get(orgId);
  return role !== undefined && roleRank(role) >= roleRank(min);
}

/** The organizations the user belongs to with at least this role (the units where they edit, say). */
export function orgsWithRole(p: Principal, min: OrgRole): string[] {
  return [...p.memberships.keys()].filter((id) => hasOrgRole(p, id, min));
}

export function requireOrgRole(p: Principal, orgId: string, min: OrgRole): PrincipalUser {
  const user = requireUser(p);
  if (!hasOrgRole(p, orgId, min)) throw forbidden('forbidden', NEED_ROLE);
  return user;
}

/** Self or sysadmin (own profile, own tokens). */
export function requireSelfOrSysadmin(p: Principal, userId: string): PrincipalUser {
  const user = requireUser(p);
  if (user.id !== userId && !user.isSysadmin) throw forbidden('forbidden', NEED_ROLE);
  return user;
}
