import type { Pollutant } from '../indices/aqi.js';

/**
 * The VN_AQI pollutant an ObservedProperty measures, from its name or definition ("PM2.5",
 * "Bụi PM2,5", "pm25", "O3", "Ôzôn", "NO2", "CO"…), or undefined for anything else.
 */
export function pollutantOf(name: string, definition = ''): Pollutant | undefined {
  const s = `${name} ${definition}`
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s_\-.,]/g, '');
  if (/pm25|pm2,5/.test(s)) return 'pm25';
  if (/pm10/.test(s)) return 'pm10';
  if (/o3|ozon/.test(s)) return 'o3';
  if (/no2|nitodioxit|nitrogendioxide/.test(s)) return 'no2';
  if (/so2|luuhuynhdioxit|sulphurdioxide|sulfurdioxide/.test(s)) return 'so2';
  if (/(^|[^a-z])co($|[^a-z2])|cacbonmonoxit|carbonmonoxide/.test(`${name}`.toLowerCase()) || /cacbonmonoxit|carbonmonoxide/.test(s)) return 'co';
  return undefined;
}

/** µg/m³ factor of a unit symbol (QĐ 1459's concentrations are in µg/m³), or undefined for a unit it cannot convert. */
export function toMicrogramFactor(symbol: unknown): number | undefined {
  const s = typeof symbol === 'string' ? symbol.replace(/\s/g, '').toLowerCase() : '';
  if (['µg/m³', 'μg/m³', 'ug/m3', 'µg/m3', 'μg/m3', 'ug/m³', 'microgram/m3'].includes(s)) return 1;
  if (['mg/m³', 'mg/m3'].includes(s)) return 1000;
  return undefined;
}
