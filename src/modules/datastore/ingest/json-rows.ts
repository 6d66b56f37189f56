import { JSONParser } from '@streamparser/json';
import { readHead } from '../../../platform/tabular/index.js';
import type { LoadSource } from './delimited.js';
import { MAX_JSON_DEPTH, tooDeep } from './json-depth.js';
import type { TableRows } from './write-table.js';

export type JsonShape = 'array' | 'lines' | 'geojson' | 'records' | 'result-records' | 'data';

/** A JSON file that is not a table: the message says why (and where). */
export class JsonSourceError extends Error {}

const PATHS: Record<JsonShape, string[] | undefined> = {
  array: ['$.*'],
  lines: ['$'],
  geojson: ['$.features.*'],
  records: ['$.records.*'],
  'result-records': ['$.result.records.*'],
  data: ['$.data.*'],
};

/** Where the rows are, from the head of the file: a top-level array, JSON Lines, a GeoJSON FeatureCollection, or a {records|data: […]} wrapper (CKAN's datastore_search answer too). */
export function jsonShape(head: string, declared: string): JsonShape {
  const t = head.replace(/^\uFEFF/, '').trimStart();
  if (declared === 'JSONL' || declared === 'NDJSON') return 'lines';
  if (t.startsWith('[')) return 'array';
  if (/^\{[^\n]*\}\s*\n\s*\{/.test(t)) return 'lines';
  if (declared === 'GEOJSON' || /"type"\s*:\s*"FeatureCollection"/.test(t) || /"features"\s*:\s*\[/.test(t)) return 'geojson';
  if (/"result"\s*:\s*\{/.test(t) && /"records"\s*:/.test(t)) return 'result-records';
  if (/"records"\s*:\s*\[/.test(t)) return 'records';
  if (/"data"\s*:\s*\[/.test(t)) return 'data';
  return 'lines';
}

const cell = (v: unknown): string =>
  v === null || v === undefined ? '' : typeof v === 'string' ? v.normalize('NFC') : typeof v === 'object' ? JSON.stringify(v) : String(v);

/** One emitted value as a flat record: a feature's properties plus its geometry, or the object itself. */
function recordOf(value: unknown, shape: JsonShape, index: number): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new JsonSourceError(`Phần tử ${index + 1} không phải đối tượng JSON / Item ${index + 1} is not a JSON object`);
  if (tooDeep(value))
    throw new JsonSourceError(`Phần tử ${index + 1} lồng quá ${MAX_JSON_DEPTH} cấp / Item ${index + 1} nests deeper than ${MAX_JSON_DEPTH} levels`);
  if (shape !== 'geojson') return value as Record<string, unknown>;
  const f = value as { properties?: Record<string, unknown> | null; geometry?: unknown; id?: unknown };
  return { ...(f.id !== undefined ? { id: f.id } : {}), ...(f.properties ?? {}), geometry: f.geometry ?? null };
}

/** Streams the file's records, a batch at a time (the parser is fed chunk by chunk, so memory stays flat). */
async function* records(source: LoadSource, shape: JsonShape, onBytes: (n: number) => void): AsyncGenerator<Record<string, unknown>[]> {
  const parser = new JSONParser({ paths: PATHS[shape]!, keepStack: false, ...(shape === 'lines' ? { separator: '' } : {}) });
  let batch: Record<string, unknown>[] = [];
  let index = 0;
  let failure: Error | undefined;
  parser.onValue = ({ value }) => {
    try {
      batch.push(recordOf(value, shape, index++));
    } catch (e) {
      failure = e as Error;
    }
  };
  parser.onError = (e) => (failure ??= new JsonSourceError(`JSON không hợp lệ sau phần tử ${index} / Invalid JSON after item ${index}: ${e.message}`));
  const stream = source.open();
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      onBytes(chunk.length);
      if (!parser.isEnded) parser.write(chunk);
      if (failure) throw failure;
      if (batch.length >= 2000) {
        yield batch;
        batch = [];
      }
    }
    if (!parser.isEnded) parser.end();
    if (failure) throw failure;
    if (batch.length) yield batch;
  } finally {
    stream.destroy();
  }
}

/**
 * A JSON file (an array of objects, JSON Lines, GeoJSON, or a records/data wrapper) as one table's
 * rows. Columns are the keys in order of first appearance, found in a first streaming pass;
 * nested values are kept as JSON, and a column of only objects or arrays (GeoJSON geometry)
 * becomes jsonb.
 */
export async function jsonRows(source: LoadSource, format: string): Promise<{ rows: TableRows; shape: JsonShape }> {
  const head = (await readHead(source.open(), 4096)).buf.toString('utf8');
  const shape = jsonShape(head, format.toUpperCase());
  // Per key: a value seen, every value seen an object or array.
  const keys = new Map<string, { seen: boolean; nested: boolean }>();
  let bytes = 0;
  for await (const batch of records(source, shape, () => undefined))
    for (const r of batch)
      for (const [k, v] of Object.entries(r)) {
        const key = keys.get(k) ?? keys.set(k, { seen: false, nested: true }).get(k)!;
        if (v === null || v === undefined) continue;
        key.seen = true;
        key.nested &&= typeof v === 'object';
      }
  const header = [...keys.keys()];
  const json = header.filter((k) => keys.get(k)!.seen && keys.get(k)!.nested);
  const rows: TableRows = {
    name: source.name,
    sha256: source.sha256,
    total: source.size,
    bytes: () => bytes,
    header,
    numbersEn: true,
    jsonColumns: json,
    open: async function* () {
      bytes = 0;
      let n = 0;
      for await (const batch of records(source, shape, (b) => (bytes += b))) {
        const numbers: number[] = [];
        yield { rows: batch.map((r) => (numbers.push(++n), header.map((k) => cell(r[k])))), numbers };
      }
    },
  };
  return { rows, shape };
}
