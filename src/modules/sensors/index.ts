export { AQI_POLLUTANTS, BREAKPOINTS, combine, hourlyAqi, subIndex, type AqiResult, type Concentrations, type Pollutant } from './indices/aqi.js';
export { AQI_CATEGORIES, WQI_CATEGORIES, aqiCategory, hex, wqiCategory, type Category } from './indices/categories.js';
export { dailyAqi, dayOf, parseOffsetTime, type DailyAqi, type HourRow } from './indices/daily.js';
export { nowcast } from './indices/nowcast.js';
export { roundHalfUp } from './indices/round.js';
export { computeWqi, doSaturation, parameterIndex, WQI_GROUPS, WQI_KEYS, WqiDataError, type WqiResult } from './indices/wqi.js';
export { HoursCsvError, readHoursCsv } from './indices/hours-csv.js';
