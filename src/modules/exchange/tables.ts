import type { Generated } from 'kysely';

/** How a service is reached and logged (its registry entry, less its identity). */
export interface ServicePolicy {
  url: string;
  openapi: string | null;
  openapi_source: string | null;
  timeout_ms: number;
  log_bodies: boolean;
  body_retention_days: number;
  durable_log: boolean;
}

/** A message-log record's search columns. */
export interface LogColumns {
  seq: number;
  at: Date;
  message_id: string;
  client: string | null;
  service: string | null;
  method: string;
  path: string;
  status: number;
  error: string | null;
  duration_ms: number | null;
  node: string;
}

/** The exchange module's tables (see migrations.ts). */
export type ExchangeTables = {
  xr_member: { id: Generated<string>; instance: string; member_class: string; member_code: string; name: string; organization_id: string | null };
  xr_subsystem: { id: Generated<string>; member_id: string; code: string; name: string | null; rate_per_minute: number | null; quota_per_day: number | null };
  xr_service: ServicePolicy & { id: Generated<string>; subsystem_id: string; code: string };
  xr_group: { code: string; name: string | null };
  xr_group_member: { group_code: string; client: string };
  xr_access: { id: Generated<string>; service_id: string; client: string; method: string; path: string };
  xr_credential: {
    id: Generated<string>;
    kind: 'token' | 'cert' | 'peer';
    subsystem_id: string | null;
    peer_instance: string | null;
    secret_hash: string;
    prefix: string;
    label: string | null;
    created_at: Generated<Date>;
    revoked_at: Date | null;
  };
  xr_upstream: { instance: string; url: string; sealed_token: string; token_digest: string; token_source: string | null };
  xr_registry: { id: Generated<boolean>; instance: string | null; version: number };
  xr_message_log: LogColumns & {
    record: string;
    content_digest: string;
    prev_hash: string;
    hash: string;
  };
  xr_message_body: { seq: string; request: Buffer | null; response: Buffer | null; expires_at: Date };
  xr_signing_key: { id: Generated<string>; public_pem: string; sealed_private: string; created_at: Generated<Date> };
  xr_log_checkpoint: { seq: string; hash: string; at: Date; key_id: string; statement: string; signature: string };
  xr_rate_counter: { client: string; window_kind: 'minute' | 'day'; window_start: Date; count: string };
};
