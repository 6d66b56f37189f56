import { idJson, type SubsystemId } from '../ids.js';
import type { RegistrySnapshot, ServiceEntry } from '../registry/snapshot.js';
import { unknownService } from './errors.js';

type EndpointJson = { method: string; path: string };
const ALL: EndpointJson[] = [{ method: '*', path: '/**' }];

const declared = (s: ServiceEntry): EndpointJson[] => (s.endpoints.length ? s.endpoints.map((e) => ({ method: e.method, path: e.template })) : ALL);

const entry = (s: ServiceEntry, endpoints: EndpointJson[]) => ({
  ...idJson(s.sid),
  service_type: s.openapi ? 'OPENAPI' : 'REST',
  endpoint_list: endpoints,
});

const servicesOf = (snap: RegistrySnapshot, provider: SubsystemId) =>
  [...snap.services.values()].filter(
    (s) =>
      s.sid.instance === provider.instance &&
      s.sid.memberClass === provider.memberClass &&
      s.sid.memberCode === provider.memberCode &&
      s.sid.subsystemCode === provider.subsystemCode,
  );

/** `listClients`: every member and subsystem of this instance. */
export function listClients(snap: RegistrySnapshot) {
  return {
    member: [...snap.clients.values()].map((c) => {
      const [instance, memberClass, memberCode] = c.memberKey.split('/') as [string, string, string];
      return {
        id: {
          member_class: memberClass,
          member_code: memberCode,
          object_type: c.subsystemCode ? 'SUBSYSTEM' : 'MEMBER',
          ...(c.subsystemCode ? { subsystem_code: c.subsystemCode } : {}),
          xroad_instance: instance,
        },
        name: c.name,
      };
    }),
  };
}

/** `listMethods`: the provider's services with their endpoints. */
export const listMethods = (snap: RegistrySnapshot, provider: SubsystemId) => ({ service: servicesOf(snap, provider).map((s) => entry(s, declared(s))) });

/** `allowedMethods`: only what this client may call (an all-endpoints grant lists the declared endpoints). */
export function allowedMethods(snap: RegistrySnapshot, provider: SubsystemId, client: string) {
  const service = [];
  for (const s of servicesOf(snap, provider)) {
    const granted = snap.grantedEndpoints(s.key, client);
    if (!granted.length) continue;
    const all = granted.some((g) => g.method === '*' && g.path === '/**');
    service.push(entry(s, all ? declared(s) : granted.map((g) => ({ method: g.method, path: g.path }))));
  }
  return { service };
}

/** `getOpenAPI?serviceCode=`: the description as registered (YAML or JSON). */
export function getOpenApi(snap: RegistrySnapshot, provider: SubsystemId, serviceCode: string | null): { type: string; body: string } {
  const s = servicesOf(snap, provider).find((x) => x.sid.serviceCode === serviceCode);
  if (!s?.openapi)
    throw unknownService(`Không có mô tả OpenAPI cho dịch vụ "${serviceCode ?? ''}".`, `No OpenAPI description for service "${serviceCode ?? ''}".`);
  return { type: s.openapi.trimStart().startsWith('{') ? 'application/json; charset=utf-8' : 'application/yaml; charset=utf-8', body: s.openapi };
}
