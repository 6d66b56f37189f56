import type { Db } from '../../platform/db/index.js';
import { readableWhere, type Viewer } from './access.js';
import { loadFullByIds, type DatasetFull } from './full.js';
import { datasetRepo } from './repository.js';

export interface SharedDbPage {
  total: number;
  datasets: DatasetFull[];
  /** Every organization managing a shared database the viewer may read (for the filter). */
  managingOrgIds: string[];
}

/**
 * The catalogue of shared databases the viewer may read, one page of it, ordered by title, and
 * optionally only those one organization manages: counted, paged and filtered in PostgreSQL.
 */
export async function sharedDatabases(db: Db, viewer: Viewer, opts: { managingOrgId?: string; limit: number; offset: number }): Promise<SharedDbPage> {
  const readable = readableWhere(viewer, { includeNonPublic: viewer.userId !== null, includeDrafts: false });
  const [page, total, managers] = await datasetRepo.sharedDbPage(db, readable, opts);
  return {
    total,
    datasets: await loadFullByIds(db, page),
    managingOrgIds: managers,
  };
}
