import { parse } from 'csv-parse/sync';

/** One hourly value read from a monitoring file: its hour (start and end), value and quality flag. */
export interface ImportedValue {
  start: Date;
  end: Date;
  value: number;
  quality: string | null;
}

export interface ImportRead {
  values: ImportedValue[];
  /** Rows the file marks as missing (AirNow -999, IQAir N/A or empty). */
  missing: number;
  /** Rows the file's QC marks Invalid: left out, as the file's own convention says. */
  invalid: number;
  /** Rows for an hour an earlier row of the file already gave (the first is kept). */
  repeated: number;
  /** Rows that could not be read, by line (at most 20 listed). */
  problems: { line: number; message: string }[];
  rows: number;
}

export type Layout = 'airnow' | 'iqair';
export class ImportLayoutError extends Error {}

const HOUR = 3_600_000;

/** "2016-01-01 01:00 AM" (local) as UTC ms, with the clock's offset in minutes. */
function airnowTime(s: string, offsetMinutes: number): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{1,2}):(\d{2}) ([AP]M)$/.exec(s.trim());
  if (!m) return undefined;
  let h = Number(m[4]) % 12;
  if (m[6] === 'PM') h += 12;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), h, Number(m[5])) - offsetMinutes * 60_000;
}

function records(text: string, required: string[]): Record<string, string>[] {
  const rows = parse(text.replace(/^\uFEFF/, ''), {
    columns: true,
    skip_empty_lines: true,
    relax_column_count: true,
    trim: true,
    delimiter: [',', ';'],
  }) as Record<string, string>[];
  const have = new Set(Object.keys(rows[0] ?? {}));
  const lacking = required.filter((c) => !have.has(c));
  if (!rows.length || lacking.length) throw new ImportLayoutError(`the file lacks the column(s) ${lacking.join(', ') || required.join(', ')} of this layout`);
  return rows;
}

/**
 * An AirNow (US Department of State) hourly file: `Date (LT)` is the local time at the END of the
 * hour (a year's file runs from 01:00 on 1 January to 00:00 on the next 1 January), `Raw Conc.`
 * the hour's concentration; -999 means missing; `QC Name` Valid, Suspect (kept, flagged) or
 * Invalid (left out). Vietnam's missions are on UTC+7.
 */
export function readAirNow(text: string, offsetMinutes = 420): ImportRead {
  const rows = records(text, ['Date (LT)', 'Raw Conc.', 'QC Name']);
  const out: ImportRead = { values: [], missing: 0, invalid: 0, repeated: 0, problems: [], rows: rows.length };
  rows.forEach((r, i) => {
    const end = airnowTime(r['Date (LT)'] ?? '', offsetMinutes);
    const raw = Number(r['Raw Conc.']);
    const qc = r['QC Name'] ?? '';
    if (end === undefined) {
      if (out.problems.length < 20) out.problems.push({ line: i + 2, message: `Date (LT) "${r['Date (LT)']}" is not "yyyy-mm-dd hh:mm AM"` });
      return;
    }
    if (r['Raw Conc.'] === '-999' || qc === 'Missing' || !Number.isFinite(raw) || raw < 0) {
      out.missing++;
      return;
    }
    if (qc === 'Invalid') {
      out.invalid++;
      return;
    }
    out.values.push({ start: new Date(end - HOUR), end: new Date(end), value: raw, quality: qc || null });
  });
  return out;
}

/**
 * An IQAir scrape (`timestamp,city,aqi,…,pm25,pm10,o3,no2,so2,co`): one reading at `timestamp`
 * (ISO with offset) of each pollutant; `N/A` or empty is missing. Read as the hour the reading
 * was taken in (IQAir shows hourly values); a second reading in the same hour is left out.
 */
export function readIqair(text: string, pollutant: 'pm25' | 'pm10' | 'o3' | 'no2' | 'so2' | 'co' = 'pm25'): ImportRead {
  const rows = records(text, ['timestamp', pollutant]);
  const seen = new Set<number>();
  const out: ImportRead = { values: [], missing: 0, invalid: 0, repeated: 0, problems: [], rows: rows.length };
  rows.forEach((r, i) => {
    const t = Date.parse(r.timestamp ?? '');
    const v = r[pollutant] ?? '';
    if (!Number.isFinite(t) || !/[+-]\d{2}:\d{2}$|Z$/.test(r.timestamp ?? '')) {
      if (out.problems.length < 20) out.problems.push({ line: i + 2, message: `timestamp "${r.timestamp}" is not an ISO time with its offset` });
      return;
    }
    if (v === '' || v === 'N/A' || !Number.isFinite(Number(v))) {
      out.missing++;
      return;
    }
    const start = Math.floor(t / HOUR) * HOUR;
    if (seen.has(start)) {
      out.repeated++;
      return;
    }
    seen.add(start);
    out.values.push({ start: new Date(start), end: new Date(start + HOUR), value: Number(v), quality: null });
  });
  return out;
}

export const readLayout = (layout: Layout, text: string): ImportRead => (layout === 'airnow' ? readAirNow(text) : readIqair(text));
