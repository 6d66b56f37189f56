import { sql } from 'kysely';
import { stringify } from 'yaml';
import type { Db } from '../../../platform/db/index.js';
import { endpointText } from './endpoints.js';
import type { ServicePolicy } from '../tables.js';
import type { RegistryFile, ServiceEntry, SubsystemEntry } from './file.js';

/**
 * The registry in the format `applyRegistry` reads (`tinhso exchange export`): applying the output
 * changes nothing. OpenAPI descriptions are named by the file they came from, else inlined;
 * upstream tokens by their file (never the token).
 */
export async function exportRegistry(db: Db): Promise<RegistryFile> {
  const reg = await sql<{ instance: string | null }>`select instance from xr_registry`.execute(db);
  const instance = reg.rows[0]?.instance ?? '';
  const members = await sql<{ id: string; member_class: string; member_code: string; name: string; slug: string | null; organ_code: string | null }>`
    select m.id, m.member_class, m.member_code, m.name, o.slug, o.organ_code
    from xr_member m left join organization o on o.id = m.organization_id
    where m.instance = ${instance} order by m.member_class, m.member_code`.execute(db);
  const subs = await sql<{ id: string; member_id: string; code: string; name: string | null; rate_per_minute: number | null; quota_per_day: number | null }>`
    select id, member_id, code, name, rate_per_minute, quota_per_day from xr_subsystem order by code`.execute(db);
  const svcs = await sql<ServicePolicy & { id: string; subsystem_id: string; code: string }>`select * from xr_service order by code`.execute(db);
  const access = await sql<{ service_id: string; client: string; method: string; path: string }>`
    select service_id, client, method, path from xr_access order by client, method, path`.execute(db);
  const groups = await sql<{ code: string; name: string | null; members: string[] }>`
    select g.code, g.name, coalesce(array_agg(gm.client order by gm.client) filter (where gm.client is not null), '{}') as members
    from xr_group g left join xr_group_member gm on gm.group_code = g.code group by g.code, g.name order by g.code`.execute(db);
  const ups = await sql<{
    instance: string;
    url: string;
    token_source: string | null;
  }>`select instance, url, token_source from xr_upstream order by instance`.execute(db);

  const serviceKey = new Map<string, string>();
  const file: RegistryFile = {
    instance,
    members: members.rows.map((m) => ({
      class: m.member_class,
      code: m.member_code,
      name: m.name,
      ...(m.slug && m.organ_code !== m.member_code ? { organization: m.slug } : {}),
      subsystems: subs.rows
        .filter((s) => s.member_id === m.id)
        .map((s): SubsystemEntry => {
          const services = svcs.rows
            .filter((v) => v.subsystem_id === s.id)
            .map((v): ServiceEntry => {
              serviceKey.set(v.id, `${instance}/${m.member_class}/${m.member_code}/${s.code}/${v.code}`);
              return {
                code: v.code,
                url: v.url,
                ...(v.openapi ? { openapi: v.openapi_source ?? v.openapi } : {}),
                ...(v.timeout_ms !== 30_000 ? { timeout_ms: v.timeout_ms } : {}),
                ...(v.log_bodies ? { log_bodies: true } : {}),
                ...(v.body_retention_days !== 30 ? { body_retention_days: v.body_retention_days } : {}),
                ...(v.durable_log ? { durable_log: true } : {}),
              };
            });
          return {
            code: s.code,
            ...(s.name ? { name: s.name } : {}),
            ...(s.rate_per_minute ? { rate_per_minute: s.rate_per_minute } : {}),
            ...(s.quota_per_day ? { quota_per_day: s.quota_per_day } : {}),
            ...(services.length ? { services } : {}),
          };
        }),
    })),
  };
  for (const m of file.members) if (!m.subsystems?.length) delete m.subsystems;
  if (groups.rows.length) file.groups = groups.rows.map((g) => ({ code: g.code, ...(g.name ? { name: g.name } : {}), members: g.members }));
  // One rule per (service, endpoint set) with its clients, as the file groups them.
  const rules = new Map<string, { service: string; clients: Set<string>; endpoints: Set<string> }>();
  const perClient = new Map<string, Set<string>>();
  for (const a of access.rows) {
    const svc = serviceKey.get(a.service_id);
    if (!svc) continue;
    const k = `${svc}\u0000${a.client}`;
    if (!perClient.has(k)) perClient.set(k, new Set());
    perClient.get(k)!.add(endpointText(a));
  }
  for (const [k, eps] of perClient) {
    const [service, client] = k.split('\u0000') as [string, string];
    const endpoints = [...eps].sort();
    const rk = `${service}\u0000${endpoints.join('\u0001')}`;
    if (!rules.has(rk)) rules.set(rk, { service, clients: new Set(), endpoints: new Set(endpoints) });
    rules.get(rk)!.clients.add(client);
  }
  if (rules.size)
    file.access = [...rules.values()].map((r) => {
      const endpoints = [...r.endpoints];
      const all = endpoints.length === 1 && endpoints[0] === '* /**';
      return { service: r.service, clients: [...r.clients].sort(), ...(all ? {} : { endpoints }) };
    });
  if (ups.rows.length) file.upstreams = ups.rows.map((u) => ({ instance: u.instance, url: u.url, token_file: u.token_source ?? '' }));
  return file;
}

export const registryYaml = (f: RegistryFile): string => stringify(f, { lineWidth: 0 });
