import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import yauzl from 'yauzl';
import { checkAborted, TabularLimitError, type ReadLimits } from './limits.js';

// Why by hand: exceljs (and SheetJS) load sharedStrings.xml and styles whole before the first row,
// so a 1 MB workbook whose strings inflate to hundreds of MB costs seconds and a gigabyte per
// view. Here the first sheet is read first, only as far as the rows asked for; then only the
// shared strings those rows use are kept, and every zip entry is inflated under a byte cap.

type Zip = yauzl.ZipFile;

const openZip = (buf: Buffer): Promise<Zip> =>
  new Promise((resolve, reject) => yauzl.fromBuffer(buf, { lazyEntries: true, validateEntrySizes: true }, (e, z) => (e ? reject(e) : resolve(z))));

async function entries(zip: Zip): Promise<Map<string, yauzl.Entry>> {
  const out = new Map<string, yauzl.Entry>();
  return new Promise((resolve, reject) => {
    zip.on('entry', (e: yauzl.Entry) => {
      if (out.size > 10_000) return reject(new TabularLimitError('zip entries'));
      out.set(e.fileName.replace(/^\/+/, ''), e);
      zip.readEntry();
    });
    zip.on('end', () => resolve(out));
    zip.on('error', reject);
    zip.readEntry();
  });
}

const openEntry = (zip: Zip, e: yauzl.Entry): Promise<Readable> =>
  new Promise((resolve, reject) => zip.openReadStream(e, (err, s) => (err ? reject(err) : resolve(s))));

/** The end of a parse that stopped early on purpose (enough rows, every string found). */
class Enough extends Error {}

/**
 * Streams one zip entry through a SAX parser under the byte cap; `onTag` may throw `Enough` to
 * stop. Resolves when the entry ends or the parser had enough.
 */
async function parseEntry(zip: Zip, e: yauzl.Entry | undefined, limits: ReadLimits, handlers: (p: SaxesParser) => void): Promise<void> {
  if (!e) return;
  const stream = await openEntry(zip, e);
  const parser = new SaxesParser();
  handlers(parser);
  const decoder = new StringDecoder('utf8');
  let inflated = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      checkAborted(limits.signal);
      inflated += chunk.length;
      if (inflated > limits.maxInflatedBytes) throw new TabularLimitError('inflated size');
      parser.write(decoder.write(chunk));
    }
    parser.write(decoder.end());
    parser.close();
  } catch (err) {
    if (!(err instanceof Enough)) throw err;
  } finally {
    stream.destroy();
  }
}

const attr = (tag: SaxesTagPlain, name: string): string | undefined => {
  const v = tag.attributes[name];
  return typeof v === 'string' ? v : undefined;
};

