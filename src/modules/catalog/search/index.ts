import type { Db } from '../../../platform/db/index.js';
import type { Viewer } from '../access.js';
import type { SearchParams, SearchResult } from './types.js';

export * from './types.js';

/** Vietnamese full-text dataset search with facets (implementation lands with the search work). */
export async function searchDatasets(_db: Db, _viewer: Viewer, _params: SearchParams): Promise<SearchResult> {
  throw new Error('searchDatasets: not implemented yet');
}
