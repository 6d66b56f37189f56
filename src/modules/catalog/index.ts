import type { Db } from '../../platform/db/index.js';
import type { AppModule } from '../../platform/module.js';
import { defineJob } from '../../platform/jobs/index.js';
import { ORGANIZATION_CHANGED } from '../organizations/index.js';
import { datasetRepo } from './repository.js';
import { seedCatalogDemo } from './demo.js';
import { defineHarvestJobs, harvestMigrations } from './harvest/index.js';
import { migrations } from './migrations.js';
import { memoryIndexMigrations, SearchIndex, searchMigrations } from './search/index.js';
import { CATALOG_MESSAGES, catalogHomeWidgets, catalogNav, catalogOrgFills, catalogPages } from './web/index.js';
export { DATASET_PAGE_SECTIONS } from './web/index.js';
import { catalogRoutes } from './routes.js';
import { seedThemes } from './seed.js';
import { flushViewCounts } from './service.js';

export { ANONYMOUS_VIEWER, canEdit, canRead, viewerOf, type Viewer } from './access.js';
export { loadFull, loadFullByIds, type DatasetFull, type OrgBrief } from './full.js';
export type { DatasetInput, ResourceInput, SharedDbInput, StoredUpload } from './input.js';
export { LICENSES, licenseById, type License } from './licenses.js';
import { addLicenses, readLicenseFile } from './licenses.js';
export { THEMES } from './themes.js';
export { catalogCounts } from './counts.js';
export {
  countView,
  flushViewCounts,
  createDataset,
  createResource,
  datasetActivity,
  deleteDataset,
  deleteResource,
  getDataset,
  getResource,
  readableResource,
  updateDataset,
  updateResource,
  RESOURCE_CHANGED,
  setDatastoreActive,
  type ResourceWriteOptions,
  type WriteOptions,
} from './service.js';
export type { AccessLevel, SharedDb } from './tables.js';
export {
  DEFAULT_SORT,
  FACET_FIELDS,
  MAX_SPELLED,
  spellingPlan,
  searchDatasets,
  searchParams,
  type FacetItem,
  type SearchParams,
  type SearchResult,
} from './search/index.js';
export { datasetRdf, jsonLdScriptText, negotiateRdf, schemaOrgDataset, type RdfFormat } from './dcat/index.js';
export { builtinCkanActions, ckanActionsOf, CkanActions, type ActionContext, type CkanAction } from './ckan/index.js';
export { CkanError, accessDenied, notFoundError, validation as ckanValidation } from './ckan/errors.js';
export {
  bool as ckanBool,
  int as ckanInt,
  json as ckanJson,
  list as ckanList,
  required as ckanRequired,
  str as ckanStr,
  type Params as CkanParams,
} from './ckan/params.js';
export { createSource, startRun, runHarvest, HARVEST_JOB } from './harvest/index.js';

/** Datasets, resources, groups, tags, the shared-database catalog, search, CKAN API, DCAT; one instance per app. */
export function catalogModule(): AppModule {
  let index: SearchIndex | undefined;
  return {
    name: 'catalog',
    migrations: [...migrations, ...searchMigrations, ...harvestMigrations, ...memoryIndexMigrations],
    messages: CATALOG_MESSAGES,
    nav: catalogNav,
    seedReference: seedThemes,
    seedDemo: seedCatalogDemo,
    // The search text of a dataset includes its organization's names.
    init: ({ config, events }) => {
      if (config.licensesFile) addLicenses(readLicenseFile(config.licensesFile));
      events.on(ORGANIZATION_CHANGED, async (trx, { orgId, fields }) => {
        if (fields.some((f) => ORG_SEARCH_FIELDS.has(f))) await datasetRepo.refreshSearchOfOrg(trx, orgId);
      });
    },
    defineJobs: (ctx) => {
      defineHarvestJobs(ctx.jobs, ctx.db, ctx.net, ctx.events);
      ctx.jobs.define(VIEWS_FLUSH_JOB, async () => ({ flushed: await flushViewCounts(ctx.db) }));
      ctx.jobs.every(VIEWS_FLUSH_JOB, '* * * * *');
    },
    routes: catalogRoutes,
    pages: catalogPages,
    homeWidgets: (ctx) => catalogHomeWidgets(ctx.db),
    fills: (ctx) => catalogOrgFills(ctx.db),
    start: async (ctx) => {
      index = new SearchIndex(ctx.config.searchIndex);
      index.start(ctx.db, ctx.log);
    },
    stop: async () => {
      await index?.stop();
    },
  };
}

const ORG_SEARCH_FIELDS = new Set(['name', 'name_en', 'short_name']);

/** Adds recorded page views to the datasets' counts. */
export const VIEWS_FLUSH_JOB = defineJob<Record<string, never>>('catalog.views-flush');

/** Recomputes the search columns of one dataset, or of all (null) after a bulk load. */
export const refreshSearchColumns = (db: Db, id: string | null) => datasetRepo.refreshSearch(db, id);
