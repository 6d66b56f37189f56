import type { AppMigration } from '../../../platform/db/index.js';

export const harvestMigrations: AppMigration[] = [
  {
    name: '20261120090200_catalog_harvest',
    up: `
      create table harvest_source (
        id uuid primary key default gen_random_uuid(),
        name text not null unique check (name ~ '^[a-z0-9][a-z0-9_-]{1,59}$'),
        title text not null,
        type text not null check (type in ('ckan', 'dcat')),
        url text not null,
        owner_org uuid not null references organization(id),
        schedule text not null default 'manual' check (schedule in ('manual', 'hourly', 'daily', 'weekly')),
        fq text,
        active boolean not null default true,
        last_modified_seen timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );

      create table harvest_run (
        id uuid primary key default gen_random_uuid(),
        source_id uuid not null references harvest_source(id) on delete cascade,
        job_id uuid,
        mode text not null check (mode in ('full', 'incremental')),
        status text not null default 'queued' check (status in ('queued', 'running', 'finished', 'failed')),
        created integer not null default 0,
        updated integer not null default 0,
        unchanged integer not null default 0,
        deleted integer not null default 0,
        skipped integer not null default 0,
        errors jsonb not null default '[]'::jsonb,
        message text,
        started_at timestamptz,
        finished_at timestamptz,
        created_at timestamptz not null default now()
      );
      create index harvest_run_source_idx on harvest_run (source_id, created_at desc);

      alter table dataset add constraint dataset_harvest_source_fk foreign key (harvest_source_id) references harvest_source(id) on delete set null;
    `,
  },
];
