import type { DatasetFull } from '../full.js';
import { licenseById } from '../licenses.js';
import type { GroupRow, ResourceRow } from '../tables.js';

/**
 * CKAN 2.x dictionaries (package, resource, organization, group, tag) for the Action API.
 * Key sets follow what CKAN's package_show returns, plus Tỉnh Số's own fields as top-level keys.
 */

/** CKAN's timestamp form: ISO 8601 in UTC without a zone, microseconds. */
export function ckanDate(d: Date | string | null | undefined): string | null {
  if (d === null || d === undefined) return null;
  const date = d instanceof Date ? d : new Date(d);
  if (Number.isNaN(date.getTime())) return null;
  return `${date.toISOString().slice(0, 23)}000`;
}

/** An organization as far as the presenters need it (the organizations module's row or brief). */
export interface OrgFacts {
  id: string;
  slug: string;
  name: string;
  name_en?: string | null;
  kind?: string;
  description?: string | null;
  created_at?: Date;
}

export function organizationDict(o: OrgFacts) {
  return {
    id: o.id,
    name: o.slug,
    title: o.name,
    display_name: o.name,
    description: o.description ?? '',
    image_url: '',
    created: ckanDate(o.created_at ?? null),
    is_organization: true,
    approval_status: 'approved',
    state: 'active',
    type: 'organization',
    revision_id: null,
    title_en: o.name_en ?? null,
    kind: o.kind ?? null,
  };
}

export function groupDict(g: GroupRow) {
  return {
    id: g.id,
    name: g.name,
    title: g.title,
    display_name: g.title,
    description: g.description ?? '',
    image_url: g.image_url ?? '',
    image_display_url: g.image_url ?? '',
    created: ckanDate(g.created_at),
    is_organization: false,
    approval_status: 'approved',
    state: 'active',
    type: 'group',
    title_en: g.title_en,
    description_en: g.description_en,
  };
}

export const tagDict = (t: { id: string; name: string }) => ({ id: t.id, name: t.name, display_name: t.name, state: 'active', vocabulary_id: null });

/** The public URL of an uploaded file; `filename` is what the resource stores in `url`. */
export const downloadUrl = (baseUrl: string, datasetId: string, resourceId: string, filename: string): string =>
  `${baseUrl}/dataset/${datasetId}/resource/${resourceId}/download/${encodeURIComponent(filename)}`;

/**
 * A table written through the datastore API (url_type "datastore", no file of its own) is reached
 * at its dump, as CKAN gives it: `/datastore/dump/{id}` (CSV of the whole table), so that portals
 * harvesting ours can mirror it.
 */
export const datastoreDumpUrl = (baseUrl: string, resourceId: string): string => `${baseUrl}/datastore/dump/${resourceId}`;

/**
 * The stored filename of an upload: the last path segment of its url, as stored (CKAN keeps only
 * the name; our own download URLs are decoded once when they come in, never again here, so a name
 * such as `%2e%2e%2fx.csv` stays that name).
 */
export function uploadFilename(r: Pick<ResourceRow, 'url' | 'name' | 'id'>): string {
  const last = (r.url || '').split('?')[0]!.split('/').pop() ?? '';
  return last || r.name || r.id;
}

export function resourceDict(r: ResourceRow, baseUrl: string) {
  const upload = r.url_type === 'upload';
  return {
    cache_last_updated: null,
    cache_url: null,
    created: ckanDate(r.created),
    datastore_active: r.datastore_active,
    description: r.description ?? '',
    format: r.format ?? '',
    hash: r.hash ?? '',
    id: r.id,
    last_modified: ckanDate(r.last_modified),
    mimetype: r.mimetype,
    mimetype_inner: null,
    name: r.name ?? '',
    package_id: r.dataset_id,
    position: r.position,
    resource_type: null,
    revision_id: null,
    size: r.size === null ? null : Number(r.size),
    state: r.state,
    url: upload ? downloadUrl(baseUrl, r.dataset_id, r.id, uploadFilename(r)) : r.url_type === 'datastore' && !r.url ? datastoreDumpUrl(baseUrl, r.id) : r.url,
    url_type: r.url_type,
  };
}

export type PackageDict = ReturnType<typeof packageDict>;

/**
 * The full CKAN package dictionary. `org` may carry more than the brief `DatasetFull.org`
 * (description, creation time) when the caller has it.
 */
export function packageDict(full: DatasetFull, baseUrl: string, org?: OrgFacts) {
  const d = full.dataset;
  const license = licenseById(d.license_id);
  const o = org ?? full.org;
  const s = d.shared_db;
  return {
    author: d.author ?? '',
    author_email: d.author_email ?? '',
    creator_user_id: d.creator_user_id,
    extras: d.extras.map((e) => ({ key: e.key, value: e.value })),
    groups: full.groups.map((g) => ({
      id: g.id,
      name: g.name,
      title: g.title,
      display_name: g.title,
      description: g.description ?? '',
      image_display_url: g.image_url ?? '',
    })),
    id: d.id,
    isopen: license?.is_okd_compliant ?? false,
    license_id: d.license_id ?? '',
    license_title: license?.title ?? d.license_id ?? '',
    license_url: license?.url ?? '',
    maintainer: d.maintainer ?? '',
    maintainer_email: d.maintainer_email ?? '',
    metadata_created: ckanDate(d.metadata_created),
    metadata_modified: ckanDate(d.metadata_modified),
    name: d.name,
    notes: d.notes ?? '',
    num_resources: full.resources.length,
    num_tags: full.tags.length,
    organization: o ? organizationDict(o) : null,
    owner_org: d.owner_org,
    private: d.access_level !== 'public',
    relationships_as_object: [],
    relationships_as_subject: [],
    resources: full.resources.map((r) => resourceDict(r, baseUrl)),
    revision_id: null,
    state: d.state,
    tags: full.tags.map(tagDict),
    title: d.title,
    type: d.type,
    url: d.url ?? '',
    version: d.version ?? '',
    // Tỉnh Số's own fields.
    title_en: d.title_en,
    notes_en: d.notes_en,
    access_level: d.access_level,
    restricted_orgs: d.restricted_orgs,
    restricted_kinds: d.restricted_kinds,
    spatial_codes: d.spatial_codes,
    bbox: d.bbox,
    temporal_start: d.temporal_start,
    temporal_end: d.temporal_end,
    update_frequency: d.update_frequency,
    contact_name: d.contact_name,
    contact_email: d.contact_email,
    shared_db: s
      ? {
          managing_org: s.managingOrgId,
          legal_basis: s.legalBasis,
          data_owner: s.dataOwner,
          update_frequency: s.updateFrequency ?? null,
          sharing_methods: s.sharingMethods,
          allowed_orgs: s.allowedOrgIds,
          allowed_kinds: s.allowedKinds,
        }
      : null,
    num_views: Number(d.view_count),
    ...(d.harvest_source_id ? { harvest_source_id: d.harvest_source_id, harvest_url: d.harvest_url } : {}),
  };
}

/** `fl`: only the named keys; `extras_<key>` reads an extra. */
export function pickFields(dict: PackageDict, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const rec = dict as unknown as Record<string, unknown>;
  for (const f of fields) {
    if (f in rec) out[f] = rec[f];
    else if (f.startsWith('extras_')) {
      const e = dict.extras.find((x) => x.key === f.slice(7));
      if (e) out[f] = e.value;
    }
  }
  return out;
}