/** Column index (0-based) of a cell reference such as "AB12". */
function columnOf(ref: string | undefined, fallback: number): number {
  const m = ref ? /^([A-Z]{1,3})\d*$/i.exec(ref) : null;
  if (!m) return fallback;
  let n = 0;
  for (const ch of m[1]!.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** The path of the workbook's first sheet, from workbook.xml and its relationships. */
async function firstSheetPath(zip: Zip, all: Map<string, yauzl.Entry>, limits: ReadLimits): Promise<string | undefined> {
  let rid: string | undefined;
  await parseEntry(zip, all.get('xl/workbook.xml'), limits, (p) =>
    p.on('opentag', (t) => {
      if (t.name === 'sheet') {
        rid = attr(t, 'r:id');
        throw new Enough();
      }
    }),
  );
  let target: string | undefined;
  await parseEntry(zip, all.get('xl/_rels/workbook.xml.rels'), limits, (p) =>
    p.on('opentag', (t) => {
      if (t.name === 'Relationship' && attr(t, 'Id') === rid) {
        target = attr(t, 'Target');
        throw new Enough();
      }
    }),
  );
  if (!target) return [...all.keys()].find((k) => /^xl\/worksheets\/[^/]+\.xml$/.test(k));
  return target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
}

/** What a date-like number format shows: a day, a time of day, or both. */
type DateKind = 'date' | 'time' | 'datetime';

// Built-in number formats that are dates or times (ECMA-376 §18.8.30).
const BUILT_IN_KINDS = new Map<number, DateKind>([
  ...[14, 15, 16, 17].map((id) => [id, 'date'] as const),
  ...[18, 19, 20, 21, 45, 46, 47].map((id) => [id, 'time'] as const),
  [22, 'datetime'],
]);

/** The kind of a custom format code ("dd/mm/yyyy hh:mm", "h:mm", "[h]:mm:ss"), or null for a number format. */
export function dateKindOf(code: string): DateKind | null {
  const bare = code.replace(/"[^"]*"|\\./g, '');
  const elapsed = /\[(h+|m+|s+)\]/i.test(bare);
  const plain = bare.replace(/\[[^\]]*\]/g, '');
  const time = elapsed || /[hs]/i.test(plain);
  // "m" is the month unless hours or seconds stand beside it.
  const date = /[dy]/i.test(plain) || (/m/i.test(plain) && !time);
  return date && time ? 'datetime' : time ? 'time' : date ? 'date' : null;
}

/** Which cell styles (cellXfs indexes) show dates or times, and which of them. */
async function dateStyles(zip: Zip, e: yauzl.Entry | undefined, limits: ReadLimits): Promise<Map<number, DateKind>> {
  const custom = new Map<number, string>();
  const out = new Map<number, DateKind>();
  let inXfs = false;
  let index = 0;
  await parseEntry(zip, e, limits, (p) => {
    p.on('opentag', (t) => {
      if (t.name === 'numFmt') custom.set(Number(attr(t, 'numFmtId')), attr(t, 'formatCode') ?? '');
      else if (t.name === 'cellXfs') inXfs = true;
      else if (inXfs && t.name === 'xf') {
        const id = Number(attr(t, 'numFmtId') ?? 0);
        const kind = BUILT_IN_KINDS.get(id) ?? (custom.has(id) ? dateKindOf(custom.get(id)!) : null);
        if (kind) out.set(index, kind);
        index += 1;
        if (index > 100_000) throw new TabularLimitError('styles');
      }
    });
    p.on('closetag', (t) => {
      if (t.name === 'cellXfs') throw new Enough();
    });
  });
  return out;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An Excel serial date (1900 system, days since 30/12/1899 with the time as a fraction) as a UTC Date. */
export const excelSerialDate = (serial: number): Date => new Date(Math.round((serial - 25569) * 86400_000));

/** An Excel serial date (1900 system) as dd/mm/yyyy, the way a Vietnamese reader writes it. */
export function excelDate(serial: number): string {
  const d = excelSerialDate(serial);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

/** The time of day of an Excel serial (its fraction) as HH:mm, or HH:mm:ss when it has seconds; hours run on past 24 for a duration. */
export function excelTime(serial: number): string {
  const seconds = Math.round(serial * 86400);
  const total = serial >= 1 ? seconds : seconds % 86400;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  return `${pad(h)}:${pad(m)}${sec ? `:${pad(sec)}` : ''}`;
}

interface RawCell {
  col: number;
  type: string;
  style: number;
  value: string;
}

/**
 * The first `limits.maxRows` rows of the first worksheet of an XLSX workbook, as text (shared
 * strings resolved, dates dd/mm/yyyy, times HH:mm[:ss], both as dd/mm/yyyy HH:mm, formulas as their cached result). Bounded in inflated
 * bytes, rows, columns, cell length and shared strings scanned; throws `TabularLimitError` past
 * a bound or when `limits.signal` aborts.
 */
export async function readXlsxHead(buf: Buffer, limits: ReadLimits): Promise<string[][]> {
  const zip = await openZip(buf);
  try {
    const all = await entries(zip);
    const sheet = await firstSheetPath(zip, all, limits);
    if (!sheet || !all.has(sheet)) return [];
    const rows: RawCell[][] = [];
    let row: RawCell[] | null = null;
    let cell: RawCell | null = null;
    let inValue = false;
    await parseEntry(zip, all.get(sheet), limits, (p) => {
      p.on('opentag', (t) => {
        if (t.name === 'row') row = [];
        else if (t.name === 'c' && row) {
          cell = { col: columnOf(attr(t, 'r'), row.length), type: attr(t, 't') ?? 'n', style: Number(attr(t, 's') ?? 0), value: '' };
        } else if (cell && (t.name === 'v' || t.name === 't')) inValue = true;
      });
      p.on('text', (text) => {
        if (inValue && cell && cell.value.length < limits.maxCellChars) cell.value += text.slice(0, limits.maxCellChars - cell.value.length);
      });
      p.on('closetag', (t) => {
        if (t.name === 'v' || t.name === 't') inValue = false;
        else if (t.name === 'c' && cell && row) {
          if (cell.col < limits.maxColumns) row.push(cell);
          cell = null;
        } else if (t.name === 'row' && row) {
          if (row.length > 0) rows.push(row);
          row = null;
          if (rows.length >= limits.maxRows) throw new Enough();
        }
      });
    });

    const wanted = new Set<number>();
    for (const r of rows) for (const c of r) if (c.type === 's') wanted.add(Number(c.value));
    const strings = await sharedStrings(zip, all.get('xl/sharedStrings.xml'), wanted, limits);
    const dates = rows.some((r) => r.some((c) => c.type === 'n' && c.style > 0))
      ? await dateStyles(zip, all.get('xl/styles.xml'), limits)
      : new Map<number, DateKind>();

    return rows.map((r) => {
      const width = Math.min(limits.maxColumns, Math.max(0, ...r.map((c) => c.col + 1)));
      const out: string[] = Array.from({ length: width }, () => '');
      for (const c of r) out[c.col] = cellText(c, strings, dates);
      return out;
    });
  } finally {
    zip.close();
  }
}

function cellText(c: RawCell, strings: Map<number, string>, dates: Map<number, DateKind>): string {
  switch (c.type) {
    case 's':
      return strings.get(Number(c.value)) ?? '';
    case 'b':
      return c.value === '1' ? 'TRUE' : 'FALSE';
    case 'n': {
      if (c.value === '') return '';
      const n = Number(c.value);
      const kind = Number.isFinite(n) ? dates.get(c.style) : undefined;
      if (kind === 'date') return excelDate(n);
      if (kind === 'time') return excelTime(n);
      if (kind === 'datetime') return `${excelDate(n)} ${excelTime(n - Math.floor(n))}`;
      return Number.isFinite(n) ? String(n) : c.value;
    }
    default: // inlineStr, str (formula text), e (error)
      return c.value;
  }
}

/** Only the shared strings the rows use, scanning no further than the highest of them. */
async function sharedStrings(zip: Zip, e: yauzl.Entry | undefined, wanted: Set<number>, limits: ReadLimits): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (wanted.size === 0 || !e) return out;
  const last = Math.max(...wanted);
  let index = -1;
  let inText = false;
  let inPhonetic = false;
  let current = '';
  await parseEntry(zip, e, limits, (p) => {
    p.on('opentag', (t) => {
      if (t.name === 'si') {
        index += 1;
        current = '';
        if (index > limits.maxSharedStrings) throw new TabularLimitError('shared strings');
      } else if (t.name === 't') inText = !inPhonetic;
      // Phonetic runs (furigana) are not part of the text.
      else if (t.name === 'rPh') inPhonetic = true;
    });
    p.on('text', (text) => {
      if (inText && wanted.has(index) && current.length < limits.maxCellChars) current += text.slice(0, limits.maxCellChars - current.length);
    });
    p.on('closetag', (t) => {
      if (t.name === 't') inText = false;
      else if (t.name === 'rPh') inPhonetic = false;
      else if (t.name === 'si') {
        if (wanted.has(index)) out.set(index, current);
        if (index >= last) throw new Enough();
      }
    });
  });
  return out;
}
