import type { ModuleContext } from '../../../platform/module.js';
import type { SecretBox } from '../../../platform/crypto/index.js';
import type { App } from '../../../platform/http/index.js';
import type { NavEntry } from '../../../platform/web/index.js';
import { credentialPages } from './credentials.js';
import { directoryPages } from './directory.js';
import { logPages } from './log.js';
import { EXCHANGE_MESSAGES } from './messages.js';
import { registryPages } from './registry.js';

export { EXCHANGE_MESSAGES } from './messages.js';

export const exchangeNav: NavEntry[] = [{ place: 'admin', order: 40, path: '/exchange', title: EXCHANGE_MESSAGES.xrTitle }];

export async function exchangePages(web: App, ctx: ModuleContext & { box: () => SecretBox }): Promise<void> {
  directoryPages(web, ctx);
  credentialPages(web, ctx);
  logPages(web, ctx);
  registryPages(web, ctx);
}
