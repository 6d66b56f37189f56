import { PassThrough, type Readable } from 'node:stream';
import { JSONParser } from '@streamparser/json';
import { badRequest } from '../../platform/http/index.js';

/**
 * A declarative mapping of a sector system's JSON answer to table rows: `records` is the dotted
 * path of the array of records ("data.items"; empty: the answer is the array), and each column
 * takes the value at a dotted path inside a record ("station.code", "values.pm25").
 */
export interface FieldMapping {
  records?: string;
  fields: Record<string, string>;
}

const PATH = /^[\p{L}\p{N}_$@-]+(\.[\p{L}\p{N}_$@-]+)*$/u;

/** The mapping checked (one validation path for the API and the CLI); a bad path is a 400 naming it. */
export function checkMapping(m: unknown): FieldMapping {
  const bad = (field: string, en: string, vi: string) => badRequest('datastore_mapping', { vi, en }, field);
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw bad('mapping', 'Must be an object {records, fields}.', 'Phải là đối tượng {records, fields}.');
  const { records, fields } = m as { records?: unknown; fields?: unknown };
  if (records !== undefined && records !== '' && (typeof records !== 'string' || !PATH.test(records)))
    throw bad('mapping.records', 'A dotted path such as data.items.', 'Đường dẫn dạng data.items.');
  if (!fields || typeof fields !== 'object' || Array.isArray(fields) || !Object.keys(fields).length)
    throw bad('mapping.fields', 'An object of column: path, at least one.', 'Cần ít nhất một cột: đường dẫn.');
  for (const [col, path] of Object.entries(fields as Record<string, unknown>)) {
    if (!col.trim() || col.startsWith('_')) throw bad(`mapping.fields.${col}`, 'Not a valid column name.', 'Tên cột không hợp lệ.');
    if (typeof path !== 'string' || !PATH.test(path)) throw bad(`mapping.fields.${col}`, 'A dotted path such as values.pm25.', 'Đường dẫn dạng values.pm25.');
  }
  return { ...(records ? { records: records as string } : {}), fields: fields as Record<string, string> };
}

function at(value: unknown, path: string): unknown {
  let v = value;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return null;
    v = (v as Record<string, unknown>)[key];
  }
  return v ?? null;
}

/**
 * The answer streamed through the mapping into JSON Lines (one object per record, the columns in
 * the mapping's order): the parser emits the records one by one, so a large answer never sits in
 * memory whole.
 */
export function mapToJsonLines(source: Readable, mapping: FieldMapping): Readable {
  const out = new PassThrough();
  const parser = new JSONParser({ paths: [mapping.records ? `$.${mapping.records}.*` : '$.*'], keepStack: false });
  const columns = Object.entries(mapping.fields);
  parser.onValue = ({ value }) => {
    const row = Object.fromEntries(columns.map(([col, path]) => [col, at(value, path)]));
    out.write(`${JSON.stringify(row)}\n`);
  };
  parser.onError = (e) => out.destroy(new Error(`JSON không hợp lệ / Invalid JSON: ${e.message}`));
  source.on('data', (c: Buffer) => {
    if (!parser.isEnded) parser.write(c);
    // Back-pressure: the stored copy is written no faster than the store takes it.
    if (out.writableNeedDrain) {
      source.pause();
      out.once('drain', () => source.resume());
    }
  });
  source.on('end', () => {
    if (!parser.isEnded) parser.end();
    out.end();
  });
  source.on('error', (e) => out.destroy(e));
  return out;
}
