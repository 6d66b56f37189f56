import type { AppMigration } from '../../platform/db/index.js';

export const migrations: AppMigration[] = [
  {
    name: '20261202090000_datastore_tables',
    up: `
      -- The data tables live in their own schema: datastore."<resource id>_v<n>" per loaded version,
      -- and the view datastore."<resource id>" on the current one (what datastore_search_sql names).
      create schema if not exists datastore;

      create table datastore_table (
        resource_id uuid primary key references resource(id) on delete cascade,
        version integer not null,
        table_name text not null,
        fields jsonb not null,
        row_count bigint not null,
        updated_at timestamptz not null default now()
      );

      create table datastore_version (
        resource_id uuid not null references resource(id) on delete cascade,
        version integer not null,
        table_name text not null,
        row_count bigint not null,
        provenance jsonb not null,
        created_at timestamptz not null default now(),
        dropped_at timestamptz,
        primary key (resource_id, version)
      );

      create table datastore_load (
        id uuid primary key default gen_random_uuid(),
        resource_id uuid not null references resource(id) on delete cascade,
        job_id uuid,
        status text not null default 'queued' check (status in ('queued', 'running', 'loaded', 'invalid', 'failed')),
        source jsonb not null,
        version integer,
        row_count bigint,
        report jsonb,
        error text,
        created_by uuid,
        created_at timestamptz not null default now(),
        started_at timestamptz,
        finished_at timestamptz
      );
      create index datastore_load_resource_idx on datastore_load (resource_id, created_at desc);
    `,
  },
  {
    name: '20261203090000_datastore_sheets',
    up: `
      -- A workbook's sheets are tables of one resource: sheet 1 is datastore."<resource id>",
      -- sheet n datastore."<resource id>:n"; a version holds all of them.
      alter table datastore_table add column sheet integer not null default 1, add column sheet_name text;
      alter table datastore_table drop constraint datastore_table_pkey, add primary key (resource_id, sheet);
      alter table datastore_version add column tables text[] not null default '{}';
    `,
  },
  {
    name: '20261203100000_datastore_writes',
    up: `
      -- Tables written through the API (datastore_create/upsert, the push API): their unique key,
      -- and the answers to pushes by idempotency key, so a retried push is applied once.
      alter table datastore_table add column primary_key text[] not null default '{}';
      create table datastore_push (
        resource_id uuid not null references resource(id) on delete cascade,
        key text not null,
        request_sha256 text not null,
        response jsonb not null,
        created_at timestamptz not null default now(),
        primary key (resource_id, key)
      );
    `,
  },
  {
    name: '20261203110000_datastore_scope',
    up: `
      -- Row-level sharing: a table shared by administrative unit names the column holding unit codes;
      -- readers outside the owning organization see only the rows of their own units.
      alter table datastore_table add column scope_column text;
    `,
  },
  {
    name: '20261203120000_datastore_pulls',
    up: `
      -- Linked resources pulled from their URL: the change markers of the last pull and the schedule.
      create table datastore_pull (
        resource_id uuid primary key references resource(id) on delete cascade,
        every_minutes integer check (every_minutes is null or every_minutes between 5 and 525600),
        next_at timestamptz,
        etag text,
        last_modified text,
        sha256 text,
        last_status text,
        last_error text,
        checked_at timestamptz,
        changed_at timestamptz
      );
      create index datastore_pull_due_idx on datastore_pull (next_at) where every_minutes is not null;
    `,
  },
  {
    name: '20261203130000_datastore_pull_mapping',
    up: `
      -- A sector system's JSON API: where its records are and which of their fields become columns.
      alter table datastore_pull add column mapping json; -- json, not jsonb: the columns keep their order
    `,
  },
  {
    name: '20261204090000_datastore_schema',
    up: `
      -- The editor's Table Schema per table (names, titles, types, constraints, missing values),
      -- applied to every later load of that table; loads that only check a file (dry runs, status
      -- 'checked') and what every load found per table (fields, rows) for the upload wizard.
      create table datastore_schema (
        resource_id uuid not null references resource(id) on delete cascade,
        sheet integer not null,
        schema json not null, -- json, not jsonb: the fields keep their order
        updated_by uuid,
        updated_at timestamptz not null default now(),
        primary key (resource_id, sheet)
      );
      alter table datastore_load drop constraint datastore_load_status_check,
        add constraint datastore_load_status_check check (status in ('queued', 'running', 'loaded', 'checked', 'invalid', 'failed')),
        add column tables jsonb;
    `,
  },
  {
    name: '20261204100000_datastore_db_pull',
    up: `
      -- Pulls from a sector system's own database (PostgreSQL, MySQL/MariaDB): a read-only query,
      -- incremental by a key or time column; the password sealed with the deployment's key.
      create table datastore_db_pull (
        resource_id uuid primary key references resource(id) on delete cascade,
        engine text not null check (engine in ('postgresql', 'mysql')),
        host text not null,
        port integer not null check (port between 1 and 65535),
        database text not null,
        username text not null,
        password_sealed text,
        query text not null,
        incremental_column text,
        every_minutes integer check (every_minutes is null or every_minutes between 5 and 525600),
        next_at timestamptz,
        sha256 text,
        last_status text,
        last_error text,
        last_rows bigint,
        checked_at timestamptz,
        changed_at timestamptz,
        updated_by uuid,
        updated_at timestamptz not null default now()
      );
      create index datastore_db_pull_due_idx on datastore_db_pull (next_at) where every_minutes is not null;
    `,
  },
  {
    name: '20261208120000_datastore_pull_incremental',
    up: `
      -- A mirrored table of another portal's datastore: the column its increments continue from.
      alter table datastore_pull add column incremental_column text;
    `,
  },
];
