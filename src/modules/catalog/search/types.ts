/** What package_search (and the portal's /dataset page) ask the search engine. */
export interface SearchParams {
  /** Free text (Vietnamese, accent-insensitive) or a Solr-style query such as `name:foo`; '' or '*:*' = everything. */
  q: string;
  /** Solr-style filter query in the subset real harvesters send (see the CKAN spec). */
  fq: string[];
  rows: number;
  start: number;
  /** CKAN sort string, e.g. 'score desc, metadata_modified desc', 'name asc', 'metadata_created desc', 'title_string asc', 'views_recent desc'. */
  sort: string;
  /** Facet fields: organization, groups, tags, res_format, license_id, access_level, spatial_codes, shared_db. Empty = no facets. */
  facetFields: string[];
  /** -1 = all */
  facetLimit: number;
  facetMinCount: number;
  /** false: only access_level 'public' (CKAN include_private=false); true: all the viewer may read. */
  includePrivate: boolean;
  includeDrafts: boolean;
}

export interface FacetItem {
  /** The value as used in fq: organization slug, group name, tag, format, licence id, access level, unit code, 'true'/'false'. */
  name: string;
  count: number;
}

export interface SearchResult {
  count: number;
  /** Dataset ids of the requested page, in order. */
  ids: string[];
  facets: Record<string, FacetItem[]>;
  sort: string;
}

export const FACET_FIELDS = ['organization', 'groups', 'tags', 'res_format', 'license_id', 'access_level', 'spatial_codes', 'shared_db'] as const;
export type FacetField = (typeof FACET_FIELDS)[number];

/** CKAN's default order. */
export const DEFAULT_SORT = 'score desc, metadata_modified desc';

/** package_search's defaults (rows 10, CKAN's sort, no facets, public only), with `over` applied. */
export const searchParams = (over: Partial<SearchParams> = {}): SearchParams => ({
  q: '',
  fq: [],
  rows: 10,
  start: 0,
  sort: DEFAULT_SORT,
  facetFields: [],
  facetLimit: 50,
  facetMinCount: 1,
  includePrivate: false,
  includeDrafts: false,
  ...over,
});
