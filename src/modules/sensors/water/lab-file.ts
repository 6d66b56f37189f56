import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { sniffDelimiter, detectEncoding, PREVIEW_LIMITS, readXlsxHead, TabularLimitError } from '../../../platform/tabular/index.js';
import { foldVi, parseViDateTime } from '../../../platform/text/index.js';
import { canonicalUnit, toCanonical, unitOf, waterKeyOf, type WaterKey, type WaterUnit } from './parameters.js';

/** One sample of a laboratory file: a station's results on a day (or at a time). */
export interface LabSample {
  line: number;
  code: string;
  name: string | null;
  longitude: number | null;
  latitude: number | null;
  /** yyyy-mm-dd (Vietnam's calendar) and HH:mm when the file gives the time. */
  date: string;
  time: string | null;
  /** Each parameter's value in its canonical unit (see parameters.ts). */
  values: Partial<Record<WaterKey, number>>;
}

export interface LabFile {
  samples: LabSample[];
  /** The parameters found, with the unit the file gave and the one kept. */
  columns: { header: string; key: WaterKey; unit: WaterUnit; stored: WaterUnit }[];
  /** Headers that are not VN_WQI parameters, left out. */
  ignored: string[];
  /** Cells below the detection limit ("KPH", "<0,01", "ND"): not stored. */
  notDetected: number;
  missing: number;
}

/** A problem with the file: its line (1 = the first) and column when known. */
export class LabFileError extends Error {
  constructor(readonly problems: { line: number | null; column: string | null; message: string }[]) {
    super(problems.map((p) => `${p.line ? `line ${p.line}` : ''}${p.column ? ` ${p.column}` : ''}: ${p.message}`).join('; '));
  }
}

export const LAB_MAX_ROWS = 50_000;
const MISSING = new Set(['', '-', '—', 'n/a', 'na', '#n/a', 'null']);
const NOT_DETECTED = /^(kph|kpht|nd|n\.d\.|<\s*lod|<\s*[\d.,]+)$/i;

const ROLES: Record<string, string[]> = {
  code: ['kyhieu', 'ky hieu', 'ma tram', 'ma diem', 'ma diem quan trac', 'station', 'station code', 'code', 'ky hieu diem'],
  name: ['ten tram', 'ten diem', 'ten diem quan trac', 'station name', 'vi tri'],
  longitude: ['longitude', 'kinh do', 'lon', 'x'],
  latitude: ['latitude', 'vi do', 'lat', 'y'],
  date: ['date', 'ngay', 'ngay lay mau', 'ngay quan trac', 'thoi gian', 'thoi gian lay mau', 'sampling date'],
  time: ['gio', 'gio lay mau', 'time'],
};
const roleOf = (h: string): string | null => {
  const k = foldVi(h.normalize('NFC')).replace(/[._]/g, ' ').replace(/\s+/g, ' ').trim();
  for (const [role, names] of Object.entries(ROLES)) if (names.includes(k)) return role;
  return null;
};

/** The text from its first line with any separator in it: title rows above a header have none, and must not decide it. */
const fromFirstDelimited = (text: string): string => {
  const at = text.search(/^.*[,;\t|]/m);
  return at > 0 ? text.slice(at) : text;
};

/** The rows of a CSV (any of the encodings and delimiters the platform reads) or the first sheet of an XLSX file, as text. */
export async function labRows(buf: Buffer, filename: string): Promise<string[][]> {
  const isXlsx = buf[0] === 0x50 && buf[1] === 0x4b;
  if (isXlsx || /\.xlsx$/i.test(filename)) {
    try {
      return await readXlsxHead(buf, { ...PREVIEW_LIMITS, maxRows: LAB_MAX_ROWS + 20 });
    } catch (e) {
      if (e instanceof TabularLimitError) throw new LabFileError([{ line: null, column: null, message: `the workbook exceeds the ${e.limit} limit` }]);
      throw new LabFileError([{ line: null, column: null, message: 'not a readable XLSX workbook' }]);
    }
  }
  const enc = detectEncoding(buf.subarray(0, 64 * 1024), buf.length > 64 * 1024);
  const text = (enc === 'utf-8' ? buf.toString('utf8') : iconv.decode(buf, enc)).replace(/^\uFEFF/, '').normalize('NFC');
  if (text.includes('\u0000')) throw new LabFileError([{ line: null, column: null, message: 'the file holds NUL bytes: it is not text' }]);
  const parsed = Papa.parse<string[]>(text, { delimiter: sniffDelimiter(fromFirstDelimited(text)), skipEmptyLines: false });
  if (parsed.data.length > LAB_MAX_ROWS + 20) throw new LabFileError([{ line: null, column: null, message: `more than ${LAB_MAX_ROWS} rows: split the file` }]);
  return parsed.data;
}

