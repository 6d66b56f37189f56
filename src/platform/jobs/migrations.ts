import type { AppMigration } from '../db/index.js';

export const jobsMigrations: AppMigration[] = [
  {
    name: '20261115090300_platform_jobs',
    up: `
      -- pg-boss keeps the queue itself (schema pgboss); this table adds what it lacks:
      -- progress that the API and the CLI can read, and who started the job.
      create table job_info (
        id uuid primary key,
        queue text not null,
        created_by uuid references app_user(id) on delete set null,
        done bigint not null default 0,
        total bigint,
        message text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      create index job_info_created_by_idx on job_info (created_by, created_at desc);
    `,
  },
];
