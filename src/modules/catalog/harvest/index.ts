import type { Db } from '../../../platform/db/index.js';
import type { JobQueue } from '../../../platform/jobs/index.js';
import type { EventBus } from '../../../platform/events.js';
import type { Outbound } from '../../../platform/net/index.js';
import { runHarvest } from './run.js';
import { HARVEST_DUE_JOB, HARVEST_JOB, startDueRuns } from './service.js';

export { harvestMigrations } from './migrations.js';
export { harvestRoutes } from './routes.js';
export { createSource, getRun, getSource, listSources, startRun, updateSource, deleteSource, HARVEST_JOB } from './service.js';
export { runHarvest } from './run.js';
export type { HarvestRunRow, HarvestSourceRow } from './tables.js';

export function defineHarvestJobs(jobs: JobQueue, db: Db, net: Outbound, events: EventBus): void {
  jobs.define(HARVEST_JOB, async ({ runId }, ctx) => {
    const run = await runHarvest(db, runId, { ...ctx, net, events });
    return { runId, status: run.status, created: run.created, updated: run.updated, unchanged: run.unchanged, deleted: run.deleted, errors: run.errors.length };
  });
  jobs.define(HARVEST_DUE_JOB, async () => ({ queued: await startDueRuns(db, jobs) }));
  jobs.every(HARVEST_DUE_JOB, '*/10 * * * *');
}
