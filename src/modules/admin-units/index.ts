import type { AppModule } from '../../platform/module.js';
import { seedReference } from './load.js';
import { migrations } from './migrations.js';
import { adminUnitRoutes } from './routes.js';
import { UNIT_MESSAGES } from './messages.js';
import { unitHomeWidgets } from './unit-counts.js';
import { resolverIndexFor } from './units-cache.js';

export { childUnits, getUnit, listUnits, resolveAdminUnit, unitResolver, unitScope, type UnitDetail } from './service.js';
export { buildResolverIndex, resolveName, type Candidate, type ResolveQuery, type ResolveResult, type ResolverIndex } from './resolver.js';
export { foldVi, parseUnitName, type ParsedName, type UnitType } from './fold.js';
export { forgetResolverIndex } from './units-cache.js';
export { unitRecordsFromFile } from './data-files.js';
export { todayVn } from './today.js';
export type { Level, LinkKind, UnitRecord } from './tables.js';

/** Vietnamese administrative units (GSO codes), versioned across the 2025 reform. */
export const adminUnitsModule = (): AppModule => ({
  name: 'admin-units',
  migrations,
  messages: UNIT_MESSAGES,
  seedReference,
  routes: (app, ctx) => adminUnitRoutes(app, { db: ctx.db }),
  homeWidgets: (ctx) => unitHomeWidgets(ctx.db),
  // The resolver's index is built once the server listens, in the background, so that the first upload naming
  // communes (or the first search by a unit's name) after a restart does not wait for it; a failure is only logged.
  start: async (ctx) => {
    void resolverIndexFor(ctx.db).catch((e: unknown) => ctx.log.warn({ err: e }, 'admin-units: resolver index not built'));
  },
});
