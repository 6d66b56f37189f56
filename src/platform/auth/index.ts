export { authMigrations } from './migrations.js';
export { installAuth, actorOf, actorOfPrincipal, invalidToken, tokenFromHeaders, principalForToken, SESSION_COOKIE } from './hook.js';
export { authRoutes } from './routes.js';
export { requireUser, requireSysadmin, requireOrgRole, hasOrgRole, orgsWithRole, requireSelfOrSysadmin } from './permissions.js';
export { ANONYMOUS, systemPrincipal, ORG_ROLES, roleRank, type OrgRole, type Principal, type PrincipalUser, type MembershipLoader } from './principal.js';
export {
  createUser,
  createUserUnchecked,
  createToken,
  createTokenUnchecked,
  findUser,
  getUser,
  listTokens,
  listUsers,
  login,
  logout,
  normaliseEmail,
  revokeToken,
  updateUser,
  type SessionInfo,
} from './service.js';
export type { TokenRow as ApiToken, UserRow as User } from './repository.js';
export { hashPassword, verifyPassword } from './password.js';
export { newSecret, hashSecret, secretMatches } from './secret.js';
export { parseDuration } from './duration.js';
export { invalidatePrincipals } from './cache.js';
export { authPages, authWebPart } from './web/index.js';
