import type { DatasetInput, ResourceInput } from '../input.js';
import type { AccessLevel, DatasetState, Extra } from '../tables.js';
import { validation } from './errors.js';
import { bool, json, list, type Params } from './params.js';

const STRING_FIELDS = [
  'name',
  'title',
  'title_en',
  'notes',
  'notes_en',
  'url',
  'version',
  'owner_org',
  'license_id',
  'author',
  'author_email',
  'maintainer',
  'maintainer_email',
  'temporal_start',
  'temporal_end',
  'update_frequency',
  'contact_name',
  'contact_email',
] as const;

const RESOURCE_STRINGS = ['id', 'name', 'description', 'url', 'format', 'mimetype', 'hash', 'url_type'] as const;

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function optString(field: string, v: unknown, nullable = true): string | null | undefined {
  if (v === undefined) return undefined;
  if (v === null) {
    if (nullable) return null;
    throw validation(field, 'Missing value');
  }
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw validation(field, 'Must be a string');
}

function listOf(field: string, v: unknown): unknown[] | undefined {
  const parsed = json(v);
  if (parsed === undefined || parsed === null || parsed === '') return parsed === undefined ? undefined : [];
  if (!Array.isArray(parsed)) throw validation(field, 'Must be a list');
  return parsed;
}

/** A resource as clients send it; our own download URLs shrink back to the stored filename. */
export function toResourceInput(r: Record<string, unknown>, field: string, baseUrl: string): ResourceInput {
  const out: ResourceInput = {};
  const key = (k: string) => (field ? `${field}.${k}` : k);
  for (const k of RESOURCE_STRINGS) {
    const v = optString(key(k), r[k]);
    if (k === 'id') {
      if (v) out.id = v;
    } else if (v !== undefined) out[k] = v;
  }
  if (r.size !== undefined && r.size !== null && r.size !== '') {
    const n = Number(r.size);
    if (!Number.isInteger(n) || n < 0) throw validation(key('size'), 'Invalid integer');
    out.size = n;
  } else if (r.size !== undefined) out.size = null;
  const prefix = `${baseUrl}/dataset/`;
  if (out.url?.startsWith(prefix) && out.url.includes('/download/')) {
    out.url = decodeURIComponent(out.url.split('/download/').pop()!);
    out.url_type = 'upload';
  }
  return out;
}

/** The CKAN package dictionary (JSON or form) → the catalog service's input, with types checked. */
export function toDatasetInput(p: Params, baseUrl: string): DatasetInput {
  const out: DatasetInput = {};
  const set = <K extends keyof DatasetInput>(k: K, v: DatasetInput[K] | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  for (const k of STRING_FIELDS) set(k, optString(k, p[k], k !== 'name' && k !== 'title' && k !== 'owner_org') as never);
  if (p.state !== undefined && p.state !== null && p.state !== '') {
    if (p.state !== 'active' && p.state !== 'draft') throw validation('state', 'Must be "active" or "draft"');
    out.state = p.state as DatasetState;
  }
  if (p.private !== undefined && p.private !== null && p.private !== '') out.private = bool(p, 'private', false);
  if (p.access_level !== undefined && p.access_level !== null && p.access_level !== '')
    out.access_level = optString('access_level', p.access_level) as AccessLevel;
  for (const k of ['restricted_orgs', 'restricted_kinds', 'spatial_codes'] as const) {
    if (p[k] === null || p[k] === '') set(k, []);
    else set(k, list(p, k));
  }
  const tags = listOf('tags', p.tags);
  if (tags) {
    out.tags = tags.map((t) => {
      if (typeof t === 'string') return t;
      if (isObj(t) && typeof t.name === 'string') return { name: t.name };
      throw validation('tags', 'Each tag must be a string or {"name": ...}');
    });
  } else if (typeof p.tag_string === 'string') {
    out.tags = p.tag_string
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
  const groups = listOf('groups', p.groups);
  if (groups) {
    out.groups = groups.map((g) => {
      if (typeof g === 'string') return { name: g };
      if (isObj(g) && (typeof g.id === 'string' || typeof g.name === 'string')) return typeof g.id === 'string' ? { id: g.id } : { name: g.name as string };
      throw validation('groups', 'Each group must be {"name": ...} or {"id": ...}');
    });
  }
  const extras = listOf('extras', p.extras);
  if (extras) {
    out.extras = extras.map((e): Extra => {
      if (!isObj(e) || typeof e.key !== 'string' || e.key === '') throw validation('extras', 'Each extra must be {"key": ..., "value": ...}');
      return { key: e.key, value: typeof e.value === 'string' ? e.value : JSON.stringify(e.value ?? '') };
    });
  }
  const resources = listOf('resources', p.resources);
  if (resources) {
    out.resources = resources.map((r, i) => {
      if (!isObj(r)) throw validation('resources', 'Each resource must be an object');
      return toResourceInput(r, `resources.${i}`, baseUrl);
    });
  }
  const bbox = json(p.bbox);
  if (bbox === null || bbox === '') out.bbox = null;
  else if (bbox !== undefined) {
    if (!Array.isArray(bbox) || !bbox.every((x) => typeof x === 'number' || (typeof x === 'string' && x.trim() !== '' && Number.isFinite(Number(x)))))
      throw validation('bbox', 'Must be a list of four numbers');
    out.bbox = bbox.map(Number);
  }
  const shared = json(p.shared_db);
  if (shared === null || shared === '') out.shared_db = null;
  else if (shared !== undefined) {
    if (!isObj(shared)) throw validation('shared_db', 'Must be an object');
    const listField = (k: string) => {
      const v = shared[k];
      if (v === undefined || v === null) return undefined;
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw validation(`shared_db.${k}`, 'Must be a list of strings');
      return v as string[];
    };
    const strField = (k: string) => optString(`shared_db.${k}`, shared[k]);
    out.shared_db = {
      legal_basis: strField('legal_basis') ?? '',
      data_owner: strField('data_owner') ?? '',
      sharing_methods: listField('sharing_methods') ?? [],
      ...(strField('managing_org') ? { managing_org: strField('managing_org')! } : {}),
      ...(strField('update_frequency') !== undefined ? { update_frequency: strField('update_frequency') ?? null } : {}),
      ...(listField('allowed_orgs') ? { allowed_orgs: listField('allowed_orgs')! } : {}),
      ...(listField('allowed_kinds') ? { allowed_kinds: listField('allowed_kinds')! } : {}),
    };
  }
  return out;
}
