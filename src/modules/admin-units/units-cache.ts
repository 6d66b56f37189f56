import type { Db } from '../../platform/db/index.js';
import { unitsRepo } from './repository.js';
import { buildResolverIndex, type ResolverIndex } from './resolver.js';
import { toRecord } from './tables.js';

/** The resolver index of each database handle, loaded on first use (~15k rows, ~0.2 s). */
const cache = new WeakMap<Db, Promise<ResolverIndex>>();

export function resolverIndexFor(db: Db): Promise<ResolverIndex> {
  let index = cache.get(db);
  if (!index) {
    index = unitsRepo.all(db).then((rows) => {
      // an empty table (not seeded yet) is not cached
      if (rows.length === 0) cache.delete(db);
      return buildResolverIndex(rows.map(toRecord));
    });
    index.catch(() => cache.delete(db));
    cache.set(db, index);
  }
  return index;
}

/** Drops the cached index (after the units were changed). */
export function forgetResolverIndex(db: Db): void {
  cache.delete(db);
}
