import { defineSlot } from '../../../platform/web/index.js';

/** Sections other modules add to a dataset's page, after its resources (the datastore: each resource's data; later the map, the charts). */
export const DATASET_PAGE_SECTIONS = defineSlot<{ datasetId: string; name: string; resourceIds: string[]; editable: boolean }>('catalog.dataset-page');
