import type { AppMigration } from '../../platform/db/index.js';

export const migrations: AppMigration[] = [
  {
    name: '20261115090500_organizations',
    up: `
      create table organization (
        id uuid primary key default gen_random_uuid(),
        slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9_-]{1,99}$'),
        name text not null check (length(name) between 1 and 300),
        name_en text,
        short_name text,
        organ_code text unique check (organ_code is null or organ_code ~ '^[0-9A-Z]{3}\\.[0-9A-Z]{2}\\.[0-9A-Z]{2}\\.[A-Z][0-9]{2}$'),
        kind text not null check (kind in ('people_committee', 'department', 'agency', 'district_committee', 'commune_committee', 'other')),
        parent_id uuid references organization(id) on delete restrict,
        admin_unit_code text,
        description text,
        email text,
        website text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      create index organization_parent_idx on organization (parent_id);
      create index organization_admin_unit_idx on organization (admin_unit_code);

      create table org_member (
        org_id uuid not null references organization(id) on delete cascade,
        user_id uuid not null references app_user(id) on delete cascade,
        role text not null check (role in ('admin', 'editor', 'member')),
        created_at timestamptz not null default now(),
        primary key (org_id, user_id)
      );
      create index org_member_user_idx on org_member (user_id);
    `,
  },
];
