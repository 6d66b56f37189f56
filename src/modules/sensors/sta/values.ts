import { bad } from './errors.js';
import { geometryProblem } from './geometry.js';
import type { PropDef } from './model.js';

const EARLIEST = Date.UTC(1950, 0, 1);
/** Observations from 1950 to a year ahead: each month is a partition, so times far out are refused rather than stored. */
const latest = () => Date.now() + 366 * 86_400_000;

export function parseTime(v: unknown, where: string): Date {
  const d = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) ? new Date(v) : new Date(NaN);
  if (Number.isNaN(d.getTime()))
    throw bad(where, `${JSON.stringify(v)} is not an ISO 8601 time (2026-11-14T13:00:00+07:00)`, `${JSON.stringify(v)} không phải thời điểm ISO 8601`);
  return d;
}

export function parseInterval(v: unknown, where: string): { start: Date; end: Date | null } {
  if (typeof v !== 'string') throw bad(where, `${JSON.stringify(v)} is not a time or a time interval`, 'không phải thời điểm hay khoảng thời gian');
  const [a, b, more] = v.split('/');
  if (more !== undefined)
    throw bad(
      where,
      `"${v}" is not an ISO 8601 time or start/end interval (2026-11-14T13:00:00+07:00)`,
      `"${v}" không phải thời điểm hay khoảng thời gian ISO 8601`,
    );
  const start = parseTime(a, where);
  const end = b === undefined ? null : parseTime(b, where);
  if (end && end < start) throw bad(where, 'the interval ends before it starts', 'khoảng thời gian kết thúc trước khi bắt đầu');
  return { start, end };
}

export function observationTime(v: unknown, where: string): { start: Date; end: Date | null } {
  const t = parseInterval(v, where);
  if (t.start.getTime() < EARLIEST || t.start.getTime() > latest())
    throw bad(where, 'observations are kept from 1950 to a year ahead', 'chỉ nhận quan trắc từ năm 1950 tới một năm tới');
  return t;
}

/** How deep a JSON value may nest: far beyond any real one, well within PostgreSQL's jsonb parser (which fails past a few thousand levels). */
export const MAX_JSON_DEPTH = 64;

/** Whether a JSON value nests deeper than `max` (iteratively, so a deep value cannot overflow this check either). */
function tooDeep(v: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[v, 1]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (!x || typeof x !== 'object') continue;
    if (d > max) return true;
    for (const y of Object.values(x)) stack.push([y, d + 1]);
  }
  return false;
}

const isGeoJson = (v: unknown) => !!v && typeof v === 'object' && typeof (v as { type?: unknown }).type === 'string';

/** The columns of one property's value, checked by its kind. */
export function columnsOf(name: string, p: PropDef, v: unknown, where: string): Record<string, unknown> {
  const at = `${where}.${name}`;
  switch (p.kind) {
    case 'text':
      if (typeof v !== 'string') throw bad(at, 'must be a string', 'phải là chuỗi');
      if (v.length > 100_000) throw bad(at, 'longer than 100,000 characters', 'dài hơn 100.000 ký tự');
      return { [p.column]: v.normalize('NFC') };
    case 'json':
      if (tooDeep(v, MAX_JSON_DEPTH)) throw bad(at, `nests deeper than ${MAX_JSON_DEPTH} levels`, `lồng sâu quá ${MAX_JSON_DEPTH} cấp`);
      if (name === 'location' || name === 'feature') {
        if (!isGeoJson(v)) throw bad(at, 'must be a GeoJSON object (with its "type")', 'phải là đối tượng GeoJSON');
        const problem = geometryProblem(v);
        if (problem) throw bad(at, problem.en, problem.vi);
      }
      if ((name === 'properties' || name === 'parameters' || name === 'unitOfMeasurement') && v !== null && (typeof v !== 'object' || Array.isArray(v)))
        throw bad(at, 'must be a JSON object', 'phải là đối tượng JSON');
      return { [p.column]: v === null ? null : JSON.stringify(v) };
    case 'time':
      return { [p.column]: v === null ? null : parseTime(v, at) };
    case 'interval': {
      if (v === null) return { [`${p.column}_start`]: null, [`${p.column}_end`]: null };
      const t = name === 'phenomenonTime' ? observationTime(v, at) : parseInterval(v, at);
      return { [`${p.column}_start`]: t.start, [`${p.column}_end`]: t.end };
    }
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(at, 'must be a number', 'phải là số');
      return { [p.column]: v };
  }
}
