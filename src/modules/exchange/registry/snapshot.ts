import { sql } from 'kysely';
import type { SecretBox } from '../../../platform/crypto/index.js';
import type { Db } from '../../../platform/db/index.js';
import type { ServiceId } from '../ids.js';
import { compileEndpoint, endpointMatches, type CompiledEndpoint, type Endpoint } from './endpoints.js';
import { openApiDocument, openApiEndpoints } from './openapi.js';

export interface ServiceEntry {
  id: string;
  key: string;
  sid: ServiceId;
  url: URL;
  timeoutMs: number;
  logBodies: boolean;
  bodyRetentionDays: number;
  durableLog: boolean;
  openapi: string | null;
  /** Declared by the OpenAPI description (empty: a plain REST service). */
  endpoints: (Endpoint & { summary?: string; template: string })[];
}

export interface ClientEntry {
  key: string;
  name: string;
  memberKey: string;
  subsystemCode: string | null;
  ratePerMinute: number | null;
  quotaPerDay: number | null;
  organizationId: string | null;
}

export interface Credential {
  id: string;
  kind: 'token' | 'cert' | 'peer';
  /** The subsystem the credential belongs to (token, cert). */
  client: string | null;
  /** The other instance a peer credential stands for. */
  peerInstance: string | null;
}

export interface Upstream {
  instance: string;
  url: URL;
  token: string;
}

/**
 * The registry in memory, as the gateway reads it on each call: loaded whole, replaced whole
 * (a call keeps the snapshot it started with, so a reload never changes a call in flight).
 */
export class RegistrySnapshot {
  constructor(
    readonly version: number,
    readonly instance: string,
    readonly services: ReadonlyMap<string, ServiceEntry>,
    readonly clients: ReadonlyMap<string, ClientEntry>,
    private readonly grants: ReadonlyMap<string, { client: string; endpoint: CompiledEndpoint }[]>,
    private readonly groupsOf: ReadonlyMap<string, readonly string[]>,
    readonly credentials: ReadonlyMap<string, Credential>,
    readonly upstreams: ReadonlyMap<string, Upstream>,
  ) {}

  /** Tokens seen with this snapshot → their credential (saves a SHA-256 per call); bounded. */
  private byToken = new Map<string, Credential | null>();

  credentialOfToken(token: string, hash: (t: string) => string): Credential | undefined {
    let c = this.byToken.get(token);
    if (c === undefined) {
      c = this.credentials.get(hash(token)) ?? null;
      if (this.byToken.size >= 10_000) this.byToken.clear();
      // Unknown tokens are not remembered: a token issued a moment ago is found after the reload.
      if (c) this.byToken.set(token, c);
    }
    return c ?? undefined;
  }

  static empty(): RegistrySnapshot {
    return new RegistrySnapshot(-1, '', new Map(), new Map(), new Map(), new Map(), new Map(), new Map());
  }

  /** The names a client is granted under: itself, its member, and the groups of both. */
  private principals(client: string): string[] {
    const parts = client.split('/');
    const member = parts.slice(0, 3).join('/');
    const names = parts.length === 4 ? [client, member] : [client];
    for (const n of [...names]) for (const g of this.groupsOf.get(n) ?? []) names.push(`group:${g}`);
    return names;
  }

  /** Deny by default: whether some grant covers this client, method and (normalised) path. */
  allowed(serviceKey: string, client: string, method: string, path: string): boolean {
    const grants = this.grants.get(serviceKey);
    if (!grants) return false;
    const names = this.principals(client);
    return grants.some((g) => names.includes(g.client) && endpointMatches(g.endpoint, method, path));
  }

  /** The endpoint rules this client holds on a service (for allowedMethods). */
  grantedEndpoints(serviceKey: string, client: string): Endpoint[] {
    const names = this.principals(client);
    return (this.grants.get(serviceKey) ?? []).filter((g) => names.includes(g.client)).map((g) => ({ method: g.endpoint.method, path: g.endpoint.path }));
  }
}

