import { validation } from './errors.js';

/** An action's input: JSON body, form fields or query-string values (strings; repeated keys → lists). */
export type Params = Record<string, unknown>;

const INVALID_INT = 'Invalid integer';
const NOT_NEGATIVE = 'Must be a natural number';

/** Query-string or form values as CKAN's `mixed()` leaves them. */
export function mixed(src: Record<string, unknown> | undefined | null): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(src ?? {})) out[k] = Array.isArray(v) && v.length === 1 ? v[0] : v;
  return out;
}

/**
 * Old clients POST a JSON document as a form (`Content-Type: application/x-www-form-urlencoded`):
 * the whole body becomes one key with an empty value. CKAN accepts it; so do we.
 */
export function formOrJson(form: Params): Params {
  const keys = Object.keys(form);
  if (keys.length === 1 && (form[keys[0]!] === '' || form[keys[0]!] === '1') && keys[0]!.trim().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(keys[0]!);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Params;
    } catch {
      /* not JSON: an ordinary form */
    }
  }
  return form;
}

const present = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

export function str(p: Params, key: string): string | undefined {
  const v = p[key];
  if (!present(v)) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw validation(key, 'Must be a string');
}

export function required(p: Params, ...keys: string[]): string {
  for (const k of keys) {
    const v = str(p, k);
    if (v !== undefined) return v;
  }
  throw validation(keys[0]!, 'Missing value');
}

export function int(p: Params, key: string, def: number, opts: { min?: number; max?: number; clamp?: boolean } = {}): number {
  const v = p[key];
  if (!present(v)) return def;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw validation(key, INVALID_INT);
  if (opts.min !== undefined && n < opts.min) {
    if (opts.min === 0 || opts.min === -1) throw validation(key, NOT_NEGATIVE);
    throw validation(key, `Must be at least ${opts.min}`);
  }
  if (opts.max !== undefined && n > opts.max) return opts.max;
  return n;
}

export function bool(p: Params, key: string, def: boolean): boolean {
  const v = p[key];
  if (!present(v)) return def;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (['true', '1', 'yes', 'on', 't', 'y'].includes(s)) return true;
    if (['false', '0', 'no', 'off', 'f', 'n'].includes(s)) return false;
  }
  throw validation(key, 'Must be a boolean');
}

/** JSON-looking strings (`'["tags"]'`) are parsed; other strings are taken as they are. */
export function json(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const s = v.trim();
  if (!(s.startsWith('[') || s.startsWith('{'))) return v;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return v;
  }
}

/** A list of strings: a JSON list, a repeated key, or (with `split`) a comma/space separated string. */
export function list(p: Params, key: string, opts: { split?: RegExp } = {}): string[] | undefined {
  const raw = json(p[key]);
  if (!present(raw)) return undefined;
  if (Array.isArray(raw)) {
    if (!raw.every((x) => typeof x === 'string' || typeof x === 'number')) throw validation(key, 'Must be a list of strings');
    return raw.map(String);
  }
  if (typeof raw === 'string') return opts.split ? raw.split(opts.split).filter(Boolean) : [raw];
  throw validation(key, 'Must be a list of strings');
}
