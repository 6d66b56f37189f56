import { badRequest, FieldErrors } from '../../../platform/http/index.js';
import { IdError, parseClient, parseService, PART_RE } from '../ids.js';
import { parseEndpoint, type Endpoint } from './endpoints.js';

/**
 * The declarative registry (`tinhso exchange apply FILE.yaml`, the registry page): the whole
 * state of this instance's members, subsystems, services, groups, access rights and upstreams.
 */
export interface RegistryFile {
  instance: string;
  members: MemberEntry[];
  groups?: GroupEntry[];
  access?: AccessEntry[];
  upstreams?: UpstreamEntry[];
}
export interface MemberEntry {
  class: string;
  code: string;
  name: string;
  /** The organization's slug in the organizations module (else the one whose organ code is `code`). */
  organization?: string;
  subsystems?: SubsystemEntry[];
}
export interface SubsystemEntry {
  code: string;
  name?: string;
  rate_per_minute?: number;
  quota_per_day?: number;
  services?: ServiceEntry[];
}
export interface ServiceEntry {
  code: string;
  url: string;
  /** A file path (relative to the registry file) or an inline OpenAPI document. */
  openapi?: string;
  timeout_ms?: number;
  log_bodies?: boolean;
  body_retention_days?: number;
  durable_log?: boolean;
}
export interface GroupEntry {
  code: string;
  name?: string;
  members: string[];
}
export interface AccessEntry {
  service: string;
  clients: string[];
  endpoints?: string[];
}
export interface UpstreamEntry {
  instance: string;
  url: string;
  /** The file holding the token the other instance issued to this one (relative to the registry file). */
  token_file: string;
}

const msg = (vi: string, en: string) => ({ vi, en });
const GROUP_RE = /^group:[A-Za-z0-9'()+,\-.=?]{1,255}$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A client in an access rule or a group: a member, a subsystem, or (rules only) `group:CODE`. */
export function checkClientRef(v: string, field: string, allowGroup: boolean): string {
  if (allowGroup && GROUP_RE.test(v)) return v;
  try {
    parseClient(v);
    return v;
  } catch (e) {
    if (!(e instanceof IdError)) throw e;
    throw badRequest(
      'invalid_client',
      msg(
        `Bên gọi "${v}" không hợp lệ: dạng INSTANCE/CLASS/MEMBER[/SUBSYSTEM]${allowGroup ? ' hoặc group:MÃ' : ''}.`,
        `Client "${v}" is not valid: INSTANCE/CLASS/MEMBER[/SUBSYSTEM]${allowGroup ? ' or group:CODE' : ''}.`,
      ),
      field,
    );
  }
}

/** An endpoint rule "METHOD /path/pattern" (`*` one segment, `**` any). */
export function checkEndpoint(v: string, field: string): Endpoint {
  const e = parseEndpoint(v);
  if (!e)
    throw badRequest(
      'invalid_endpoint',
      msg(`Điểm cuối "${v}" không hợp lệ (ví dụ "GET /stations/*").`, `Endpoint "${v}" is not valid (e.g. "GET /stations/*").`),
      field,
    );
  return e;
}

/** A service a module of this instance offers in-process (LocalServices), e.g. `local:documents`. */
export const LOCAL_SERVICE = /^local:([a-z][a-z0-9-]{0,62})$/;

/** A provider's base URL: http(s), no credentials, no fragment; or `local:NAME`. */
export function checkServiceUrl(v: string, field: string): string {
  if (LOCAL_SERVICE.test(v)) return v;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw badRequest('invalid_url', msg('Địa chỉ dịch vụ không phải URL http(s).', 'The service address is not an http(s) URL.'), field);
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.username || u.password || u.hash)
    throw badRequest(
      'invalid_url',
      msg('Địa chỉ dịch vụ phải là http(s), không kèm tài khoản hay “#”.', 'The service address must be http(s), without credentials or “#”.'),
      field,
    );
  return u.href;
}

