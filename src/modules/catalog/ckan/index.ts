import type { App } from '../../../platform/http/index.js';
import type { ModuleContext } from '../../../platform/module.js';

/** CKAN Action API v3 on /api/3/action/* and /api/action/* (implementation in progress). */
export async function ckanRoutes(_app: App, _ctx: ModuleContext): Promise<void> {}
