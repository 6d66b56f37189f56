import type { AppMigration } from '../../platform/db/index.js';

export const migrations: AppMigration[] = [
  {
    name: '20261120090000_catalog',
    up: `
      create table catalog_group (
        id uuid primary key default gen_random_uuid(),
        name text not null unique check (name ~ '^[a-z0-9][a-z0-9_-]{1,99}$'),
        title text not null,
        title_en text,
        description text,
        description_en text,
        image_url text,
        is_theme boolean not null default false,
        created_at timestamptz not null default now()
      );

      create table dataset (
        id uuid primary key default gen_random_uuid(),
        name text not null unique check (name ~ '^[a-z0-9_-]{2,100}$'),
        title text not null,
        title_en text,
        notes text,
        notes_en text,
        url text,
        version text,
        type text not null default 'dataset',
        state text not null default 'active' check (state in ('active', 'draft', 'deleted')),
        owner_org uuid not null references organization(id),
        license_id text,
        author text,
        author_email text,
        maintainer text,
        maintainer_email text,
        access_level text not null default 'public' check (access_level in ('public', 'government', 'restricted', 'private')),
        restricted_orgs uuid[] not null default '{}',
        restricted_kinds text[] not null default '{}',
        spatial_codes text[] not null default '{}',
        bbox double precision[] check (bbox is null or array_length(bbox, 1) = 4),
        temporal_start date,
        temporal_end date,
        update_frequency text,
        contact_name text,
        contact_email text,
        extras jsonb not null default '[]'::jsonb,
        shared_db jsonb,
        harvest_source_id uuid,
        harvest_original_id text,
        harvest_url text,
        view_count bigint not null default 0,
        creator_user_id uuid references app_user(id) on delete set null,
        metadata_created timestamptz not null default now(),
        metadata_modified timestamptz not null default now(),
        search_folded text not null default '',
        search_doc tsvector not null default ''::tsvector,
        search_exact tsvector not null default ''::tsvector
      );
      create index dataset_owner_idx on dataset (owner_org);
      create index dataset_modified_idx on dataset (metadata_modified desc);
      create index dataset_created_idx on dataset (metadata_created desc);
      create index dataset_state_access_idx on dataset (state, access_level);
      create index dataset_search_idx on dataset using gin (search_doc);
      create index dataset_search_exact_idx on dataset using gin (search_exact);
      create index dataset_folded_trgm_idx on dataset using gin (search_folded gin_trgm_ops);
      create index dataset_spatial_idx on dataset using gin (spatial_codes);
      create unique index dataset_harvest_idx on dataset (harvest_source_id, harvest_original_id) where harvest_source_id is not null;

      create table resource (
        id uuid primary key default gen_random_uuid(),
        dataset_id uuid not null references dataset(id) on delete cascade,
        position integer not null default 0,
        name text,
        description text,
        url text not null default '',
        format text,
        mimetype text,
        size bigint,
        hash text,
        url_type text,
        storage_key text,
        state text not null default 'active',
        datastore_active boolean not null default false,
        created timestamptz not null default now(),
        last_modified timestamptz
      );
      create index resource_dataset_idx on resource (dataset_id, position);

      create table tag (
        id uuid primary key default gen_random_uuid(),
        name text not null unique check (length(name) between 1 and 100)
      );
      create table dataset_tag (
        dataset_id uuid not null references dataset(id) on delete cascade,
        tag_id uuid not null references tag(id),
        primary key (dataset_id, tag_id)
      );
      create index dataset_tag_tag_idx on dataset_tag (tag_id);

      create table dataset_group (
        dataset_id uuid not null references dataset(id) on delete cascade,
        group_id uuid not null references catalog_group(id) on delete cascade,
        primary key (dataset_id, group_id)
      );
      create index dataset_group_group_idx on dataset_group (group_id);

      create table dataset_activity (
        id bigserial primary key,
        dataset_id uuid not null references dataset(id) on delete cascade,
        user_id uuid references app_user(id) on delete set null,
        user_label text,
        at timestamptz not null default now(),
        action text not null,
        changes jsonb not null default '{}'::jsonb
      );
      create index dataset_activity_idx on dataset_activity (dataset_id, id desc);
    `,
  },
  {
    name: '20261201150000_catalog_stored_files',
    up: `
      -- Resources' uploads written before files had owners: claimed by their resource, released
      -- when the resource or its dataset is deleted (the storage sweep then removes them).
      insert into stored_file (key, namespace, size, sha256, owner, created_at, released_at)
      select r.storage_key, 'catalog', r.size, r.hash, 'resource:' || r.id, r.created,
        case when r.state = 'deleted' or d.state = 'deleted' then now() end
      from resource r join dataset d on d.id = r.dataset_id
      where r.storage_key is not null
      on conflict (key) do nothing;
    `,
  },
  {
    name: '20261202060000_catalog_view_counter',
    up: `
      -- A page view appends a row here instead of rewriting the dataset row; the views.flush job
      -- adds them to dataset.view_count every minute.
      create table dataset_view_pending (
        dataset_id uuid not null,
        at timestamptz not null default now()
      );
    `,
  },
];
