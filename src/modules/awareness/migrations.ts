import type { AppMigration } from '../../platform/db/index.js';

export const migrations: AppMigration[] = [
  {
    name: '20261207140000_awareness',
    up: `
      -- News, events, training courses and competitions about AI, bilingual, published by an organization.
      create table aw_post (
        id uuid primary key default gen_random_uuid(),
        slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,119}$'),
        kind text not null check (kind in ('news', 'event', 'course', 'contest')),
        org_id uuid not null references organization(id),
        title text not null check (length(title) between 1 and 300),
        title_en text,
        summary text not null default '',
        summary_en text,
        body text not null default '',
        body_en text,
        starts_at timestamptz,
        ends_at timestamptz,
        place text,
        capacity integer check (capacity is null or capacity > 0),
        registration_open boolean not null default false,
        published_at timestamptz,
        created_by uuid,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        check (ends_at is null or starts_at is null or ends_at >= starts_at),
        check (kind = 'news' or starts_at is not null)
      );
      create index aw_post_published_idx on aw_post (published_at desc) where published_at is not null;

      -- Who registered for an event or course; confirmed up to the capacity, then waitlisted in order.
      create table aw_registration (
        id uuid primary key default gen_random_uuid(),
        post_id uuid not null references aw_post(id) on delete cascade,
        name text not null,
        email text not null,
        affiliation text,
        status text not null check (status in ('confirmed', 'waitlisted', 'cancelled')),
        cancel_token_hash text not null,
        attended boolean not null default false,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      create unique index aw_registration_email_idx on aw_registration (post_id, lower(email)) where status <> 'cancelled';
      create index aw_registration_post_idx on aw_registration (post_id, status, created_at);
    `,
  },
];