/**
 * Checks a parsed registry file: every invalid field at once, each named by its path
 * (`members[0].subsystems[1].services[0].url`). Returns it typed; changes nothing.
 */
export function checkRegistryFile(input: unknown): RegistryFile {
  const errors = new FieldErrors();
  const bad = (field: string, vi: string, en: string) => errors.add(badRequest('invalid_registry', msg(vi, en), field));
  if (!isObj(input)) {
    bad('', 'Tệp đăng ký phải là một đối tượng YAML/JSON.', 'The registry file must be a YAML/JSON object.');
    errors.throwIfAny();
  }
  const f = input as Obj;
  const part = (v: unknown, field: string) => {
    if (typeof v !== 'string' || !PART_RE.test(v))
      bad(field, "Chỉ gồm A–Z a–z 0–9 ' ( ) + , - . = ? (1–255 ký tự).", "Only A–Z a–z 0–9 ' ( ) + , - . = ? (1–255 characters).");
  };
  const list = (v: unknown, field: string, required: boolean): unknown[] => {
    if (v === undefined && !required) return [];
    if (!Array.isArray(v)) {
      bad(field, 'Phải là một danh sách.', 'Must be a list.');
      return [];
    }
    return v;
  };
  const str = (v: unknown, field: string, max: number) => {
    if (typeof v !== 'string' || !v.trim() || v.length > max) bad(field, `Bắt buộc, tối đa ${max} ký tự.`, `Required, ${max} characters at most.`);
  };
  const int = (v: unknown, field: string, min: number, max: number) => {
    if (v !== undefined && (!Number.isInteger(v) || (v as number) < min || (v as number) > max))
      bad(field, `Số nguyên từ ${min} đến ${max}.`, `A whole number from ${min} to ${max}.`);
  };
  const bool = (v: unknown, field: string) => {
    if (v !== undefined && typeof v !== 'boolean') bad(field, 'Phải là true hoặc false.', 'Must be true or false.');
  };
  const unknownKeys = (o: Obj, allowed: string[], field: string) => {
    for (const k of Object.keys(o)) if (!allowed.includes(k)) bad(field ? `${field}.${k}` : k, 'Trường không được biết đến.', 'Unknown field.');
  };
  unknownKeys(f, ['instance', 'members', 'groups', 'access', 'upstreams'], '');
  part(f.instance, 'instance');
  const seen = new Set<string>();
  const once = (key: string, field: string) => {
    if (seen.has(key)) bad(field, 'Bị khai báo hai lần.', 'Declared twice.');
    seen.add(key);
  };
  list(f.members, 'members', true).forEach((m, i) => {
    const at = `members[${i}]`;
    if (!isObj(m)) return bad(at, 'Phải là một đối tượng.', 'Must be an object.');
    unknownKeys(m, ['class', 'code', 'name', 'organization', 'subsystems'], at);
    if (m.organization !== undefined) str(m.organization, `${at}.organization`, 100);
    part(m.class, `${at}.class`);
    part(m.code, `${at}.code`);
    str(m.name, `${at}.name`, 300);
    once(`m:${String(m.class)}/${String(m.code)}`, `${at}.code`);
    list(m.subsystems, `${at}.subsystems`, false).forEach((s, j) => {
      const sat = `${at}.subsystems[${j}]`;
      if (!isObj(s)) return bad(sat, 'Phải là một đối tượng.', 'Must be an object.');
      unknownKeys(s, ['code', 'name', 'rate_per_minute', 'quota_per_day', 'services'], sat);
      part(s.code, `${sat}.code`);
      if (s.name !== undefined) str(s.name, `${sat}.name`, 300);
      int(s.rate_per_minute, `${sat}.rate_per_minute`, 1, 10_000_000);
      int(s.quota_per_day, `${sat}.quota_per_day`, 1, 1_000_000_000);
      once(`s:${String(m.class)}/${String(m.code)}/${String(s.code)}`, `${sat}.code`);
      list(s.services, `${sat}.services`, false).forEach((v, k) => {
        const vat = `${sat}.services[${k}]`;
        if (!isObj(v)) return bad(vat, 'Phải là một đối tượng.', 'Must be an object.');
        unknownKeys(v, ['code', 'url', 'openapi', 'timeout_ms', 'log_bodies', 'body_retention_days', 'durable_log'], vat);
        part(v.code, `${vat}.code`);
        once(`v:${String(m.class)}/${String(m.code)}/${String(s.code)}/${String(v.code)}`, `${vat}.code`);
        if (typeof v.url !== 'string') bad(`${vat}.url`, 'Bắt buộc.', 'Required.');
        else errors.check(() => checkServiceUrl(v.url as string, `${vat}.url`));
        if (v.openapi !== undefined) str(v.openapi, `${vat}.openapi`, 2_000_000);
        int(v.timeout_ms, `${vat}.timeout_ms`, 100, 600_000);
        bool(v.log_bodies, `${vat}.log_bodies`);
        int(v.body_retention_days, `${vat}.body_retention_days`, 1, 3650);
        bool(v.durable_log, `${vat}.durable_log`);
      });
    });
  });
  list(f.groups, 'groups', false).forEach((g, i) => {
    const at = `groups[${i}]`;
    if (!isObj(g)) return bad(at, 'Phải là một đối tượng.', 'Must be an object.');
    unknownKeys(g, ['code', 'name', 'members'], at);
    part(g.code, `${at}.code`);
    once(`g:${String(g.code)}`, `${at}.code`);
    list(g.members, `${at}.members`, true).forEach((c, j) =>
      typeof c === 'string'
        ? errors.check(() => checkClientRef(c, `${at}.members[${j}]`, false))
        : bad(`${at}.members[${j}]`, 'Phải là chuỗi.', 'Must be a string.'),
    );
  });
  list(f.access, 'access', false).forEach((a, i) => {
    const at = `access[${i}]`;
    if (!isObj(a)) return bad(at, 'Phải là một đối tượng.', 'Must be an object.');
    unknownKeys(a, ['service', 'clients', 'endpoints'], at);
    if (typeof a.service !== 'string') bad(`${at}.service`, 'Bắt buộc.', 'Required.');
    else
      try {
        parseService(a.service);
      } catch {
        bad(`${at}.service`, 'Dịch vụ dạng INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE.', 'A service is INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE.');
      }
    list(a.clients, `${at}.clients`, true).forEach((c, j) =>
      typeof c === 'string'
        ? errors.check(() => checkClientRef(c, `${at}.clients[${j}]`, true))
        : bad(`${at}.clients[${j}]`, 'Phải là chuỗi.', 'Must be a string.'),
    );
    list(a.endpoints, `${at}.endpoints`, false).forEach((e, j) =>
      typeof e === 'string'
        ? errors.check(() => checkEndpoint(e, `${at}.endpoints[${j}]`))
        : bad(`${at}.endpoints[${j}]`, 'Phải là chuỗi.', 'Must be a string.'),
    );
  });
  list(f.upstreams, 'upstreams', false).forEach((u, i) => {
    const at = `upstreams[${i}]`;
    if (!isObj(u)) return bad(at, 'Phải là một đối tượng.', 'Must be an object.');
    unknownKeys(u, ['instance', 'url', 'token_file'], at);
    part(u.instance, `${at}.instance`);
    if (u.instance === f.instance) bad(`${at}.instance`, 'Không thể là chính hệ thống này.', 'Cannot be this instance itself.');
    once(`u:${String(u.instance)}`, `${at}.instance`);
    if (typeof u.url !== 'string') bad(`${at}.url`, 'Bắt buộc.', 'Required.');
    else errors.check(() => checkServiceUrl(u.url as string, `${at}.url`));
    str(u.token_file, `${at}.token_file`, 1000);
  });
  errors.throwIfAny();
  return f as unknown as RegistryFile;
}
