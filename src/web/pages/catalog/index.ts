import type { Config } from '../../../platform/config/index.js';
import type { Db } from '../../../platform/db/index.js';
import type { App } from '../../../platform/http/index.js';
import type { FileStore } from '../../../platform/storage/index.js';
import type { Assets } from '../../assets.js';
import { browsePages } from './browse.js';
import { datasetPages } from './dataset.js';
import { editorPages } from './editor.js';

export { homeCatalog } from './browse.js';

/**
 * The catalog's pages: search (/dataset), dataset pages with previews and activity, organizations
 * and themes, the shared-database catalogue, and the editors' forms.
 */
export async function catalogPages(app: App, { db, assets, config, files }: { db: Db; assets: Assets; config: Config; files: FileStore }): Promise<void> {
  // The same directory the API's file store uses (src/app/build.ts).
  const store = files;
  await editorPages(app, { db, assets, files: store, maxUploadBytes: config.maxUploadBytes });
  await browsePages(app, { db, assets });
  await datasetPages(app, { db, assets, files: store, baseUrl: config.baseUrl });
}
