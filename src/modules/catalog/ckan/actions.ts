import type { FastifyRequest } from 'fastify';
import { actorOf, findUser, type OrgRole, type Principal } from '../../../platform/auth/index.js';
import type { Config } from '../../../platform/config/index.js';
import type { Db } from '../../../platform/db/index.js';
import type { EventBus } from '../../../platform/index.js';
import type { Lang } from '../../../platform/i18n/index.js';
import type { FileStore } from '../../../platform/storage/index.js';
import { foldVi } from '../../../platform/text/index.js';
import {
  createOrganization,
  findOrganization,
  getOrganization,
  listOrganizations,
  organizationsByIds,
  setMember,
  updateOrganization,
  type OrgKind,
  type Organization,
} from '../../organizations/index.js';
import { ANONYMOUS_VIEWER, viewerOf, type Viewer } from '../access.js';
import { type DatasetFull } from '../full.js';
import { findReadable } from '../found.js';
import type { StoredUpload } from '../input.js';
import { LICENSES } from '../licenses.js';
import { groupDict, organizationDict, packageDict, pickFields, resourceDict, uploadFilename, type OrgFacts } from '../presenters/index.js';
import { datasetRepo, groupRepo, tagRepo } from '../repository.js';
import { DEFAULT_SORT, FACET_FIELDS, searchDatasets, searchParams, type SearchParams, type SearchResult } from '../search/index.js';
import { createDataset, createResource, deleteDataset, deleteResource, getDataset, getResource, updateDataset, updateResource } from '../service.js';
import type { GroupRow } from '../tables.js';
import { toDatasetInput, toResourceInput } from './dataset-input.js';
import { accessDenied, CkanError, notFoundError, validation } from './errors.js';
import { bool, int, list, required, str, type Params } from './params.js';

/** What an action handler gets. */
export interface ActionContext {
  db: Db;
  config: Config;
  files: FileStore;
  req: FastifyRequest;
  principal: Principal;
  params: Params;
  lang: Lang;
  /** The file sent in the multipart field `upload`, already stored. */
  upload?: StoredUpload | undefined;
  /** The actions of this app (help_show, status_show read them). */
  actions: CkanActions;
  events: EventBus;
}

export interface CkanAction {
  /** Side-effect free: accepts GET (and POST). Others need POST and a signed-in caller. */
  get: boolean;
  /** Accepts a file in the multipart field `upload`. */
  upload?: boolean;
  /** For help_show. */
  doc: string;
  run(c: ActionContext): Promise<unknown>;
}

/**
 * The actions one app serves, built when the catalog's routes are (never at import time); other
 * modules add theirs (e.g. the DataStore's datastore_*) through `add`. A name taken twice is a boot error.
 */
export class CkanActions {
  private readonly byName = new Map<string, CkanAction>();

  add(name: string, action: CkanAction): this {
    if (this.byName.has(name)) throw new Error(`CKAN action ${name} is registered twice`);
    this.byName.set(name, action);
    return this;
  }

  get(name: string): CkanAction | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }
}

const baseUrl = (c: ActionContext) => c.config.baseUrl;
const viewer = (c: ActionContext): Promise<Viewer> => viewerOf(c.db, c.principal);

// ---------------------------------------------------------------------------------------------
// Package dictionaries

/** Organizations with description and creation time, in one query. */
async function orgFacts(db: Db, ids: string[]): Promise<Map<string, OrgFacts>> {
  return new Map((await organizationsByIds(db, ids)).map((o) => [o.id, o]));
}

async function packageDicts(c: ActionContext, fulls: DatasetFull[]) {
  const orgs = await orgFacts(
    c.db,
    fulls.map((f) => f.dataset.owner_org),
  );
  return fulls.map((f) => packageDict(f, baseUrl(c), orgs.get(f.dataset.owner_org)));
}

async function packageDictOf(c: ActionContext, full: DatasetFull) {
  return (await packageDicts(c, [full]))[0]!;
}

// ---------------------------------------------------------------------------------------------
// package_search

