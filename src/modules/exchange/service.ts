import { sql } from 'kysely';
import { recordAudit, type AuditActor } from '../../platform/audit/index.js';
import { hasOrgRole, requireSysadmin, requireUser, type Principal } from '../../platform/auth/index.js';
import type { Db } from '../../platform/db/index.js';
import { badRequest, forbidden, notFound } from '../../platform/http/index.js';
import { createClientToken, credentialById, listCredentials, revokeCredential, type CredentialView } from './registry/credentials.js';
import { endpointText } from './registry/endpoints.js';
import { checkClientRef, checkEndpoint } from './registry/file.js';
import { bumpRegistry } from './registry/version.js';

const NO_RIGHT = {
  vi: 'Chỉ quản trị của cơ quan sở hữu (hoặc quản trị hệ thống) được làm việc này.',
  en: 'Only an admin of the owning organization (or a sysadmin) may do this.',
};

/** An admin of the organization the member is linked to, or a sysadmin. */
export function mayManage(p: Principal, organizationId: string | null): boolean {
  if (p.user?.isSysadmin) return true;
  return organizationId !== null && hasOrgRole(p, organizationId, 'admin');
}

function requireManage(p: Principal, organizationId: string | null): void {
  requireUser(p);
  if (!mayManage(p, organizationId)) throw forbidden('forbidden', NO_RIGHT);
}

export interface DirectoryService {
  id: string;
  key: string;
  code: string;
  url: string;
  has_openapi: boolean;
  timeout_ms: number;
  log_bodies: boolean;
  durable_log: boolean;
}
export interface DirectorySubsystem {
  id: string;
  key: string;
  code: string;
  name: string | null;
  rate_per_minute: number | null;
  quota_per_day: number | null;
  services: DirectoryService[];
}
export interface DirectoryMember {
  id: string;
  key: string;
  member_class: string;
  member_code: string;
  name: string;
  organization_id: string | null;
  subsystems: DirectorySubsystem[];
}

/** The agency directory: members, their subsystems and services (for signed-in users). */
export async function directory(db: Db, p: Principal): Promise<{ instance: string | null; members: DirectoryMember[] }> {
  requireUser(p);
  const reg = await sql<{ instance: string | null }>`select instance from xr_registry`.execute(db);
  const rows = await sql<{
    mid: string;
    instance: string;
    member_class: string;
    member_code: string;
    name: string;
    organization_id: string | null;
    sid: string | null;
    scode: string | null;
    sname: string | null;
    rate_per_minute: number | null;
    quota_per_day: number | null;
    vid: string | null;
    vcode: string | null;
    url: string | null;
    has_openapi: boolean | null;
    timeout_ms: number | null;
    log_bodies: boolean | null;
    durable_log: boolean | null;
  }>`
    select m.id as mid, m.instance, m.member_class, m.member_code, m.name, m.organization_id,
           s.id as sid, s.code as scode, s.name as sname, s.rate_per_minute, s.quota_per_day,
           v.id as vid, v.code as vcode, v.url, v.openapi is not null as has_openapi, v.timeout_ms, v.log_bodies, v.durable_log
    from xr_member m left join xr_subsystem s on s.member_id = m.id left join xr_service v on v.subsystem_id = s.id
    order by m.name, s.code, v.code`.execute(db);
  const members = new Map<string, DirectoryMember>();
  const subs = new Map<string, DirectorySubsystem>();
  for (const r of rows.rows) {
    const key = `${r.instance}/${r.member_class}/${r.member_code}`;
    if (!members.has(r.mid))
      members.set(r.mid, {
        id: r.mid,
        key,
        member_class: r.member_class,
        member_code: r.member_code,
        name: r.name,
        organization_id: r.organization_id,
        subsystems: [],
      });
    if (r.sid && !subs.has(r.sid)) {
      const s: DirectorySubsystem = {
        id: r.sid,
        key: `${key}/${r.scode}`,
        code: r.scode!,
        name: r.sname,
        rate_per_minute: r.rate_per_minute,
        quota_per_day: r.quota_per_day,
        services: [],
      };
      subs.set(r.sid, s);
      members.get(r.mid)!.subsystems.push(s);
    }
    if (r.vid)
      subs.get(r.sid!)!.services.push({
        id: r.vid,
        key: `${key}/${r.scode}/${r.vcode}`,
        code: r.vcode!,
        url: r.url!,
        has_openapi: r.has_openapi!,
        timeout_ms: r.timeout_ms!,
        log_bodies: r.log_bodies!,
        durable_log: r.durable_log!,
      });
  }
  return { instance: reg.rows[0]?.instance ?? null, members: [...members.values()] };
}

export interface ServiceDetail extends DirectoryService {
  member_name: string;
  organization_id: string | null;
  openapi: string | null;
  access: { id: string; client: string; method: string; path: string }[];
}

