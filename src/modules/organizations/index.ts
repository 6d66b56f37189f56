import type { AppModule } from '../../platform/module.js';
import { migrations } from './migrations.js';
import { organizationRoutes } from './routes.js';
import { seedOrganizations, type ChildUnits } from './seed.js';

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
export { ORG_KINDS, type OrgRow, type OrgKind } from './tables.js';
export type { ChildUnits, UnitRef } from './seed.js';

/** The organizations module; `childUnits` comes from admin-units (wired in src/app). */
export function organizationsModule(childUnits: ChildUnits): AppModule {
  return {
    name: 'organizations',
    migrations,
    seedReference: (db) => seedOrganizations(db, childUnits),
    routes: (app, ctx) => organizationRoutes(app, { db: ctx.db, events: ctx.events }),
  };
}
