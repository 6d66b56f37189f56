import type { AppMigration } from '../db/index.js';

export const storageMigrations: AppMigration[] = [
  {
    name: '20261201145000_platform_storage',
    up: `
      -- Who owns each stored file. A file is written first (owner null), then claimed in the
      -- transaction that references it; replacing or deleting the reference releases it. The
      -- storage sweep job removes released files and files never claimed.
      create table stored_file (
        key text primary key,
        namespace text not null,
        size bigint,
        sha256 text,
        owner text,
        created_at timestamptz not null default now(),
        released_at timestamptz
      );
      create index stored_file_sweep_idx on stored_file (released_at) where released_at is not null;
      create index stored_file_unclaimed_idx on stored_file (created_at) where owner is null;
    `,
  },
];
