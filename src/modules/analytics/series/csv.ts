import { parse } from 'csv-parse/sync';
import { regularize, SeriesError, type RawPoint, type RegularSeries } from './regular.js';
import { parseTime, type TimeStyle } from './time.js';

/** A number as a series file writes it: 12, -0.5, 1e3 (a point, no thousands separators). */
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export interface NamedSeries extends RegularSeries {
  name: string;
}

/**
 * Reads `series,time,value` CSV (the header names the columns, in any order): one regular series
 * per name, in the order they first appear. Every problem is a SeriesError naming the series and row.
 */
export function readSeriesCsv(text: string): NamedSeries[] {
  let rows: string[][];
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (e) {
    throw new SeriesError('', undefined, `không đọc được CSV: ${(e as Error).message}`, `unreadable CSV: ${(e as Error).message}`);
  }
  const header = (rows[0] ?? []).map((h) => h.toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const [si, ti, vi] = [col('series'), col('time'), col('value')];
  if (si < 0 || ti < 0 || vi < 0)
    throw new SeriesError('', 1, 'dòng tiêu đề phải có các cột series,time,value.', 'the header must name the columns series,time,value.');
  const bySeries = new Map<string, { points: RawPoint[]; style: TimeStyle }>();
  for (let r = 1; r < rows.length; r++) {
    const row = r + 1;
    const cells = rows[r]!;
    const name = cells[si] ?? '';
    if (!name) throw new SeriesError('', row, 'thiếu tên chuỗi (cột series).', 'no series name (column series).');
    const time = parseTime(cells[ti] ?? '');
    if (!time)
      throw new SeriesError(
        name,
        row,
        `"${cells[ti] ?? ''}" không phải là thời điểm ISO 8601 (ví dụ 2024-01-31T13:00:00+07:00).`,
        `"${cells[ti] ?? ''}" is not an ISO 8601 time (e.g. 2024-01-31T13:00:00+07:00).`,
      );
    const raw = cells[vi] ?? '';
    if (raw !== '' && !NUMBER.test(raw)) throw new SeriesError(name, row, `"${raw}" không phải là số.`, `"${raw}" is not a number.`);
    const value = raw === '' ? null : Number(raw);
    if (value !== null && !Number.isFinite(value)) throw new SeriesError(name, row, `"${raw}" quá lớn.`, `"${raw}" is out of range.`);
    let s = bySeries.get(name);
    if (!s) bySeries.set(name, (s = { points: [], style: time.style }));
    s.points.push({ at: time.at, value, row });
  }
  if (!bySeries.size) throw new SeriesError('', undefined, 'tệp không có dòng dữ liệu nào.', 'the file has no data rows.');
  return [...bySeries].map(([name, s]) => ({ name, ...regularize(name, s.points, s.style) }));
}
