/**
 * Physical ranges of monitored parameters: a value outside can only be a fault (of the sensor, its
 * unit, or its transmission). Generous on purpose: dust storms give PM10 in the thousands.
 */
export const PHYSICAL_RANGES: Record<string, { min: number; max: number; unit: string }> = {
  pm25: { min: 0, max: 1000, unit: 'µg/m³' },
  pm10: { min: 0, max: 2000, unit: 'µg/m³' },
  o3: { min: 0, max: 2000, unit: 'µg/m³' },
  no2: { min: 0, max: 4000, unit: 'µg/m³' },
  so2: { min: 0, max: 5000, unit: 'µg/m³' },
  co: { min: 0, max: 100_000, unit: 'µg/m³' },
  temperature: { min: -20, max: 60, unit: '°C' },
  humidity: { min: 0, max: 100, unit: '%' },
  ph: { min: 0, max: 14, unit: '' },
  do: { min: 0, max: 25, unit: 'mg/L' },
  turbidity: { min: 0, max: 5000, unit: 'NTU' },
  aqi: { min: 0, max: 500, unit: '' },
};