const DEFAULT_FACETS = ['organization', 'groups', 'tags', 'res_format', 'license_id'];
const SEARCH_KEYS = new Set([
  'q',
  'fq',
  'fq_list',
  'rows',
  'start',
  'sort',
  'facet',
  'facet.field',
  'facet.limit',
  'facet.mincount',
  'facet.sort',
  'include_private',
  'include_drafts',
  'include_deleted',
  'fl',
  'qf',
  'defType',
  'mm',
  'df',
  'tie',
  'extras',
  'use_default_schema',
  'lang',
  '_csrf',
]);
/** Search, then the full dictionaries of the page, re-checking the access rule on every dataset. */
async function searchPackages(c: ActionContext, v: Viewer, params: SearchParams): Promise<{ result: SearchResult; fulls: DatasetFull[] }> {
  const { result, datasets } = await findReadable(c.db, v, params);
  return { result, fulls: datasets };
}

async function facetTitles(c: ActionContext, fields: string[]): Promise<Map<string, Map<string, string>>> {
  const out = new Map<string, Map<string, string>>();
  if (fields.includes('organization')) out.set('organization', new Map((await listOrganizations(c.db)).map((o) => [o.slug, o.name])));
  if (fields.includes('groups')) out.set('groups', new Map((await groupRepo.all(c.db)).map((g) => [g.name, g.title])));
  if (fields.includes('license_id')) out.set('license_id', new Map(LICENSES.map((l) => [l.id, l.title])));
  return out;
}

/** Facet names as Solr accepts them, at most 20 (anything else answers a Search Query Error). */
const FACET_NAME = /^[A-Za-z_][A-Za-z0-9_.]{0,63}$/;
const MAX_FACETS = 20;

async function packageSearch(c: ActionContext) {
  const p = c.params;
  const unknown = Object.keys(p).filter((k) => !SEARCH_KEYS.has(k) && !k.startsWith('ext_'));
  if (unknown.length) throw new CkanError('Search Error', `Search error: Invalid search parameters: [${unknown.map((k) => `'${k}'`).join(', ')}]`);
  const fq = [...(Array.isArray(p.fq) ? p.fq.map(String) : [str(p, 'fq') ?? '']), ...(list(p, 'fq_list') ?? [])].filter((s) => s.trim() !== '');
  const facet = bool(p, 'facet', true);
  const requested = facet ? (list(p, 'facet.field') ?? DEFAULT_FACETS) : [];
  if (requested.length > MAX_FACETS || requested.some((f) => !FACET_NAME.test(f)))
    throw new CkanError('Search Query Error', `Search Query is invalid: facet.field must be at most ${MAX_FACETS} field names`, {}, 400);
  const supported = requested.filter((f) => (FACET_FIELDS as readonly string[]).includes(f));
  const fl = list(p, 'fl', { split: /[\s,]+/ });
  const v = await viewer(c);
  const { result, fulls } = await searchPackages(
    c,
    v,
    searchParams({
      q: str(p, 'q') ?? '',
      fq,
      rows: int(p, 'rows', 10, { min: 0, max: 1000 }),
      start: int(p, 'start', 0, { min: 0 }),
      sort: str(p, 'sort') ?? DEFAULT_SORT,
      facetFields: supported,
      facetLimit: int(p, 'facet.limit', 50, { min: -1 }),
      facetMinCount: int(p, 'facet.mincount', 1, { min: 0 }),
      includePrivate: bool(p, 'include_private', false),
      includeDrafts: bool(p, 'include_drafts', false),
    }),
  );
  const dicts = await packageDicts(c, fulls);
  const titles = await facetTitles(c, requested);
  // Keys come from the caller (facet names) and the data (facet values): objects without a
  // prototype, so `__proto__` or `constructor` are plain keys.
  const facets: Record<string, Record<string, number>> = Object.create(null);
  const searchFacets: Record<string, { title: string; items: { name: string; count: number; display_name: string }[] }> = Object.create(null);
  for (const f of requested) {
    const items = result.facets[f] ?? [];
    const counts: Record<string, number> = Object.create(null);
    for (const i of items) counts[i.name] = i.count;
    facets[f] = counts;
    searchFacets[f] = { title: f, items: items.map((i) => ({ name: i.name, display_name: titles.get(f)?.get(i.name) ?? i.name, count: i.count })) };
  }
  return {
    count: result.count,
    sort: result.sort,
    results: fl && !fl.includes('*') ? dicts.map((d) => pickFields(d, fl)) : dicts,
    facets,
    search_facets: searchFacets,
  };
}

// ---------------------------------------------------------------------------------------------
// Organizations and groups

interface Listed {
  name: string;
  title: string;
  package_count?: number;
}

