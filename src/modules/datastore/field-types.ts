import { BOOL, classify, DATE, DATETIME, lastCanonical, NUM_EN, NUM_VN, WHOLE_EN, WHOLE_VN, ZONED } from './ingest/classify.js';
import { canonicalBoolean, canonicalNumber, EN, VN } from './ingest/values.js';
import type { LoadedField } from './ingest/write-table.js';

/** A CKAN field type (datastore_create `fields[].type`) → the field as stored. */
const CKAN_TYPES: Record<string, Pick<LoadedField, 'type' | 'pgType'> & { zoned?: boolean }> = {
  text: { type: 'string', pgType: 'text' },
  string: { type: 'string', pgType: 'text' },
  varchar: { type: 'string', pgType: 'text' },
  int: { type: 'integer', pgType: 'bigint' },
  int2: { type: 'integer', pgType: 'bigint' },
  int4: { type: 'integer', pgType: 'bigint' },
  int8: { type: 'integer', pgType: 'bigint' },
  integer: { type: 'integer', pgType: 'bigint' },
  bigint: { type: 'integer', pgType: 'bigint' },
  float: { type: 'number', pgType: 'float8' },
  float4: { type: 'number', pgType: 'float8' },
  float8: { type: 'number', pgType: 'float8' },
  double: { type: 'number', pgType: 'float8' },
  numeric: { type: 'number', pgType: 'numeric' },
  number: { type: 'number', pgType: 'numeric' },
  decimal: { type: 'number', pgType: 'numeric' },
  bool: { type: 'boolean', pgType: 'boolean' },
  boolean: { type: 'boolean', pgType: 'boolean' },
  date: { type: 'date', pgType: 'date' },
  time: { type: 'time', pgType: 'time' },
  timestamp: { type: 'datetime', pgType: 'timestamp', zoned: false },
  datetime: { type: 'datetime', pgType: 'timestamp', zoned: false },
  timestamptz: { type: 'datetime', pgType: 'timestamptz', zoned: true },
  json: { type: 'object', pgType: 'jsonb' },
  jsonb: { type: 'object', pgType: 'jsonb' },
  object: { type: 'object', pgType: 'jsonb' },
  _text: { type: 'array', pgType: 'text[]' },
  'text[]': { type: 'array', pgType: 'text[]' },
  _int: { type: 'array', pgType: 'bigint[]' },
  _int4: { type: 'array', pgType: 'bigint[]' },
  _int8: { type: 'array', pgType: 'bigint[]' },
  'int[]': { type: 'array', pgType: 'bigint[]' },
  _numeric: { type: 'array', pgType: 'numeric[]' },
  'numeric[]': { type: 'array', pgType: 'numeric[]' },
};

export const ckanFieldType = (name: string) => CKAN_TYPES[name.trim().toLowerCase()];
export const CKAN_TYPE_NAMES = Object.keys(CKAN_TYPES);

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(\.\d{1,6})?)?$/;

/**
 * A pushed JSON value as PostgreSQL input text for the field, or undefined when it does not fit:
 * numbers as JSON numbers or text in either style (1.234,5 or 1,234.5, when unambiguous), dates
 * dd/mm/yyyy or ISO, booleans, JSON for json fields, arrays for array fields. The one rule for
 * datastore_create records, datastore_upsert and the push API.
 */
export function fieldInput(f: LoadedField, v: unknown): string | null | undefined {
  if (v === null || v === undefined || v === '') return null;
  switch (f.pgType) {
    case 'jsonb':
      return JSON.stringify(v);
    case 'text':
      return typeof v === 'object' ? JSON.stringify(v) : String(v).normalize('NFC');
    case 'text[]':
    case 'bigint[]':
    case 'numeric[]': {
      if (!Array.isArray(v)) return undefined;
      const inner = { ...f, pgType: f.pgType.slice(0, -2) };
      const parts = v.map((x) => fieldInput(inner, x));
      if (parts.some((p) => p === undefined)) return undefined;
      return `{${parts.map((p) => (p === null ? 'NULL' : `"${p!.replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;
    }
  }
  if (typeof v === 'object') return undefined;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return undefined;
    if (f.pgType === 'bigint') return Number.isInteger(v) ? String(v) : undefined;
    return f.pgType === 'numeric' || f.pgType === 'float8' ? String(v) : undefined;
  }
  if (typeof v === 'boolean') return f.pgType === 'boolean' ? (v ? 't' : 'f') : undefined;
  const s = String(v).trim();
  const bits = classify(s);
  switch (f.pgType) {
    case 'bigint':
    case 'numeric':
    case 'float8': {
      const whole = f.pgType === 'bigint';
      const en = bits & (whole ? WHOLE_EN : NUM_EN);
      const vn = bits & (whole ? WHOLE_VN : NUM_VN);
      // Text that reads differently in the two styles ("1.234") is refused rather than guessed.
      if (en && vn) return canonicalNumber(s, EN) === canonicalNumber(s, VN) ? canonicalNumber(s, EN) : undefined;
      return en ? canonicalNumber(s, EN) : vn ? canonicalNumber(s, VN) : undefined;
    }
    case 'boolean':
      return bits & BOOL ? canonicalBoolean(s)! : undefined;
    case 'date':
      return bits & DATE ? lastCanonical.text : undefined;
    case 'timestamp':
      if (bits & DATETIME && !(bits & ZONED)) return lastCanonical.text;
      return bits & DATE ? `${lastCanonical.text} 00:00:00` : undefined;
    case 'timestamptz':
      return bits & DATETIME && bits & ZONED ? lastCanonical.text : undefined;
    case 'time':
      return TIME.test(s) ? s : undefined;
    default:
      return undefined;
  }
}
