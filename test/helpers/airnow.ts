import fs from 'node:fs';
import { readAirNow } from '../../src/modules/sensors/air/import-layouts.js';

/** Daily PM2.5 means (µg/m³, one decimal) of the real AirNow Hanoi 2016 file in test/fixtures (see THIRD_PARTY_DATA.md), by Vietnam's calendar day. */
export function hanoiDailyPm25(): { day: string; pm25: number }[] {
  const read = readAirNow(fs.readFileSync('test/fixtures/datastore/airnow_Hanoi_PM2.5_2016_YTD.csv', 'utf8'));
  const days = new Map<string, number[]>();
  for (const v of read.values) {
    const day = new Date(v.start.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
    days.set(day, [...(days.get(day) ?? []), v.value]);
  }
  return [...days].map(([day, xs]) => ({ day, pm25: Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10 }));
}