/** CKAN's sort/limit/offset of organization_list and group_list. */
function sortAndPage<T extends Listed>(items: T[], p: Params, allFields: boolean): T[] {
  const sort = (str(p, 'sort') ?? 'title asc').trim();
  const sorts = sort.split(',').map((s) => s.trim().split(/\s+/));
  for (const [field, dir] of sorts) {
    if (!['name', 'title', 'package_count', 'packages'].includes(field ?? '')) throw validation('sort', `Cannot sort by field \`${field}\``);
    if (dir !== undefined && dir !== 'asc' && dir !== 'desc') throw validation('sort', `Invalid sort direction \`${dir}\``);
  }
  const sorted = [...items].sort((a, b) => {
    for (const [field, dir] of sorts) {
      const sign = dir === 'desc' ? -1 : 1;
      const d =
        field === 'package_count' || field === 'packages'
          ? (a.package_count ?? 0) - (b.package_count ?? 0)
          : String(a[field as 'name' | 'title']).localeCompare(String(b[field as 'name' | 'title']), 'vi');
      if (d !== 0) return d * sign;
    }
    return a.name.localeCompare(b.name);
  });
  const max = allFields ? 25 : 1000;
  const limit = int(p, 'limit', max, { min: 0, max });
  const offset = int(p, 'offset', 0, { min: 0 });
  return sorted.slice(offset, offset + limit);
}

async function countByFacet(c: ActionContext, field: 'organization' | 'groups', v: Viewer = ANONYMOUS_VIEWER): Promise<Map<string, number>> {
  const r = await searchDatasets(c.db, v, searchParams({ rows: 0, facetFields: [field], facetLimit: -1 }));
  return new Map((r.facets[field] ?? []).map((i) => [i.name, i.count]));
}

const orgExtras = (o: Organization) => ({
  short_name: o.short_name,
  organ_code: o.organ_code,
  admin_unit_code: o.admin_unit_code,
  parent_id: o.parent_id,
  email: o.email,
  website: o.website,
});

async function organizationList(c: ActionContext) {
  const p = c.params;
  const allFields = bool(p, 'all_fields', false);
  const wanted = list(p, 'organizations', { split: /,/ });
  const sortsByCount = /package_count|packages/.test(str(p, 'sort') ?? '');
  const withCount = (allFields && bool(p, 'include_dataset_count', true)) || sortsByCount;
  const counts = withCount ? await countByFacet(c, 'organization') : new Map<string, number>();
  const q = str(p, 'q');
  const rows = (await listOrganizations(c.db))
    .filter((o) => !wanted || wanted.includes(o.slug) || wanted.includes(o.id))
    .filter((o) => !q || foldVi(`${o.slug} ${o.name} ${o.name_en ?? ''}`).includes(foldVi(q)))
    .map((o) => ({ row: o, name: o.slug, title: o.name, package_count: counts.get(o.slug) ?? 0 }));
  const page = sortAndPage(rows, p, allFields);
  if (!allFields) return page.map((o) => o.name);
  return page.map((o) => ({
    ...organizationDict(o.row),
    ...(withCount ? { package_count: o.package_count } : {}),
    num_followers: 0,
    ...(bool(p, 'include_extras', false) ? { extras: [] } : {}),
    ...orgExtras(o.row),
  }));
}

/** include_datasets: the first 10 datasets the caller may read; package_count: how many. */
async function ownedDatasets(c: ActionContext, fq: string, includeDatasets: boolean) {
  const v = await viewer(c);
  const { result, fulls } = await searchPackages(c, v, searchParams({ fq: [fq], rows: includeDatasets ? 10 : 0, includePrivate: true }));
  return { package_count: result.count, ...(includeDatasets ? { packages: await packageDicts(c, fulls) } : {}) };
}

async function organizationShow(c: ActionContext) {
  const id = required(c.params, 'id', 'name');
  const { org, parents, children } = await getOrganization(c.db, id);
  const includeDatasets = bool(c.params, 'include_datasets', false);
  const counted = bool(c.params, 'include_dataset_count', true) || includeDatasets ? await ownedDatasets(c, `organization:${org.slug}`, includeDatasets) : {};
  return {
    ...organizationDict(org),
    ...orgExtras(org),
    num_followers: 0,
    extras: [],
    groups: parents.slice(-1).map((o) => ({ name: o.slug, title: o.name, capacity: 'public' })),
    children: children.map((o) => ({ id: o.id, name: o.slug, title: o.name })),
    ...counted,
  };
}

