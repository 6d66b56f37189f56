import type { Pollutant } from '../indices/aqi.js';

/**
 * The VN_AQI pollutant an ObservedProperty measures, from its name or definition ("PM2.5",
 * "Bụi PM2,5", "pm25", "O3", "Ôzôn", "NO2", "CO"…), or undefined for anything else.
 */
export function pollutantOf(name: string, definition = ''): Pollutant | undefined {
  // NFKD also turns subscripts (SO₂, O₃) into digits. Spaces stay: "Thông số 2" (parameter
  // number 2) must not read as SO2, so a formula's letters and digits are matched together.
  const s = ` ${name} ${definition} `.normalize('NFKD').replace(/\p{M}/gu, '').replace(/đ/gi, 'd').toLowerCase();
  if (/pm\s?2[.,]5(?![0-9])|pm25(?![0-9])/.test(s)) return 'pm25';
  if (/pm\s?10(?![0-9])/.test(s)) return 'pm10';
  if (/(^|[^a-z0-9])o3(?![0-9])|ozon/.test(s)) return 'o3';
  if (/(^|[^a-z0-9])no2(?![0-9])|nito dioxit|nitrogen dioxide/.test(s)) return 'no2';
  if (/(^|[^a-z0-9])so2(?![0-9])|luu huynh dioxit|sulphur dioxide|sulfur dioxide/.test(s)) return 'so2';
  if (/(^|[^a-z0-9])co(?![a-z0-9])|cacbon monoxit|carbon monoxide/.test(s)) return 'co';
  return undefined;
}

/** µg/m³ factor of a unit symbol (QĐ 1459's concentrations are in µg/m³), or undefined for a unit it cannot convert. */
export function toMicrogramFactor(symbol: unknown): number | undefined {
  const s = typeof symbol === 'string' ? symbol.replace(/\s/g, '').toLowerCase() : '';
  if (['µg/m³', 'μg/m³', 'ug/m3', 'µg/m3', 'μg/m3', 'ug/m³', 'microgram/m3'].includes(s)) return 1;
  if (['mg/m³', 'mg/m3'].includes(s)) return 1000;
  return undefined;
}
