import type { App } from '../../../platform/http/index.js';
import type { ModuleContext } from '../../../platform/module.js';
import type { NavEntry } from '../../../platform/web/index.js';
import type { DocsDeps } from '../send.js';
import { boxPages } from './boxes.js';
import { composePages } from './compose.js';
import { documentPages } from './document.js';
import { DOCUMENTS_MESSAGES } from './messages.js';

export { DOCUMENTS_MESSAGES } from './messages.js';

export const documentsNav: NavEntry[] = [{ place: 'admin', order: 45, path: '/edoc', title: DOCUMENTS_MESSAGES.dcTitle }];

export async function documentsPages(web: App, ctx: ModuleContext, deps: DocsDeps): Promise<void> {
  boxPages(web, ctx);
  documentPages(web, ctx, deps);
  await composePages(web, ctx, deps);
}
