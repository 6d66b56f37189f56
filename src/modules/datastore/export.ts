import { PassThrough, Transform, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Db } from '../../platform/db/index.js';
import { foldVi } from '../../platform/text/index.js';
import { ident } from './ingest/names.js';
import type { LoadedField } from './ingest/write-table.js';
import type { TableQueries } from './query.js';

export type ExportFormat = 'csv' | 'json' | 'jsonl' | 'geojson' | 'xlsx';

export const EXPORT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
  geojson: 'application/geo+json; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Rows per sheet of an XLSX export (Excel's limit is 1,048,576 with the header). */
const SHEET_ROWS = 1_000_000;
const LAT = /^(vi_do|vido|lat|latitude|y)$/i;
const LON = /^(kinh_do|kinhdo|lon|lng|long|longitude|x)$/i;

/** Where a table's points are: a GeoJSON geometry column, or latitude and longitude columns; null when it has none. */
export function geometryOf(fields: LoadedField[]): { geometry: string } | { lat: string; lon: string } | null {
  const geo = fields.find((f) => f.pgType === 'jsonb' && /^(geometry|geom|hinh_hoc)$/i.test(f.id));
  if (geo) return { geometry: geo.id };
  // "Vĩ độ", "vi_do", "Latitude": compared without accents, spaces as underscores.
  const key = (id: string) =>
    foldVi(id)
      .toLowerCase()
      .trim()
      .replace(/[\s-]+/g, '_');
  const num = (re: RegExp) => fields.find((f) => re.test(key(f.id)) && ['numeric', 'float8', 'bigint'].includes(f.pgType));
  const lat = num(LAT);
  const lon = num(LON);
  return lat && lon ? { lat: lat.id, lon: lon.id } : null;
}

/**
 * One JSON text per row from PostgreSQL, as COPY streams it: CSV format with a quote and a
 * delimiter that JSON never holds raw (control characters are always escaped in JSON text), so
 * the lines arrive unquoted and unescaped.
 */
function jsonLines(client: pg.PoolClient, select: string): Readable {
  return client.query(copyTo(`copy (${select}) to stdout with (format csv, quote e'\\x01', delimiter e'\\x02')`));
}

/** Lines → a JSON array (or a FeatureCollection), written as they come. */
function wrap(open: string, close: string): Transform {
  let first = true;
  let carry = '';
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const text = carry + chunk.toString('utf8');
      const lines = text.split('\n');
      carry = lines.pop()!;
      let out = '';
      for (const line of lines) {
        if (!line) continue;
        out += (first ? open : ',\n') + line;
        first = false;
      }
      done(null, out);
    },
    flush(done) {
      let out = carry ? (first ? open : ',\n') + carry : '';
      if (carry) first = false;
      out += first ? `${open}${close}` : close;
      done(null, out);
    },
  });
}

/**
 * A streamed export of the rows the reader may see (row-level sharing applies: the select comes
 * from `queries`), in _id order: CSV through COPY; JSON, JSON Lines and GeoJSON as JSON built by
 * PostgreSQL and streamed through COPY; XLSX written by exceljs's streaming writer from keyset
 * pages. Resolves to the stream and a completion promise (the caller keeps the connection until it settles).
 */
export async function exportStream(
  db: Db,
  client: pg.PoolClient,
  queries: TableQueries,
  format: ExportFormat,
  sheetName: string,
): Promise<{ stream: Readable; done: Promise<void> }> {
  const select = queries.exportSelect();
  if (format === 'csv') {
    const stream = client.query(copyTo(`copy (${select}) to stdout with (format csv, header true)`));
    return { stream, done: ended(stream) };
  }
  if (format === 'json' || format === 'jsonl') {
    const src = jsonLines(client, `select row_to_json(q)::text from (${select}) q`);
    const stream = format === 'jsonl' ? src : src.pipe(wrap('[\n', '\n]\n'));
    return { stream, done: ended(src) };
  }
  if (format === 'geojson') {
    const g = geometryOf(queries.fields);
    const geometry = !g
      ? 'null'
      : 'geometry' in g
        ? `q.${ident(g.geometry)}`
        : `case when q.${ident(g.lat)} is null or q.${ident(g.lon)} is null then null else json_build_object('type', 'Point', 'coordinates', json_build_array(q.${ident(g.lon)}::float8, q.${ident(g.lat)}::float8)) end`;
    const drop = g && 'geometry' in g ? ` - '${g.geometry.replaceAll("'", "''")}'` : '';
    const src = jsonLines(
      client,
      `select json_build_object('type', 'Feature', 'geometry', ${geometry}, 'properties', to_jsonb(q)${drop})::text from (${select}) q`,
    );
    return { stream: src.pipe(wrap('{"type":"FeatureCollection","features":[\n', '\n]}\n')), done: ended(src) };
  }
  const out = new PassThrough();
  const done = writeXlsx(db, queries, out, sheetName);
  return { stream: out, done };
}

const ended = (s: Readable) =>
  new Promise<void>((resolve, reject) => {
    s.once('end', resolve);
    s.once('close', resolve);
    s.once('error', reject);
  });

/** XLSX, streamed: the header row (field titles) then the rows, a new sheet every million rows. */
async function writeXlsx(db: Db, queries: TableQueries, out: PassThrough, name: string): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const fields = queries.fields;
  const safe = name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 28) || 'Sheet';
  let ws: ExcelJS.Worksheet | undefined;
  let inSheet = 0;
  let sheets = 0;
  let after = 0;
  try {
    for (;;) {
      const page = await queries.search(db, { filters: [], limit: 5000, offset: 0, afterId: after, includeTotal: false });
      if (!ws || (inSheet >= SHEET_ROWS && page.records.length)) {
        ws?.commit();
        sheets++;
        ws = wb.addWorksheet(sheets === 1 ? safe : `${safe} ${sheets}`);
        ws.addRow(fields.map((f) => f.title)).commit();
        inSheet = 0;
      }
      for (const r of page.records) {
        ws.addRow(fields.map((f) => (r[f.id] !== null && typeof r[f.id] === 'object' ? JSON.stringify(r[f.id]) : r[f.id]))).commit();
        inSheet++;
      }
      if (page.records.length < 5000) break;
      after = Number(page.records.at(-1)!._id);
    }
    ws.commit();
    await wb.commit();
  } catch (e) {
    out.destroy(e as Error);
    throw e;
  }
}
