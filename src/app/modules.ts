import { adminUnitsModule, childUnits } from '../modules/admin-units/index.js';
import { catalogModule } from '../modules/catalog/index.js';
import { organizationsModule } from '../modules/organizations/index.js';
import type { AppModule } from '../platform/module.js';

/** Every domain module, in dependency order (reference data is seeded in this order). */
export const modules: AppModule[] = [adminUnitsModule, organizationsModule(childUnits), catalogModule];