async function groupRows(c: ActionContext): Promise<(Listed & { row: GroupRow; package_count: number })[]> {
  const counts = new Map((await groupRepo.publicCounts(c.db)).map((r) => [r.group_id, Number(r.n)]));
  return (await groupRepo.all(c.db)).map((g) => ({ row: g, name: g.name, title: g.title, package_count: counts.get(g.id) ?? 0 }));
}

async function groupList(c: ActionContext) {
  const p = c.params;
  const allFields = bool(p, 'all_fields', false);
  const wanted = list(p, 'groups', { split: /,/ });
  const q = str(p, 'q');
  const rows = (await groupRows(c))
    .filter((g) => !wanted || wanted.includes(g.name) || wanted.includes(g.row.id))
    .filter((g) => !q || foldVi(`${g.name} ${g.title} ${g.row.title_en ?? ''}`).includes(foldVi(q)));
  const page = sortAndPage(rows, p, allFields);
  if (!allFields) return page.map((g) => g.name);
  const withCount = bool(p, 'include_dataset_count', true);
  return page.map((g) => ({ ...groupDict(g.row), ...(withCount ? { package_count: g.package_count } : {}), num_followers: 0 }));
}

async function findGroup(c: ActionContext, id: string): Promise<GroupRow> {
  const g = await groupRepo.find(c.db, id);
  if (!g) throw notFoundError('Group was not found');
  return g;
}

async function groupShow(c: ActionContext) {
  const g = await findGroup(c, required(c.params, 'id', 'name'));
  const includeDatasets = bool(c.params, 'include_datasets', false);
  const counted =
    bool(c.params, 'include_dataset_count', true) || includeDatasets
      ? await ownedDatasets(c, `groups:${g.name}`, includeDatasets)
      : ({} as Record<string, unknown>);
  return { ...groupDict(g), num_followers: 0, extras: [], ...counted };
}

// ---------------------------------------------------------------------------------------------
// Writes

/** CKAN's organization dict (name = slug, title = display name) → the organizations service's input (which checks every field). */
async function orgInput(c: ActionContext) {
  const p = c.params;
  const parent = str(p, 'parent') ?? str(p, 'parent_id');
  let parentId: string | undefined;
  if (parent !== undefined) {
    const found = await findOrganization(c.db, parent);
    if (!found) throw validation('parent', 'Organization not found');
    parentId = found.id;
  }
  return {
    slug: str(p, 'name'),
    name: str(p, 'title'),
    nameEn: str(p, 'title_en'),
    shortName: str(p, 'short_name'),
    organCode: str(p, 'organ_code'),
    kind: str(p, 'kind') as OrgKind | undefined,
    parentId,
    adminUnitCode: str(p, 'admin_unit_code'),
    description: str(p, 'description'),
    email: str(p, 'email'),
    website: str(p, 'website'),
  };
}

function requireSysadmin(c: ActionContext, action: string): void {
  if (!c.principal.user?.isSysadmin) throw accessDenied(`User ${c.principal.user?.email ?? ''} not authorized to ${action.replace('_', ' ')}`);
}

const present = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

async function organizationCreate(c: ActionContext) {
  requireSysadmin(c, 'organization_create');
  const input = await orgInput(c);
  if (!input.slug) throw validation('name', 'Missing value');
  const org = await createOrganization(c.db, c.principal, actorOf(c.req), {
    ...(present(input) as Partial<typeof input>),
    name: input.name ?? input.slug,
    kind: input.kind ?? 'other',
  });
  return { ...organizationDict(org), ...orgExtras(org), package_count: 0, num_followers: 0, extras: [] };
}

async function organizationUpdate(c: ActionContext) {
  requireSysadmin(c, 'organization_update');
  const id = required(c.params, 'id');
  const input = await orgInput(c);
  const org = await updateOrganization(c.db, c.principal, actorOf(c.req), id, present(input), c.events);
  return { ...organizationDict(org), ...orgExtras(org), num_followers: 0, extras: [] };
}

const ROLES: readonly OrgRole[] = ['admin', 'editor', 'member'];

async function userIdOf(c: ActionContext, object: string): Promise<string> {
  const u = await findUser(c.db, object);
  if (!u) throw new CkanError('Not Found Error', 'Not found: User not found', { object: ['User not found'] });
  return u.id;
}

/** Adds (or removes) a dataset to a group: the dataset's editors decide. */
async function setDatasetGroup(c: ActionContext, group: GroupRow, object: string, member: boolean) {
  const full = await getDataset(c.db, c.principal, object);
  const ids = full.groups.map((g) => g.id).filter((id) => id !== group.id);
  const groups = [...ids, ...(member ? [group.id] : [])].map((id) => ({ id }));
  await updateDataset(c.db, c.principal, actorOf(c.req), full.dataset.id, { groups }, 'patch', { events: c.events });
  return full.dataset.id;
}

