import type { AppModule } from '../../platform/module.js';
import { migrations } from './migrations.js';
import { Partitions } from './sta/partitions.js';
import { staRoutes } from './sta/routes.js';

export { AQI_POLLUTANTS, BREAKPOINTS, combine, hourlyAqi, subIndex, type AqiResult, type Concentrations, type Pollutant } from './indices/aqi.js';
export { AQI_CATEGORIES, WQI_CATEGORIES, aqiCategory, hex, wqiCategory, type Category } from './indices/categories.js';
export { dailyAqi, dayOf, parseOffsetTime, type DailyAqi, type HourRow } from './indices/daily.js';
export { nowcast } from './indices/nowcast.js';
export { roundHalfUp } from './indices/round.js';
export { computeWqi, doSaturation, parameterIndex, WQI_GROUPS, WQI_KEYS, WqiDataError, type WqiResult } from './indices/wqi.js';
export { HoursCsvError, readHoursCsv } from './indices/hours-csv.js';

/**
 * Environmental monitoring: the OGC SensorThings API v1.1 at /v1.1 over the stations' Things,
 * Datastreams and Observations (partitioned by month), and Vietnam's air and water quality indices.
 */
export function sensorsModule(): AppModule {
  const partitions = new Partitions();
  return {
    name: 'sensors',
    migrations,
    routes: async (app, ctx) => staRoutes(app, ctx, partitions),
  };
}