async function serviceRow(db: Db, id: string) {
  const { rows } = await sql<ServiceDetail>`
    select v.id, m.instance || '/' || m.member_class || '/' || m.member_code || '/' || s.code || '/' || v.code as key, v.code, v.url,
           v.openapi is not null as has_openapi, v.timeout_ms, v.log_bodies, v.durable_log, v.openapi, m.name as member_name, m.organization_id
    from xr_service v join xr_subsystem s on s.id = v.subsystem_id join xr_member m on m.id = s.member_id where v.id = ${id}`.execute(db);
  if (!rows[0]) throw notFound('service_not_found', { vi: 'Không có dịch vụ này.', en: 'No such service.' });
  return rows[0];
}

/** A service with its OpenAPI description and who may call it. */
export async function serviceDetail(db: Db, p: Principal, id: string): Promise<ServiceDetail> {
  requireUser(p);
  const s = await serviceRow(db, id);
  const acc = await sql<{ id: string; client: string; method: string; path: string }>`
    select id, client, method, path from xr_access where service_id = ${id} order by client, method, path`.execute(db);
  return { ...s, access: acc.rows };
}

/** Grants a client (subsystem, member or group:CODE) an endpoint rule ("GET /stations/*"; "* /**" for all) of a service. */
export async function grantAccess(db: Db, p: Principal, actor: AuditActor, serviceId: string, input: { client: string; endpoint?: string }) {
  const s = await serviceRow(db, serviceId);
  requireManage(p, s.organization_id);
  const client = checkClientRef(input.client.trim(), 'client', true);
  const e = checkEndpoint(input.endpoint?.trim() || '* /**', 'endpoint');
  const row = await sql<{ id: string }>`
    insert into xr_access (service_id, client, method, path) values (${serviceId}, ${client}, ${e.method}, ${e.path})
    on conflict (service_id, client, method, path) do nothing returning id`.execute(db);
  if (!row.rows[0]) throw badRequest('already_granted', { vi: 'Quyền này đã có.', en: 'This right already exists.' }, 'client');
  await bumpRegistry(db);
  await recordAudit(db, actor, {
    action: 'exchange.access.grant',
    entityType: 'xr_service',
    entityId: serviceId,
    details: { client, endpoint: endpointText(e) },
  });
  return { id: row.rows[0].id, client, method: e.method, path: e.path };
}

/** Removes an access right; returns its service's id. */
export async function revokeAccess(db: Db, p: Principal, actor: AuditActor, accessId: string): Promise<string> {
  const { rows } = await sql<{
    service_id: string;
    client: string;
    method: string;
    path: string;
  }>`select service_id, client, method, path from xr_access where id = ${accessId}`.execute(db);
  if (!rows[0]) throw notFound('access_not_found', { vi: 'Không có quyền này.', en: 'No such access right.' });
  const s = await serviceRow(db, rows[0].service_id);
  requireManage(p, s.organization_id);
  await sql`delete from xr_access where id = ${accessId}`.execute(db);
  await bumpRegistry(db);
  await recordAudit(db, actor, {
    action: 'exchange.access.revoke',
    entityType: 'xr_service',
    entityId: s.id,
    details: { client: rows[0].client, endpoint: endpointText(rows[0]) },
  });
  return s.id;
}

/** Client credentials the caller may see: all for a sysadmin, else those of their organizations' subsystems. */
export async function credentialsFor(db: Db, p: Principal): Promise<CredentialView[]> {
  requireUser(p);
  return (await listCredentials(db)).filter((c) => mayManage(p, c.organization_id));
}

async function organizationOfClient(db: Db, client: string): Promise<string | null> {
  const { rows } = await sql<{ organization_id: string | null }>`
    select m.organization_id from xr_subsystem s join xr_member m on m.id = s.member_id
    where m.instance || '/' || m.member_class || '/' || m.member_code || '/' || s.code = ${client}`.execute(db);
  if (!rows[0])
    throw notFound('unknown_client', { vi: `Không có hệ thống ${client} trong danh mục.`, en: `No subsystem ${client} in the registry.` }, 'client');
  return rows[0].organization_id;
}

export async function issueToken(db: Db, p: Principal, actor: AuditActor, client: string, label: string | null) {
  requireManage(p, await organizationOfClient(db, client));
  const t = await createClientToken(db, client, label);
  await recordAudit(db, actor, { action: 'exchange.credential.create', entityType: 'xr_credential', entityId: t.id, details: { client, label } });
  return t;
}

export async function withdrawCredential(db: Db, p: Principal, actor: AuditActor, id: string): Promise<void> {
  const c = await credentialById(db, id);
  if (!c) throw notFound('credential_not_found', { vi: 'Không có thông tin xác thực này.', en: 'No such credential.' });
  if (c.kind === 'peer') requireSysadmin(p);
  else requireManage(p, c.organization_id);
  await revokeCredential(db, id);
  await recordAudit(db, actor, {
    action: 'exchange.credential.revoke',
    entityType: 'xr_credential',
    entityId: id,
    details: { client: c.client, peer: c.peer_instance },
  });
}