async function memberCreate(c: ActionContext) {
  const p = c.params;
  const id = required(p, 'id');
  const object = required(p, 'object');
  const objectType = required(p, 'object_type');
  const capacity = str(p, 'capacity') ?? 'member';
  const org = await findOrganization(c.db, id);
  if (org) {
    if (objectType !== 'user') throw validation('object_type', 'Datasets change organization through package_patch with owner_org');
    if (!ROLES.includes(capacity as OrgRole)) throw validation('capacity', 'Must be one of admin, editor, member');
    const userId = await userIdOf(c, object);
    await setMember(c.db, c.principal, actorOf(c.req), org.id, userId, capacity as OrgRole);
    return { table_name: 'user', table_id: userId, group_id: org.id, capacity, state: 'active' };
  }
  const group = await findGroup(c, id);
  if (objectType !== 'package') throw validation('object_type', 'Groups are themes: only datasets can be added to them');
  const datasetId = await setDatasetGroup(c, group, object, true);
  return { table_name: 'package', table_id: datasetId, group_id: group.id, capacity: 'public', state: 'active' };
}

async function memberDelete(c: ActionContext) {
  const p = c.params;
  const group = await findGroup(c, required(p, 'id'));
  if (required(p, 'object_type') !== 'package') throw validation('object_type', 'Only datasets can be removed from a group here');
  await setDatasetGroup(c, group, required(p, 'object'), false);
  return null;
}

async function packageWrite(c: ActionContext, mode: 'update' | 'patch') {
  const id = required(c.params, 'id', 'name');
  const input = toDatasetInput(c.params, baseUrl(c));
  const full = await updateDataset(c.db, c.principal, actorOf(c.req), id, input, mode, { events: c.events });
  return packageDictOf(c, full);
}

/** An upload replaces the file; otherwise an uploaded resource keeps its file when the client sends its URL back. */
async function resourceWrite(c: ActionContext, mode: 'update' | 'patch') {
  const id = required(c.params, 'id');
  const input = toResourceInput(c.params, '', baseUrl(c));
  const { resource: before } = await getResource(c.db, c.principal, id);
  if (c.upload) {
    input.url = c.upload.filename;
    input.url_type = 'upload';
  } else if (before.url_type === 'upload' && mode === 'update' && (input.url === undefined || input.url_type === 'upload')) {
    input.url = input.url ?? uploadFilename(before);
    input.url_type = 'upload';
  }
  const r = await updateResource(c.db, c.principal, actorOf(c.req), id, input, mode, c.upload, { events: c.events });
  return resourceDict(r, baseUrl(c));
}

// ---------------------------------------------------------------------------------------------
// The action table

const read = (doc: string, run: CkanAction['run']): CkanAction => ({ get: true, doc, run });
const write = (doc: string, run: CkanAction['run'], upload = false): CkanAction => ({ get: false, doc, run, upload });