/** A cell whose separator could be a decimal mark or a thousands group ("1.300", "2,500"): the file's style decides it. */
const AMBIGUOUS = /^-?[1-9]\d{0,2}[.,]\d{3}$/;

/**
 * "0,021" or "0.021": a lab file writes decimals, rarely thousands. The style is the file's, judged
 * on its unambiguous values only (a leading zero or other than three decimals is never a
 * thousands group), and decides only the ambiguous cells; an unambiguous cell is read as written.
 */
function numberStyle(cells: string[]): 'comma' | 'dot' {
  let comma = 0;
  let dot = 0;
  for (const c of cells) {
    if (AMBIGUOUS.test(c)) continue;
    if (/^-?\d+,\d+$/.test(c)) comma++;
    else if (/^-?\d+\.\d+$/.test(c)) dot++;
  }
  return comma > dot ? 'comma' : 'dot';
}

function number(cell: string, style: 'comma' | 'dot'): number | null {
  const n = written(cell.replace(/\s/g, ''), style);
  // "1e999" is no result.
  return n !== null && Number.isFinite(n) ? n : null;
}

function written(t: string, style: 'comma' | 'dot'): number | null {
  if (/^-?\d+$/.test(t)) return Number(t);
  if (/^-?\d+(\.\d+)?e-?\d+$/i.test(t)) return Number(t);
  if (AMBIGUOUS.test(t)) {
    const thousands = (t.includes('.') && style === 'comma') || (t.includes(',') && style === 'dot');
    return thousands ? Number(t.replace(/[.,]/, '')) : Number(t.replace(',', '.'));
  }
  if (/^-?\d+[.,]\d+$/.test(t)) return Number(t.replace(',', '.'));
  if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(t)) return Number(t.replace(/\./g, '').replace(',', '.'));
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) return Number(t.replace(/,/g, ''));
  return null;
}

/**
 * Reads a laboratory results file in the layouts monitoring programmes publish: a header row
 * (title rows above it are skipped) naming the station code, the sampling date (d/m/yyyy, or ISO)
 * and the parameters; optionally the units in the row below it, the station's name and
 * coordinates, and the time. Values are converted to the units the decision's tables use;
 * `units` overrides what the file says (a lab that labelled its mg/L columns µg/L). Every problem
 * is collected and thrown together, so a file is taken whole or not at all.
 */
