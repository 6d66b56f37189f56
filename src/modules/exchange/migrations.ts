import type { AppMigration } from '../../platform/db/index.js';

export const migrations: AppMigration[] = [
  {
    name: '20261205090000_exchange_registry',
    up: `
      -- The registry of the LGSP: members (agencies), their subsystems (information systems), the
      -- REST services those offer, and who may call what. Identifier parts are X-Road's.
      create table xr_member (
        id uuid primary key default gen_random_uuid(),
        instance text not null,
        member_class text not null,
        member_code text not null,
        name text not null,
        organization_id uuid references organization(id) on delete set null,
        unique (instance, member_class, member_code)
      );

      create table xr_subsystem (
        id uuid primary key default gen_random_uuid(),
        member_id uuid not null references xr_member(id) on delete cascade,
        code text not null,
        name text,
        -- As a client: calls per minute and per day (null: no limit).
        rate_per_minute integer check (rate_per_minute > 0),
        quota_per_day integer check (quota_per_day > 0),
        unique (member_id, code)
      );

      create table xr_service (
        id uuid primary key default gen_random_uuid(),
        subsystem_id uuid not null references xr_subsystem(id) on delete cascade,
        code text not null,
        url text not null,
        openapi text,
        -- Where the OpenAPI description came from (the declarative file's path), for export.
        openapi_source text,
        timeout_ms integer not null default 30000 check (timeout_ms between 100 and 600000),
        -- Message-log policy: bodies kept (up to a cap) for this many days; the record is written
        -- before the response is released when durable.
        log_bodies boolean not null default false,
        body_retention_days integer not null default 30 check (body_retention_days > 0),
        durable_log boolean not null default false,
        unique (subsystem_id, code)
      );

      create table xr_group (
        code text primary key,
        name text
      );
      create table xr_group_member (
        group_code text not null references xr_group(code) on delete cascade on update cascade,
        client text not null,
        primary key (group_code, client)
      );

      -- Deny by default: a row grants one client (a subsystem, a member, or "group:CODE") one
      -- endpoint pattern of one service (method "*" and path "/**" for every endpoint).
      create table xr_access (
        id uuid primary key default gen_random_uuid(),
        service_id uuid not null references xr_service(id) on delete cascade,
        client text not null,
        method text not null default '*',
        path text not null default '/**',
        unique (service_id, client, method, path)
      );

      -- Client credentials: a token bound to a subsystem, a client certificate's SHA-256
      -- fingerprint, or a peer instance's token (federation). Only hashes are kept.
      create table xr_credential (
        id uuid primary key default gen_random_uuid(),
        kind text not null check (kind in ('token', 'cert', 'peer')),
        subsystem_id uuid references xr_subsystem(id) on delete cascade,
        peer_instance text,
        secret_hash text not null unique,
        prefix text not null,
        label text,
        created_at timestamptz not null default now(),
        revoked_at timestamptz,
        check ((kind = 'peer') = (peer_instance is not null) and (kind = 'peer') = (subsystem_id is null))
      );

      -- Other instances (the national platform, other provinces) whose services are called
      -- through their own gateway, with the token they issued to this instance (sealed).
      create table xr_upstream (
        instance text primary key,
        url text not null,
        sealed_token text not null,
        token_digest text not null,
        token_source text
      );

      -- This deployment's instance code (set by the registry file) and a version bumped by every
      -- registry change; gateways reload when it moves. One row, made by the first change (a
      -- migration inserts no rows: a restore loads them into freshly migrated tables).
      create table xr_registry (
        id boolean primary key default true check (id),
        instance text,
        version bigint not null
      );

      -- The message log: one sequenced hash chain for every gateway instance of the deployment.
      -- "record" is the canonical JSON that is hashed; the other columns are its search index.
      create table xr_message_log (
        seq bigint primary key,
        at timestamptz not null,
        message_id text not null,
        client text,
        service text,
        method text not null,
        path text not null,
        status integer not null,
        error text,
        duration_ms real,
        node text not null,
        record text not null,
        content_digest text not null,
        prev_hash text not null,
        hash text not null
      );
      create index xr_message_log_at on xr_message_log (at);
      create index xr_message_log_service on xr_message_log (service, at);
      create index xr_message_log_client on xr_message_log (client, at);
      create index xr_message_log_message on xr_message_log (message_id);

      -- Append-only: altering or removing a record needs the trigger switched off first (and the
      -- verifier then names the record).
      create function xr_message_log_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'xr_message_log is append-only';
      end $$;
      create trigger xr_message_log_append_only before update or delete on xr_message_log
        for each row execute function xr_message_log_append_only();

      -- Bodies kept under a service's policy; removed after its retention period. Their digests
      -- are in the chained record, so removing a body never breaks the chain.
      create table xr_message_body (
        seq bigint primary key,
        request bytea,
        response bytea,
        expires_at timestamptz not null
      );
      create index xr_message_body_expires on xr_message_body (expires_at);

      create table xr_signing_key (
        id uuid primary key default gen_random_uuid(),
        public_pem text not null,
        sealed_private text not null,
        created_at timestamptz not null default now()
      );

      -- Signed checkpoints: the chain's head (seq, hash) at a time, signed with ECDSA P-256.
      create table xr_log_checkpoint (
        seq bigint primary key,
        hash text not null,
        at timestamptz not null,
        key_id uuid not null references xr_signing_key(id),
        statement text not null,
        signature text not null
      );

      -- Rate-limit counters shared by the gateway instances (fixed windows per client).
      create table xr_rate_counter (
        client text not null,
        window_kind text not null check (window_kind in ('minute', 'day')),
        window_start timestamptz not null,
        count bigint not null,
        primary key (client, window_kind, window_start)
      );
    `,
  },
];
