import type { AppModule } from '../../platform/module.js';
import { migrations } from './migrations.js';
import { organizationRoutes } from './routes.js';
import { seedOrganizations, type ChildUnits } from './seed.js';
import { ORG_MESSAGES, orgHomeWidgets, orgNav, orgPages } from './web/index.js';

export {
  organizationsByIds,
  findOrganization,
  removeMember,
  loadMemberships,
  listOrganizations,
  getOrganization,
  createOrganization,
  updateOrganization,
  ORGANIZATION_CHANGED,
  setMember,
  listMembers,
} from './service.js';
export { presentOrg, OrgDto } from './presenters.js';
/** An organization as other modules see it. */
export { ORG_KINDS, type OrgRow as Organization, type OrgKind } from './tables.js';
export { ORGAN_CODE_RE, isOrgKind } from './validate.js';
export { byHierarchy, kindLabel, orgHref, orgName, orgNameText, ORG_PAGE_SECTIONS, ORG_TREE_BADGES } from './web/index.js';
export type { ChildUnits, UnitRef } from './seed.js';

/** The organizations module; `childUnits` comes from admin-units (wired in src/app). */
export function organizationsModule(childUnits: ChildUnits): AppModule {
  return {
    name: 'organizations',
    migrations,
    messages: ORG_MESSAGES,
    nav: orgNav,
    homeWidgets: (ctx) => orgHomeWidgets(ctx.db),
    seedReference: (db) => seedOrganizations(db, childUnits),
    routes: (app, ctx) => organizationRoutes(app, { db: ctx.db, events: ctx.events }),
    pages: (web, ctx) => orgPages(web, ctx),
  };
}
