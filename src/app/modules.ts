import { adminUnitsModule, childUnits } from '../modules/admin-units/index.js';
import { awarenessModule } from '../modules/awareness/index.js';
import { catalogModule } from '../modules/catalog/index.js';
import { datastoreModule } from '../modules/datastore/index.js';
import { documentsModule } from '../modules/documents/index.js';
import { exchangeModule } from '../modules/exchange/index.js';
import { organizationsModule } from '../modules/organizations/index.js';
import { planningModule } from '../modules/planning/index.js';
import { roadmapModule } from '../modules/roadmap/index.js';
import { sensorsModule } from '../modules/sensors/index.js';
import { warningsModule } from '../modules/warnings/index.js';
import type { AppModule, ModuleFactory } from '../platform/module.js';

/** Every domain module, in dependency order (reference data is seeded, and hooks run, in this order). */
export const MODULES: readonly ModuleFactory[] = [
  adminUnitsModule,
  () => organizationsModule(childUnits),
  catalogModule,
  datastoreModule,
  exchangeModule,
  documentsModule,
  sensorsModule,
  warningsModule,
  planningModule,
  awarenessModule,
  roadmapModule,
];

/** Fresh module instances for one app. */
export const createModules = (factories: readonly ModuleFactory[] = MODULES): AppModule[] => factories.map((f) => f());
