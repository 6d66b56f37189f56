import { findReadable, type Found } from '../found.js';
import { searchParams, type SearchParams } from '../search/index.js';
import { type Viewer } from '../access.js';
import type { Db } from '../../../platform/db/index.js';

export type { Found };

export const DEFAULT_SEARCH: SearchParams = searchParams({ rows: 20 });

/** A value as it goes into an fq clause: `field:"value"`. */
export const fqTerm = (field: string, value: string): string => `${field}:"${value.replace(/(["\\])/g, '\\$1')}"`;

/** The catalog search with the portal's defaults, through the same access re-check as the CKAN API. */
export const findDatasets = (db: Db, viewer: Viewer, params: Partial<SearchParams>): Promise<Found> =>
  findReadable(db, viewer, { ...DEFAULT_SEARCH, ...params });
