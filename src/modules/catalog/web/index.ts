import type { App } from '../../../platform/http/index.js';
import type { ModuleContext } from '../../../platform/module.js';
import type { NavEntry } from '../../../platform/web/index.js';
import { browsePages } from './browse.js';
import { datasetPages } from './dataset.js';
import { editorPages } from './editor.js';

export { catalogHomeWidgets, catalogOrgFills } from './browse.js';
export { CATALOG_MESSAGES } from './messages.js';
export { DATASET_PAGE_SECTIONS } from './slots.js';

/**
 * The catalog's pages: search (/dataset), dataset pages with previews and activity, themes, the
 * shared-database catalogue, and the editors' forms. (Organization pages are the organizations
 * module's; the catalog fills their slots.)
 */
export async function catalogPages(web: App, { db, config, files, events }: ModuleContext): Promise<void> {
  await editorPages(web, { db, files, maxUploadBytes: config.maxUploadBytes, events });
  await browsePages(web, { db });
  await datasetPages(web, { db, files, baseUrl: config.baseUrl });
}

export const catalogNav: NavEntry[] = [
  {
    place: 'main',
    order: 10,
    path: '/dataset',
    title: { vi: 'Dữ liệu', en: 'Data' },
    summary: {
      vi: 'Danh mục dữ liệu mở của tỉnh: tìm kiếm, xem trước và tải về các bộ dữ liệu do các sở, ngành công bố.',
      en: 'The province’s open data catalogue: search, preview and download datasets published by its agencies.',
    },
  },
];
