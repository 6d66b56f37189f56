import type { Html } from '../../../platform/http/index.js';
import { defineSlot } from '../../../platform/web/index.js';
import type { OrgRow } from '../tables.js';

/** Sections other modules add to an organization's page (the catalog: its datasets). */
export const ORG_PAGE_SECTIONS = defineSlot<{ org: OrgRow; query: Record<string, unknown> }>('organizations.page');

/** Short figures other modules show beside each organization of the tree, by slug (the catalog: dataset counts). */
export const ORG_TREE_BADGES = defineSlot<{ orgs: OrgRow[] }, Map<string, Html>>('organizations.tree');