/** Reads the whole registry (a handful of small tables). */
export async function loadSnapshot(db: Db, box: () => SecretBox): Promise<RegistrySnapshot> {
  const reg = await sql<{ version: string; instance: string | null }>`select version, instance from xr_registry`.execute(db);
  const instance = reg.rows[0]?.instance ?? '';
  const svcRows = await sql<{
    id: string;
    instance: string;
    member_class: string;
    member_code: string;
    sub: string;
    code: string;
    url: string;
    openapi: string | null;
    timeout_ms: number;
    log_bodies: boolean;
    body_retention_days: number;
    durable_log: boolean;
  }>`select v.id, m.instance, m.member_class, m.member_code, s.code as sub, v.code, v.url, v.openapi, v.timeout_ms, v.log_bodies, v.body_retention_days, v.durable_log
     from xr_service v join xr_subsystem s on s.id = v.subsystem_id join xr_member m on m.id = s.member_id`.execute(db);
  const services = new Map<string, ServiceEntry>();
  const byId = new Map<string, string>();
  for (const r of svcRows.rows) {
    const sid: ServiceId = { instance: r.instance, memberClass: r.member_class, memberCode: r.member_code, subsystemCode: r.sub, serviceCode: r.code };
    const key = `${r.instance}/${r.member_class}/${r.member_code}/${r.sub}/${r.code}`;
    let endpoints: ServiceEntry['endpoints'] = [];
    if (r.openapi)
      try {
        endpoints = openApiEndpoints(openApiDocument(r.openapi));
      } catch {
        endpoints = [];
      }
    services.set(key, {
      id: r.id,
      key,
      sid,
      url: new URL(r.url),
      timeoutMs: r.timeout_ms,
      logBodies: r.log_bodies,
      bodyRetentionDays: r.body_retention_days,
      durableLog: r.durable_log,
      openapi: r.openapi,
      endpoints,
    });
    byId.set(r.id, key);
  }
  const clientRows = await sql<{
    instance: string;
    member_class: string;
    member_code: string;
    name: string;
    organization_id: string | null;
    code: string | null;
    rate_per_minute: number | null;
    quota_per_day: number | null;
  }>`select m.instance, m.member_class, m.member_code, m.name, m.organization_id, s.code, s.rate_per_minute, s.quota_per_day
     from xr_member m left join xr_subsystem s on s.member_id = m.id order by m.member_class, m.member_code, s.code`.execute(db);
  const clients = new Map<string, ClientEntry>();
  for (const r of clientRows.rows) {
    const memberKey = `${r.instance}/${r.member_class}/${r.member_code}`;
    if (!clients.has(memberKey))
      clients.set(memberKey, {
        key: memberKey,
        name: r.name,
        memberKey,
        subsystemCode: null,
        ratePerMinute: null,
        quotaPerDay: null,
        organizationId: r.organization_id,
      });
    if (r.code)
      clients.set(`${memberKey}/${r.code}`, {
        key: `${memberKey}/${r.code}`,
        name: r.name,
        memberKey,
        subsystemCode: r.code,
        ratePerMinute: r.rate_per_minute,
        quotaPerDay: r.quota_per_day,
        organizationId: r.organization_id,
      });
  }
  const grants = new Map<string, { client: string; endpoint: CompiledEndpoint }[]>();
  const acc = await sql<{ service_id: string; client: string; method: string; path: string }>`select service_id, client, method, path from xr_access`.execute(
    db,
  );
  for (const a of acc.rows) {
    const key = byId.get(a.service_id);
    if (!key) continue;
    if (!grants.has(key)) grants.set(key, []);
    grants.get(key)!.push({ client: a.client, endpoint: compileEndpoint(a) });
  }
  const groupsOf = new Map<string, string[]>();
  const gm = await sql<{ group_code: string; client: string }>`select group_code, client from xr_group_member`.execute(db);
  for (const r of gm.rows) {
    if (!groupsOf.has(r.client)) groupsOf.set(r.client, []);
    groupsOf.get(r.client)!.push(r.group_code);
  }
  const creds = await sql<{ id: string; kind: Credential['kind']; secret_hash: string; client: string | null; peer_instance: string | null }>`
    select c.id, c.kind, c.secret_hash, c.peer_instance,
           case when s.id is null then null else m.instance || '/' || m.member_class || '/' || m.member_code || '/' || s.code end as client
    from xr_credential c left join xr_subsystem s on s.id = c.subsystem_id left join xr_member m on m.id = s.member_id
    where c.revoked_at is null`.execute(db);
  const credentials = new Map<string, Credential>();
  for (const c of creds.rows) credentials.set(c.secret_hash, { id: c.id, kind: c.kind, client: c.client, peerInstance: c.peer_instance });
  const ups = await sql<{ instance: string; url: string; sealed_token: string }>`select instance, url, sealed_token from xr_upstream`.execute(db);
  const upstreams = new Map<string, Upstream>();
  for (const u of ups.rows) upstreams.set(u.instance, { instance: u.instance, url: new URL(u.url), token: box().open(u.sealed_token) });
  return new RegistrySnapshot(Number(reg.rows[0]?.version ?? 0), instance, services, clients, grants, groupsOf, credentials, upstreams);
}
