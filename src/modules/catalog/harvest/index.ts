import type { Db } from '../../../platform/db/index.js';
import type { JobQueue } from '../../../platform/jobs/index.js';
import { runHarvest } from './run.js';
import { HARVEST_QUEUE, startDueRuns } from './service.js';

export { harvestMigrations } from './migrations.js';
export { harvestRoutes } from './routes.js';
export { createSource, getRun, getSource, listSources, startRun, updateSource, deleteSource, HARVEST_QUEUE } from './service.js';
export { runHarvest } from './run.js';
export type { HarvestRunRow, HarvestSourceRow } from './tables.js';

const DUE_QUEUE = 'catalog.harvest-due';

export function defineHarvestJobs(jobs: JobQueue, db: Db): void {
  jobs.define<{ runId: string }>(HARVEST_QUEUE, async ({ runId }, ctx) => {
    const run = await runHarvest(db, runId, ctx);
    return { runId, status: run.status, created: run.created, updated: run.updated, unchanged: run.unchanged, deleted: run.deleted, errors: run.errors.length };
  });
  jobs.define(DUE_QUEUE, async () => ({ queued: await startDueRuns(db, jobs) }));
  jobs.every(DUE_QUEUE, '*/10 * * * *');
}
