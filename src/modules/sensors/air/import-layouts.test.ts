import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImportLayoutError, readAirNow, readIqair } from './import-layouts.js';

describe('monitoring file layouts', () => {
  it('reads a real AirNow year: hour-ending local times, -999 and Missing as missing, Invalid left out, Suspect kept', () => {
    const r = readAirNow(fs.readFileSync('test/fixtures/datastore/airnow_Hanoi_PM2.5_2016_YTD.csv', 'utf8'));
    expect(r.rows).toBe(8784);
    expect(r.invalid).toBe(60);
    expect(r.values.length + r.missing + r.invalid).toBe(r.rows);
    expect(r.problems).toEqual([]);
    // "2016-01-01 01:00 AM" in Hanoi is the hour 00:00–01:00 local, 17:00–18:00 UTC the day before; Raw Conc. 94.7.
    expect(r.values[0]).toEqual({ start: new Date('2015-12-31T17:00:00Z'), end: new Date('2015-12-31T18:00:00Z'), value: 94.7, quality: 'Valid' });
    expect(r.values.at(-1)!.end.toISOString()).toBe('2016-12-31T17:00:00.000Z');
    expect(new Set(r.values.map((v) => v.quality))).toEqual(new Set(['Valid']));
  });

  it('reads the IQAir layout, N/A as missing, and names a column the file lacks', () => {
    // Three rows in the layout of the IQAir scrapes (values written for this test).
    const text = [
      'timestamp,city,aqi,weather_icon,wind_speed,humidity,temperature,pm25,pm10,o3,no2,so2,co',
      '2025-04-01T00:01:31.971951+07:00,Nha Trang,21,/x.svg,9.5 km/h,87%,25.0°C,3.7,N/A,N/A,N/A,N/A,N/A',
      '2025-04-01T01:02:10.100000+07:00,Nha Trang,25,/x.svg,9.0 km/h,88%,24.8°C,N/A,N/A,N/A,N/A,N/A,N/A',
      'yesterday,Nha Trang,25,/x.svg,9.0 km/h,88%,24.8°C,4.0,N/A,N/A,N/A,N/A,N/A',
    ].join('\n');
    const r = readIqair(text);
    expect(r.values).toEqual([{ start: new Date('2025-03-31T17:00:00Z'), end: new Date('2025-03-31T18:00:00Z'), value: 3.7, quality: null }]);
    expect(r.missing).toBe(1);
    expect(r.repeated).toBe(0);
    expect(r.problems).toEqual([{ line: 4, message: 'timestamp "yesterday" is not an ISO time with its offset' }]);
    expect(() => readAirNow(text)).toThrow(ImportLayoutError);
    expect(() => readAirNow(text)).toThrow(/Date \(LT\), Raw Conc\., QC Name/);
  });
});