const BUILTIN: Record<string, CkanAction> = {
  package_search: read(
    'Searches datasets. Parameters: q, fq, fq_list, rows (default 10, max 1000), start, sort, facet, facet.field, facet.limit, facet.mincount, include_private, include_drafts, fl.',
    packageSearch,
  ),
  package_show: read('Returns the metadata of a dataset. Parameters: id (id or name).', async (c) =>
    packageDictOf(c, await getDataset(c.db, c.principal, required(c.params, 'id', 'name'))),
  ),
  package_list: read('Names of the active public datasets, sorted. Parameters: limit, offset.', async (c) =>
    (await datasetRepo.publicNames(c.db, int(c.params, 'limit', 100_000, { min: 0, max: 100_000 }), int(c.params, 'offset', 0, { min: 0 }))).map((r) => r.name),
  ),
  organization_list: read(
    'Organizations. Parameters: sort (default "title asc"), limit, offset, all_fields, include_dataset_count, include_extras, organizations.',
    organizationList,
  ),
  organization_show: read('One organization. Parameters: id, include_datasets (first 10), include_dataset_count.', organizationShow),
  group_list: read('Groups (the themes). Parameters: sort, limit, offset, all_fields, include_dataset_count, groups.', groupList),
  group_show: read('One group. Parameters: id, include_datasets, include_dataset_count.', groupShow),
  tag_list: read('Tags used by public datasets. Parameters: query, all_fields, vocabulary_id.', async (c) => {
    if (str(c.params, 'vocabulary_id')) return [];
    const q = str(c.params, 'query');
    const tags = await tagRepo.list(c.db, q ? foldVi(q).replace(/[\\%_]/g, (m) => `\\${m}`) : undefined, 100_000);
    return bool(c.params, 'all_fields', false)
      ? tags.map((t) => ({ id: t.id, name: t.name, display_name: t.name, vocabulary_id: null }))
      : tags.map((t) => t.name);
  }),
  resource_show: read('One resource; the access rule of its dataset applies. Parameters: id.', async (c) => {
    const { resource } = await getResource(c.db, c.principal, required(c.params, 'id'));
    return resourceDict(resource, baseUrl(c));
  }),
  license_list: read('The licences datasets may carry.', async () => LICENSES),
  status_show: read('Site information.', async (c) => ({
    site_title: 'Tỉnh Số – Ninh Thuận',
    site_description: 'Cổng dữ liệu mở tỉnh Ninh Thuận / Ninh Thuận open data portal',
    site_url: baseUrl(c),
    ckan_version: '2.11.0',
    locale_default: 'vi',
    extensions: ['tinhso', 'dcat', ...(c.actions.get('datastore_search') ? ['datastore'] : [])],
  })),
  site_read: read('Always true (for old clients).', async () => true),
  help_show: read('The documentation of an action. Parameters: name.', async (c) => {
    const name = required(c.params, 'name');
    const a = c.actions.get(name);
    if (!a) throw notFoundError('Action function not found');
    return a.doc;
  }),
  package_create: write('Creates a dataset from a CKAN package dict (plus Tỉnh Số fields: access_level, restricted_orgs, ...).', async (c) =>
    packageDictOf(c, await createDataset(c.db, c.principal, actorOf(c.req), toDatasetInput(c.params, baseUrl(c)), { events: c.events })),
  ),
  package_update: write('Replaces a dataset (absent lists are cleared). Parameters: id, and the package dict.', (c) => packageWrite(c, 'update')),
  package_patch: write('Changes the given fields of a dataset. Parameters: id, and the fields.', (c) => packageWrite(c, 'patch')),
  package_delete: write('Deletes a dataset. Parameters: id.', async (c) => {
    await deleteDataset(c.db, c.principal, actorOf(c.req), required(c.params, 'id', 'name'));
    return null;
  }),
  resource_create: write(
    'Adds a resource. Parameters: package_id, url or a multipart file in "upload", name, description, format.',
    async (c) => {
      const input = toResourceInput(c.params, '', baseUrl(c));
      if (c.upload) {
        input.url = c.upload.filename;
        input.url_type = 'upload';
      }
      const r = await createResource(c.db, c.principal, actorOf(c.req), required(c.params, 'package_id'), input, c.upload, { events: c.events });
      return resourceDict(r, baseUrl(c));
    },
    true,
  ),
  resource_update: write('Replaces a resource. Parameters: id, url or "upload", and the resource fields.', (c) => resourceWrite(c, 'update'), true),
  resource_patch: write('Changes the given fields of a resource. Parameters: id, and the fields.', (c) => resourceWrite(c, 'patch'), true),
  resource_delete: write('Deletes a resource. Parameters: id.', async (c) => {
    await deleteResource(c.db, c.principal, actorOf(c.req), required(c.params, 'id'), { events: c.events });
    return null;
  }),
  organization_create: write(
    'Creates an organization (sysadmins). Parameters: name (slug), title, description, and kind, title_en, parent, organ_code...',
    organizationCreate,
  ),
  organization_update: write('Changes an organization (sysadmins). Parameters: id, and the fields to change.', organizationUpdate),
  organization_patch: write('Changes an organization (sysadmins). Parameters: id, and the fields to change.', organizationUpdate),
  member_create: write(
    'object_type "user" + capacity admin|editor|member on an organization; object_type "package" on a group (editors of the dataset).',
    memberCreate,
  ),
  member_delete: write('Removes a dataset from a group. Parameters: id (group), object (dataset), object_type "package".', memberDelete),
};

/** A registry with CKAN's own actions. */
export function builtinCkanActions(): CkanActions {
  const actions = new CkanActions();
  for (const [name, a] of Object.entries(BUILTIN)) actions.add(name, a);
  return actions;
}
