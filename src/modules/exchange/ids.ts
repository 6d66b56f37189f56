/**
 * X-Road identifiers: a member `INSTANCE/CLASS/MEMBER`, a subsystem `…/SUBSYSTEM`, a service
 * `…/SUBSYSTEM/SERVICE`. Each part uses only `A–Z a–z 0–9 ' ( ) + , - . = ?` (so a Vietnamese organ
 * code such as `000.00.15.H58` is a member code as it is); in URLs and headers each part is
 * percent-encoded UTF-8.
 */
export const PART_RE = /^[A-Za-z0-9'()+,\-.=?]{1,255}$/;

export interface MemberId {
  instance: string;
  memberClass: string;
  memberCode: string;
}
export interface ClientId extends MemberId {
  /** Absent for a member-level client. */
  subsystemCode?: string;
}
export interface SubsystemId extends MemberId {
  subsystemCode: string;
}
export interface ServiceId extends SubsystemId {
  serviceCode: string;
}

/** Which part of an identifier is wrong, for the error message. */
export class IdError extends Error {
  constructor(
    readonly what: string,
    readonly value: string,
  ) {
    super(`${what}: "${value}"`);
  }
}

function decodePart(raw: string, what: string): string {
  let v = raw;
  try {
    if (raw.includes('%')) v = decodeURIComponent(raw);
  } catch {
    throw new IdError(what, raw);
  }
  if (!PART_RE.test(v)) throw new IdError(what, v);
  return v;
}

const NAMES = ['instance', 'member class', 'member code', 'subsystem code', 'service code'] as const;

/** Identifier parts from `A/B/C[/D[/E]]` (percent-encoded), with `min`–`max` parts. */
export function parseParts(text: string, min: number, max: number, what: string): string[] {
  const raw = text.split('/');
  if (raw.length < min || raw.length > max) throw new IdError(what, text);
  return raw.map((p, i) => decodePart(p, `${what} (${NAMES[i]})`));
}

/** `X-Road-Client`: a member or a subsystem. */
export function parseClient(text: string): ClientId {
  const [instance, memberClass, memberCode, subsystemCode] = parseParts(text.trim(), 3, 4, 'X-Road-Client');
  return { instance: instance!, memberClass: memberClass!, memberCode: memberCode!, ...(subsystemCode ? { subsystemCode } : {}) };
}

export function parseSubsystem(text: string, what = 'subsystem'): SubsystemId {
  const [instance, memberClass, memberCode, subsystemCode] = parseParts(text.trim(), 4, 4, what);
  return { instance: instance!, memberClass: memberClass!, memberCode: memberCode!, subsystemCode: subsystemCode! };
}

export function parseService(text: string, what = 'service'): ServiceId {
  const [instance, memberClass, memberCode, subsystemCode, serviceCode] = parseParts(text.trim(), 5, 5, what);
  return { instance: instance!, memberClass: memberClass!, memberCode: memberCode!, subsystemCode: subsystemCode!, serviceCode: serviceCode! };
}

/** The canonical text of an identifier (parts as they are; they never contain `/`). */
export const memberKey = (m: MemberId) => `${m.instance}/${m.memberClass}/${m.memberCode}`;
export const clientKey = (c: ClientId) => (c.subsystemCode ? `${memberKey(c)}/${c.subsystemCode}` : memberKey(c));
export const serviceKey = (s: ServiceId) => `${memberKey(s)}/${s.subsystemCode}/${s.serviceCode}`;
/** The provider subsystem of a service. */
export const providerKey = (s: SubsystemId) => `${memberKey(s)}/${s.subsystemCode}`;

/** The JSON form of the metaservices (`xroad_instance`, `member_class`, …). */
export const idJson = (s: ServiceId) => ({
  xroad_instance: s.instance,
  member_class: s.memberClass,
  member_code: s.memberCode,
  subsystem_code: s.subsystemCode,
  service_code: s.serviceCode,
});
