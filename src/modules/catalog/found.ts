import type { Db } from '../../platform/db/index.js';
import { canRead, type Viewer } from './access.js';
import { loadFullByIds, type DatasetFull } from './full.js';
import { searchDatasets, type SearchParams, type SearchResult } from './search/index.js';

export interface Found {
  result: SearchResult;
  datasets: DatasetFull[];
}

/**
 * Search, then the full datasets of the page, re-checking the access rule on every one (the index
 * answers from what it last saw; a dataset made private since is dropped here). The CKAN API and
 * the portal both read search results through this.
 */
export async function findReadable(db: Db, viewer: Viewer, params: SearchParams): Promise<Found> {
  const result = await searchDatasets(db, viewer, params);
  const datasets = (await loadFullByIds(db, result.ids)).filter((f) => canRead(viewer, f.dataset));
  return { result, datasets };
}
