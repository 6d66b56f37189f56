import { ident } from './ingest/names.js';

/** Which table of a resource: sheet 1 (a file's only table), or a workbook's later sheets. */
export interface TableKey {
  resourceId: string;
  sheet: number;
}

/** "<resource id>" (sheet 1) or "<resource id>:<sheet>", as the APIs take it. */
export function parseTableKey(id: string): TableKey {
  const m = /^(.*):(\d{1,3})$/.exec(id);
  return m ? { resourceId: m[1]!, sheet: Math.max(1, Number(m[2])) } : { resourceId: id, sheet: 1 };
}

export const tableKeyText = (k: TableKey): string => (k.sheet === 1 ? k.resourceId : `${k.resourceId}:${k.sheet}`);

/** The view on a table's current version (the name datastore_search_sql uses): datastore."<id>" or datastore."<id>:<sheet>". */
export const currentView = (resourceId: string, sheet = 1): string => `datastore.${ident(tableKeyText({ resourceId, sheet }))}`;

/** The stored table of one version of one sheet. */
export const versionTable = (resourceId: string, version: number, sheet = 1): string =>
  `datastore.${ident(sheet === 1 ? `${resourceId}_v${version}` : `${resourceId}_v${version}_s${sheet}`)}`;
