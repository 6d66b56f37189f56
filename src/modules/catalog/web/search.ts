import { loadFullByIds, type DatasetFull } from '../full.js';
import { searchDatasets, searchParams, type SearchParams, type SearchResult } from '../search/index.js';
import { type Viewer } from '../access.js';
import type { Db } from '../../../platform/db/index.js';

export const DEFAULT_SEARCH: SearchParams = searchParams({ rows: 20 });

/** A value as it goes into an fq clause: `field:"value"`. */
export const fqTerm = (field: string, value: string): string => `${field}:"${value.replace(/(["\\])/g, '\\$1')}"`;

export interface Found {
  result: SearchResult;
  datasets: DatasetFull[];
}

/** The catalog search, with full datasets for the page. */
export async function findDatasets(db: Db, viewer: Viewer, params: Partial<SearchParams>): Promise<Found> {
  const p: SearchParams = { ...DEFAULT_SEARCH, ...params };
  const result = await searchDatasets(db, viewer, p);
  return { result, datasets: await loadFullByIds(db, result.ids) };
}
