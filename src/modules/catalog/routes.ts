import type { App } from '../../platform/http/index.js';
import type { ModuleContext } from '../../platform/module.js';
import { ckanActionsOf, ckanRoutes } from './ckan/index.js';
import { dcatRoutes } from './dcat/index.js';
import { harvestRoutes } from './harvest/index.js';

export async function catalogRoutes(app: App, ctx: ModuleContext): Promise<void> {
  await ckanRoutes(app, ctx, { actions: ckanActionsOf(ctx) });
  await dcatRoutes(app, ctx);
  await harvestRoutes(app, { db: ctx.db, jobs: ctx.jobs });
}
