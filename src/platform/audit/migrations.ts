import type { AppMigration } from '../db/index.js';

export const auditMigrations: AppMigration[] = [
  {
    name: '20261115090200_platform_audit',
    up: `
      create table audit_log (
        seq bigint primary key,
        at timestamptz not null,
        actor_id uuid,
        actor_label text,
        ip text,
        action text not null,
        entity_type text not null,
        entity_id text,
        details jsonb not null default '{}'::jsonb,
        prev_hash text not null,
        hash text not null
      );
      create index audit_log_entity_idx on audit_log (entity_type, entity_id);
      create index audit_log_actor_idx on audit_log (actor_id);

      -- Append-only: the application never updates or deletes audit rows.
      create function audit_log_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_log is append-only';
      end $$;
      create trigger audit_log_no_update before update or delete on audit_log
        for each row execute function audit_log_append_only();
      create trigger audit_log_no_truncate before truncate on audit_log
        for each statement execute function audit_log_append_only();
    `,
  },
  {
    name: '20261201130000_platform_audit_streams',
    up: `
      -- One hash chain per stream (the audit trail, and later the exchange message log, the alert
      -- log…), so a busy stream never waits for another's lock. Existing records are the 'audit' stream.
      alter table audit_log add column stream text not null default 'audit' check (stream ~ '^[a-z][a-z0-9_.-]{0,39}$');
      alter table audit_log drop constraint audit_log_pkey;
      alter table audit_log add primary key (stream, seq);
    `,
  },
];