export function readLabFile(rows: string[][], units: Partial<Record<WaterKey, WaterUnit>> = {}): LabFile {
  const problems: LabFileError['problems'] = [];
  const cells = (r: string[] | undefined) => (r ?? []).map((c) => String(c ?? '').trim());
  let headerAt = -1;
  for (let i = 0; i < Math.min(rows.length, 20); i++) {
    const h = cells(rows[i]);
    if (h.some((c) => roleOf(c) === 'code') && h.some((c) => roleOf(c) === 'date') && h.filter((c) => waterKeyOf(c)).length >= 3) {
      headerAt = i;
      break;
    }
  }
  if (headerAt < 0)
    throw new LabFileError([
      {
        line: null,
        column: null,
        message:
          'no header row with the station code (Kyhieu, Mã trạm), the sampling date (Date, Ngày lấy mẫu) and at least 3 VN_WQI parameters in the first 20 rows',
      },
    ]);
  const header = cells(rows[headerAt]);
  const role = new Map<string, number>();
  const params: { index: number; header: string; key: WaterKey }[] = [];
  const ignored: string[] = [];
  header.forEach((h, i) => {
    const r = roleOf(h);
    const key = waterKeyOf(h);
    if (r && !role.has(r)) role.set(r, i);
    // Heptachlorepoxide is added to Heptachlor, as the decision counts them.
    else if (key && (key === 'Heptachlor' || !params.some((p) => p.key === key))) params.push({ index: i, header: h, key });
    else if (h) ignored.push(h);
  });
  // A units row: the row under the header, with no date where the dates are and text, not numbers, under the parameters.
  let start = headerAt + 1;
  const below = cells(rows[start]);
  const underParams = params.map((p) => below[p.index] ?? '').filter((c) => c !== '');
  const unitsRow =
    below.length > 0 &&
    !parseViDateTime(below[role.get('date')!] ?? '') &&
    underParams.length > 0 &&
    underParams.every((c) => unitOf(c) !== null || !/^[-<]?\s*\d/.test(c));
  if (unitsRow) start++;
  const columns: LabFile['columns'] = [];
  for (const p of params) {
    // The unit in the units row, else in the header's brackets ("As (µg/L)").
    const bracket = /\(([^)]*)\)\s*$/.exec(p.header)?.[1] ?? '';
    const written = unitsRow ? (below[p.index] ?? '') : unitOf(bracket) ? bracket : '';
    const given = units[p.key] ?? (written ? unitOf(written) : canonicalUnit(p.key));
    if (given === null) {
      problems.push({ line: headerAt + 2, column: p.header, message: `unit "${below[p.index]}" is not one of mg/L, µg/L, MPN/100mL, °C` });
      continue;
    }
    if (toCanonical(p.key, 1, given) === null) {
      problems.push({
        line: headerAt + 2,
        column: p.header,
        message: `${p.key} cannot be given in ${given || 'no unit'} (it is measured in ${canonicalUnit(p.key) || 'pH units'})`,
      });
      continue;
    }
    columns.push({ header: p.header, key: p.key, unit: given, stored: canonicalUnit(p.key) });
  }
  const data = rows.slice(start);
  const style = numberStyle(data.flatMap((r) => params.map((p) => String(r[p.index] ?? '').trim())));
  const at = (r: string[], name: string) => (role.has(name) ? String(r[role.get(name)!] ?? '').trim() : '');
  const samples: LabSample[] = [];
  let notDetected = 0;
  let missing = 0;
  data.forEach((raw, i) => {
    const line = start + i + 1;
    const r = raw.map((c) => String(c ?? '').normalize('NFC'));
    if (r.every((c) => c.trim() === '')) return;
    const code = at(r, 'code');
    const when = parseViDateTime(at(r, 'date'));
    if (!code) problems.push({ line, column: header[role.get('code')!]!, message: 'the station code is empty' });
    if (!when) problems.push({ line, column: header[role.get('date')!]!, message: `"${at(r, 'date')}" is not a date (dd/mm/yyyy)` });
    else if (Number(when.date.slice(0, 4)) < 1950 || when.date > `${new Date().getUTCFullYear() + 1}`)
      problems.push({ line, column: header[role.get('date')!]!, message: `"${at(r, 'date')}" is outside 1950 to next year` });
    let time = when?.time ?? null;
    const t = at(r, 'time');
    if (t) {
      const m = /^(\d{1,2})[:h](\d{2})(?::\d{2})?$/.exec(t);
      if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) problems.push({ line, column: header[role.get('time')!]!, message: `"${t}" is not a time (HH:mm)` });
      else time = `${m[1]!.padStart(2, '0')}:${m[2]}`;
    }
    const coord = (name: 'longitude' | 'latitude', lim: number) => {
      const s = at(r, name);
      if (!s) return null;
      const n = number(s, /^-?\d+,\d+$/.test(s) ? 'comma' : 'dot');
      if (n === null || Math.abs(n) > lim) {
        problems.push({ line, column: header[role.get(name)!]!, message: `"${s}" is not a ${name}` });
        return null;
      }
      return n;
    };
    const values: LabSample['values'] = {};
    for (const c of columns) {
      const p = params.find((x) => x.header === c.header)!;
      const cell = (r[p.index] ?? '').trim();
      if (MISSING.has(cell.toLowerCase())) {
        missing++;
        continue;
      }
      if (NOT_DETECTED.test(cell)) {
        notDetected++;
        continue;
      }
      const n = number(cell, style);
      if (n === null || n < 0) {
        problems.push({ line, column: c.header, message: `"${cell}" is not a result (a number, KPH, or <limit)` });
        continue;
      }
      values[c.key] = (values[c.key] ?? 0) + toCanonical(c.key, n, c.unit)!;
    }
    samples.push({
      line,
      code,
      name: at(r, 'name') || null,
      longitude: coord('longitude', 180),
      latitude: coord('latitude', 90),
      date: when?.date ?? '',
      time,
      values,
    });
  });
  // One sample per station and time: a repeated one would be stored twice.
  const seen = new Map<string, number>();
  for (const x of samples) {
    const k = `${x.code}|${x.date}|${x.time ?? ''}`;
    const first = seen.get(k);
    if (first !== undefined) problems.push({ line: x.line, column: null, message: `the same station and time as line ${first}` });
    else seen.set(k, x.line);
  }
  if (!samples.length && !problems.length) problems.push({ line: null, column: null, message: 'the file has no samples under its header' });
  if (problems.length) throw new LabFileError(problems.slice(0, 50));
  return { samples, columns, ignored, notDetected, missing };
}
