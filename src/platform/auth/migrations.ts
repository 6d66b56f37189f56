import type { AppMigration } from '../db/index.js';

export const authMigrations: AppMigration[] = [
  {
    name: '20261115090100_platform_identity',
    up: `
      create table app_user (
        id uuid primary key default gen_random_uuid(),
        email text not null check (email = lower(email) and position('@' in email) > 1),
        name text not null check (length(name) between 1 and 200),
        password_hash text,
        is_sysadmin boolean not null default false,
        disabled boolean not null default false,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      create unique index app_user_email_key on app_user (email);

      create table user_session (
        id_hash text primary key,
        user_id uuid not null references app_user(id) on delete cascade,
        csrf_token text not null,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        ip text,
        user_agent text
      );
      create index user_session_user_idx on user_session (user_id);

      create table api_token (
        id uuid primary key default gen_random_uuid(),
        user_id uuid not null references app_user(id) on delete cascade,
        name text not null,
        token_hash text not null unique,
        prefix text not null,
        created_at timestamptz not null default now(),
        expires_at timestamptz,
        last_used_at timestamptz,
        revoked_at timestamptz
      );
      create index api_token_user_idx on api_token (user_id);
    `,
  },
  {
    name: '20261201160000_platform_login_failures',
    up: `
      -- Failed sign-ins, counted per account and per address across the API and the web form
      -- (and across instances); a success clears the account's.
      create table login_failure (
        id bigserial primary key,
        account text not null,
        ip text,
        at timestamptz not null default now()
      );
      create index login_failure_account_idx on login_failure (account, at);
      create index login_failure_ip_idx on login_failure (ip, at);
    `,
  },
];
