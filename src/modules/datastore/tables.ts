import type { Generated } from 'kysely';
import type { FileEncoding } from './ingest/decode.js';
import type { EditorSchema } from './ingest/editor-schema.js';
import type { FieldType } from './ingest/infer.js';
import type { LayoutOverride } from './ingest/layout.js';
import type { FieldMapping } from './mapping.js';
import type { LoadedField } from './ingest/write-table.js';
import type { ValidationReport } from './ingest/report.js';

/** 'checked': a dry run found the file valid (nothing was written). */
export type LoadStatus = 'queued' | 'running' | 'loaded' | 'checked' | 'invalid' | 'failed';

/** Where a load's data came from: a file uploaded to the resource, or one pulled from its URL (`url`). */
export interface LoadSourceInfo {
  kind: 'upload' | 'url' | 'db';
  url?: string;
  /** The file as fetched, when the loaded one is derived from it (a JSON API's mapped answer, a CKAN dump without its row ids). */
  originalKey?: string;
  storageKey: string;
  filename: string;
  sha256: string | null;
  size: number | null;
  format: string | null;
  /** The editor's corrections: per sheet, header rows and data range. */
  layout?: Record<string, LayoutOverride>;
  /** The editor's choice of a delimited file's encoding and delimiter (instead of the detected ones). */
  encoding?: FileEncoding;
  delimiter?: string;
  /** Read, check and report, but write nothing (the wizard's validation step). */
  dryRun?: boolean;
  /** Column types the source declares (a sector database's), pinned unless the editor's schema says otherwise. */
  types?: Record<string, FieldType>;
}

/** What a load found in one table of the file: the fields as inferred (and adjusted by the editor's schema). */
export interface LoadTableInfo {
  sheet: number;
  sheet_name: string | null;
  rows: number;
  fields: LoadedField[];
  /** Fields the loader added (administrative-unit codes): not in the file, so not in the editor's schema. */
  derived?: string[];
}

export interface DatastoreTableRow {
  resource_id: string;
  /** 1 for a file's only table or a workbook's first sheet with data; 2… for the next sheets. */
  sheet: number;
  sheet_name: string | null;
  version: number;
  table_name: string;
  fields: LoadedField[];
  row_count: number;
  /** The unique key set by datastore_create (empty: none; rows are then keyed by _id). */
  primary_key: string[];
  /** Shared by administrative unit: the column of unit codes (see scope.ts); null when every reader sees every row. */
  scope_column: string | null;
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
  tables: LoadTableInfo[] | null;
  created_by: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface DatastorePullRow {
  resource_id: string;
  every_minutes: number | null;
  next_at: Date | null;
  etag: string | null;
  last_modified: string | null;
  sha256: string | null;
  /** 'changed' (a load was queued), 'unchanged' (304, or the same bytes), 'failed'. */
  last_status: string | null;
  last_error: string | null;
  checked_at: Date | null;
  changed_at: Date | null;
  /** For a JSON API: the records' path and the columns' field paths (see mapping.ts). */
  mapping: FieldMapping | null;
  /** For another portal's datastore table (a dump URL): the key or time column its increments continue from. */
  incremental_column: string | null;
}

/** A pull from a sector system's database (see db-pull.ts). */
export interface DatastoreDbPullRow {
  resource_id: string;
  engine: 'postgresql' | 'mysql';
  host: string;
  port: number;
  database: string;
  username: string;
  password_sealed: string | null;
  query: string;
  incremental_column: string | null;
  every_minutes: number | null;
  next_at: Date | null;
  sha256: string | null;
  last_status: string | null;
  last_error: string | null;
  last_rows: number | null;
  checked_at: Date | null;
  changed_at: Date | null;
  updated_by: string | null;
  updated_at: Date;
}

export interface DatastoreSchemaRow {
  resource_id: string;
  sheet: number;
  schema: EditorSchema;
  updated_by: string | null;
  updated_at: Date;
}

export type DatastoreTables = {
  datastore_schema: Omit<DatastoreSchemaRow, 'updated_at'> & { updated_at: Generated<Date> };
  datastore_db_pull: Omit<DatastoreDbPullRow, 'updated_at'> & { updated_at: Generated<Date> };
  datastore_pull: DatastorePullRow;
  datastore_table: Omit<DatastoreTableRow, 'updated_at' | 'primary_key' | 'scope_column'> & {
    updated_at: Generated<Date>;
    primary_key: Generated<string[]>;
    scope_column: Generated<string | null>;
  };
  datastore_push: { resource_id: string; key: string; request_sha256: string; response: unknown; created_at: Generated<Date> };
  datastore_version: {
    resource_id: string;
    version: number;
    table_name: string;
    /** Every table of the version (one per sheet). */
    tables: string[];
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
