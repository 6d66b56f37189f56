import ipaddr from 'ipaddr.js';

/**
 * Which hosts outbound requests (harvesting, URL pulls, webhooks, the exchange gateway) may reach.
 * Public addresses always; private, loopback, link-local and other special ranges only when the
 * operator lists the host (`TINHSO_OUTBOUND_ALLOW=10.0.0.5,ckan.internal:5000`).
 */
export interface OutboundPolicy {
  /** Hostnames or IP literals, optionally with `:port`, that may be reached even on internal addresses. */
  allow: readonly string[];
}

/** Only unicast addresses on the public internet ("unicast" in ipaddr.js' range names). */
export function isPublicAddress(address: string): boolean {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(address);
  } catch {
    return false;
  }
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  return ip.range() === 'unicast';
}

const bare = (host: string): string => host.replace(/^\[|\]$/g, '').toLowerCase();

/** Whether the operator allows this host (any port) or this host:port. */
export function isAllowedHost(policy: OutboundPolicy, host: string, port: string): boolean {
  const h = bare(host);
  return policy.allow.some((entry) => {
    const e = entry.trim().toLowerCase();
    if (!e) return false;
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(e);
    if (!m) return false;
    return bare(m[1]!) === h && (m[2] === undefined || m[2] === port);
  });
}

/**
 * Refused before any DNS lookup: an IP literal that is not public, and localhost names. The one
 * first check of every outbound target (HTTP in `Outbound`, other connections in `reachableAddress`).
 */
export function refusedByName(host: string): boolean {
  const h = bare(host);
  if (ipaddr.isValid(h)) return !isPublicAddress(h);
  return h === 'localhost' || h.endsWith('.localhost');
}

export const parseAllowList = (text: string | undefined): string[] =>
  (text ?? '')
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
