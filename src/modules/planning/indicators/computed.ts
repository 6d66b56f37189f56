import type { Db } from '../../../platform/db/index.js';
import { defineJob } from '../../../platform/jobs/index.js';
import { catalogCounts } from '../../catalog/index.js';
import { stationsReporting } from '../../sensors/index.js';
import { planRepo } from '../plan/repository.js';

/** What the platform can count for an indicator itself, by the indicator's `compute_key`. */
export const COMPUTERS: Readonly<Record<string, (db: Db) => Promise<number>>> = {
  'catalog.open-datasets': async (db) => (await catalogCounts(db)).openDatasets,
  'catalog.shared-databases': async (db) => (await catalogCounts(db)).sharedDatabases,
  'sensors.stations-reporting': (db) => stationsReporting(db, 24),
};

/** Refreshes the computed indicators daily (the current year's value; past years stay as they were). */
export const INDICATORS_JOB = defineJob('planning.indicators');

/** Computes every computed indicator of every plan for `year` and stores the values; returns how many. */
export async function refreshComputed(db: Db, year: number): Promise<number> {
  let n = 0;
  for (const plan of await planRepo.list(db)) {
    if (year < plan.first_year || year > plan.last_year) continue;
    for (const ind of await planRepo.indicators(db, plan.id)) {
      const compute = ind.compute_key ? COMPUTERS[ind.compute_key] : undefined;
      if (!compute) continue;
      await planRepo.setComputed(db, ind.id, year, await compute(db));
      n += 1;
    }
  }
  return n;
}
