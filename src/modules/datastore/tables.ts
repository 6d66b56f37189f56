import type { Generated } from 'kysely';
import type { LoadedField } from './ingest/load.js';
import type { ValidationReport } from './ingest/report.js';

export type LoadStatus = 'queued' | 'running' | 'loaded' | 'invalid' | 'failed';

/** Where a load's data came from. */
export interface LoadSourceInfo {
  kind: 'upload';
  storageKey: string;
  filename: string;
  sha256: string | null;
  size: number | null;
  format: string | null;
}

export interface DatastoreTableRow {
  resource_id: string;
  version: number;
  table_name: string;
  fields: LoadedField[];
  row_count: number;
  updated_at: Date;
}

export interface DatastoreLoadRow {
  id: string;
  resource_id: string;
  job_id: string | null;
  status: LoadStatus;
  source: LoadSourceInfo;
  version: number | null;
  row_count: number | null;
  report: ValidationReport | null;
  error: string | null;
  created_by: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export type DatastoreTables = {
  datastore_table: Omit<DatastoreTableRow, 'updated_at'> & { updated_at: Generated<Date> };
  datastore_version: {
    resource_id: string;
    version: number;
    table_name: string;
    row_count: number;
    provenance: unknown;
    created_at: Generated<Date>;
    dropped_at: Date | null;
  };
  datastore_load: Omit<DatastoreLoadRow, 'id' | 'status' | 'created_at'> & {
    id: Generated<string>;
    status: Generated<LoadStatus>;
    created_at: Generated<Date>;
  };
};
