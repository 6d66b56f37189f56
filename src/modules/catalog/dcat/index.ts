import type { Principal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import type { App } from '../../../platform/http/index.js';
import type { ModuleContext } from '../../../platform/module.js';
import type { DatasetFull } from '../full.js';

export type RdfFormat = 'ttl' | 'rdf' | 'jsonld';

/** DCAT-AP 3 catalog and dataset endpoints (implementation in progress). */
export async function dcatRoutes(_app: App, _ctx: ModuleContext): Promise<void> {}

/** One dataset as DCAT-AP 3 in the given serialisation, with the access rule applied. */
export async function datasetRdf(_db: Db, _p: Principal, _idOrName: string, _format: RdfFormat, _baseUrl: string): Promise<{ contentType: string; body: string }> {
  throw new Error('datasetRdf: not implemented yet');
}

/** schema.org Dataset JSON-LD for a public dataset page. */
export function schemaOrgDataset(_full: DatasetFull, _baseUrl: string): Record<string, unknown> {
  throw new Error('schemaOrgDataset: not implemented yet');
}
