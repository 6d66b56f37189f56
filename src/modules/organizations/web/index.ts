import type { Db } from '../../../platform/db/index.js';
import type { EventBus } from '../../../platform/index.js';
import type { App } from '../../../platform/http/index.js';
import type { HomeWidget, NavEntry } from '../../../platform/web/index.js';
import { listOrganizations } from '../service.js';
import { adminOrganizationPages } from './admin.js';
import { ORG_MESSAGES } from './messages.js';
import { organizationPages } from './pages.js';

export async function orgPages(web: App, ctx: { db: Db; events: EventBus }): Promise<void> {
  await organizationPages(web, ctx);
  await adminOrganizationPages(web, ctx);
}

export const orgNav: NavEntry[] = [
  { place: 'main', order: 90, path: '/organization', title: ORG_MESSAGES.organizations, summary: ORG_MESSAGES.orgTreeIntro },
  { place: 'admin', order: 30, path: '/admin/organizations', title: ORG_MESSAGES.adminOrgs, visible: (u) => !!u?.isSysadmin },
];

export const orgHomeWidgets = (db: Db): HomeWidget[] => [
  {
    kind: 'stats',
    order: 20,
    stats: async () => [{ id: 'organizations', value: (await listOrganizations(db)).length, label: ORG_MESSAGES.statOrgs, href: '/organization' }],
  },
];

export { ORG_MESSAGES } from './messages.js';
export { byHierarchy, kindLabel, orgHref, orgName, orgNameText } from './names.js';
export { ORG_PAGE_SECTIONS, ORG_TREE_BADGES } from './slots.js';
