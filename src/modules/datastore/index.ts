import type { AppModule, ModuleContext } from '../../platform/module.js';
import { ckanActionsOf, RESOURCE_CHANGED, setDatastoreActive } from '../catalog/index.js';
import { addDatastoreActions } from './ckan.js';
import { seedDatastoreDemo } from './demo.js';
import { dropResourceData, loadableFormat, runLoad } from './loader.js';
import { createColumnIndex, INDEX_JOB, IndexAdvisor } from './indexes.js';
import { migrations } from './migrations.js';
import { datastoreRoutes } from './routes.js';
import { schemaRoutes } from './schema-routes.js';
import { secretBoxOf, type SecretBox } from '../../platform/crypto/index.js';
import { dbPullRoutes } from './db-routes.js';
import { forecastRoutes } from './forecast-routes.js';
import { DB_PULL_DUE_JOB, DB_PULL_JOB, queueDueDbPulls, runDbPull } from './db-pull.js';
import { remoteTableOf } from './mirror.js';
import { PULL_DUE_JOB, PULL_JOB, pullable, queueDuePulls, runPull } from './pull.js';
import { LOAD_JOB, queueLoad, uploadSource } from './service.js';
import { DATASTORE_MESSAGES, dataPages, dataSectionFill, wizardPages } from './web/index.js';

export { LOAD_JOB, readableTable, reload, loadsOf } from './service.js';
export { runLoad, currentView } from './loader.js';
export { queueDuePulls, PULL_JOB } from './pull.js';
export type { LoadedField } from './ingest/write-table.js';
export type { ValidationReport } from './ingest/report.js';

/**
 * The data integration center's datastore: uploaded tables loaded (as background jobs) into
 * versioned PostgreSQL tables, queried through CKAN's datastore_* actions and the native API.
 */
export function datastoreModule(): AppModule {
  let advisor: IndexAdvisor | undefined;
  let sealer: SecretBox | undefined;
  // The key is read (or made) when a database source is first used, not at every start.
  const box = (ctx: ModuleContext) => () => (sealer ??= secretBoxOf(ctx.config));
  return {
    name: 'datastore',
    migrations,
    messages: DATASTORE_MESSAGES,
    seedDemo: seedDatastoreDemo,
    init: (ctx) => {
      advisor = new IndexAdvisor(ctx.db, ctx.jobs);
      addDatastoreActions(ckanActionsOf(ctx), advisor);
      // An uploaded table is loaded in the background; the job is queued with the upload's commit.
      ctx.events.on(RESOURCE_CHANGED, async (trx, { change, resource, upload, userId }) => {
        if (change === 'deleted') return dropResourceData(trx, resource.id);
        // A linked table is pulled from its URL (a conditional GET; a load when it changed).
        if (!upload) {
          // A dataset a harvest found unchanged: only another portal's datastore tables are checked (their rows change
          // without the metadata; a file's new version comes with new metadata, so with an 'updated' change).
          if (change === 'seen' && !remoteTableOf(resource.url)) return;
          if (pullable(resource)) await ctx.jobs.enqueue(trx, PULL_JOB, { resourceId: resource.id }, userId);
          return;
        }
        if (loadableFormat(resource.format, upload.filename)) {
          await queueLoad(trx, ctx.jobs, resource.id, uploadSource(upload, resource.format), userId);
        } else if (change === 'updated') {
          // The new file is not a table: its old data no longer describes it.
          await dropResourceData(trx, resource.id);
          await setDatastoreActive(trx, resource.id, false);
        }
      });
    },
    defineJobs: (ctx) => {
      ctx.jobs.define(INDEX_JOB, async ({ table, column }) => {
        await createColumnIndex(ctx.db, table, column, { concurrently: true });
        return { table, column };
      });
      ctx.jobs.define(PULL_JOB, ({ resourceId }) => runPull(ctx, resourceId));
      ctx.jobs.define(PULL_DUE_JOB, async () => ({ queued: await queueDuePulls(ctx.db, ctx.jobs) }));
      ctx.jobs.every(PULL_DUE_JOB, '* * * * *');
      ctx.jobs.define(DB_PULL_JOB, ({ resourceId }) => runDbPull(ctx, box(ctx), resourceId));
      ctx.jobs.define(DB_PULL_DUE_JOB, async () => ({ queued: await queueDueDbPulls(ctx.db, ctx.jobs) }));
      ctx.jobs.every(DB_PULL_DUE_JOB, '* * * * *');
      ctx.jobs.define(LOAD_JOB, async ({ loadId }, job) => {
        let last = 0;
        let total = 0;
        const result = await runLoad(ctx, loadId, {
          onProgress: (p) => {
            total = p.total;
            const now = Date.now();
            if (now - last < 500) return;
            last = now;
            void job.progress(p.bytes, p.total, `${p.rows} dòng / rows`).catch(() => undefined);
          },
        });
        await job.progress(total, total, `${result.rows} dòng / rows`);
        return result;
      });
    },
    routes: async (app, ctx) => {
      await datastoreRoutes(app, ctx, advisor!);
      schemaRoutes(app, ctx);
      dbPullRoutes(app, ctx, box(ctx));
      forecastRoutes(app, ctx);
    },
    pages: async (web, ctx) => {
      await wizardPages(web, ctx);
      await dataPages(web, ctx);
    },
    fills: (ctx) => [dataSectionFill(ctx.db, ctx.jobs)],
  };
}
