export { authMigrations } from './migrations.js';
export { installAuth, actorOf, tokenFromHeaders, SESSION_COOKIE } from './hook.js';
export { authRoutes } from './routes.js';
export { requireUser, requireSysadmin, requireOrgRole, hasOrgRole, requireSelfOrSysadmin } from './permissions.js';
export { ANONYMOUS, ORG_ROLES, roleRank, type OrgRole, type Principal, type PrincipalUser, type MembershipLoader } from './principal.js';
export { createUserUnchecked, createTokenUnchecked, login, normaliseEmail, type SessionInfo } from './service.js';
export { usersRepo } from './repository.js';
export { hashPassword, verifyPassword } from './password.js';
export { parseDuration } from './duration.js';
