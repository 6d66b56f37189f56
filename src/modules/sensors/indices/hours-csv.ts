import { parse } from 'csv-parse/sync';
import { AQI_POLLUTANTS, type Pollutant } from './aqi.js';
import { parseOffsetTime, type HourRow } from './daily.js';

export class HoursCsvError extends Error {}

/**
 * Reads hourly means as `time,pm25,pm10,o3,no2,so2,co` (µg/m³; any subset of the pollutant
 * columns, in any order; an empty cell is a missing hour; ISO times with their offset). Each
 * bad cell is named by its line and column; nothing is guessed.
 */
export function readHoursCsv(text: string): HourRow[] {
  const records = parse(text.replace(/^\uFEFF/, ''), { skip_empty_lines: true, trim: true, relax_column_count: false }) as string[][];
  const header = (records[0] ?? []).map((h) => h.toLowerCase().replace('.', '').replace('pm2_5', 'pm25'));
  if (header[0] !== 'time') throw new HoursCsvError('line 1: the first column must be "time"');
  const cols = header.slice(1).map((h, i) => {
    if (!(AQI_POLLUTANTS as readonly string[]).includes(h))
      throw new HoursCsvError(`line 1, column ${i + 2}: "${h}" is not one of ${AQI_POLLUTANTS.join(', ')}`);
    return h as Pollutant;
  });
  const seen = new Set<number>();
  return records.slice(1).map((r, n) => {
    const line = n + 2;
    const t = parseOffsetTime(r[0] ?? '');
    if (!t) throw new HoursCsvError(`line ${line}, time: "${r[0]}" is not an ISO time with its offset (2026-11-14T13:00+07:00)`);
    if (seen.has(t.at)) throw new HoursCsvError(`line ${line}, time: ${r[0]} comes twice`);
    seen.add(t.at);
    const row: HourRow = { ...t };
    cols.forEach((p, i) => {
      const cell = r[i + 1] ?? '';
      if (cell === '') return;
      const v = Number(cell);
      if (!/^\d+(\.\d+)?$/.test(cell) || !Number.isFinite(v))
        throw new HoursCsvError(`line ${line}, ${p}: "${cell}" is not a concentration (µg/m³, e.g. 35.2; empty when missing)`);
      row[p] = v;
    });
    return row;
  });
}
