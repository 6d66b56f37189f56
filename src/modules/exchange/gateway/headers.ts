import type { IncomingHttpHeaders } from 'node:http';

/** Hop-by-hop headers (RFC 9110 §7.6.1) and those the platform owns or must not pass on. */
const DROP_REQUEST = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'host',
  'user-agent',
  // The gateway's credential and the portal's cookies are for the platform, not the provider.
  'authorization',
  'cookie',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
]);
const DROP_RESPONSE = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'server', 'set-cookie']);
/** X-Road headers a client may send and the provider receives as they are. */
const CLIENT_XROAD = new Set(['x-road-userid', 'x-road-issue', 'x-road-represented-party']);
const NONE: ReadonlySet<string> = new Set(['keep-alive', 'close']);

function named(connection: string | string[] | undefined): ReadonlySet<string> {
  if (connection === undefined || connection === 'keep-alive' || connection === 'close') return NONE;
  const v = Array.isArray(connection) ? connection.join(',') : connection;
  return new Set(
    v
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** The user headers a provider receives, plus the X-Road headers the platform sets. */
export function providerHeaders(h: IncomingHttpHeaders, xroad: Record<string, string>): Record<string, string | string[]> {
  const extra = named(h.connection);
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined || DROP_REQUEST.has(k) || extra.has(k)) continue;
    if (k.startsWith('x-road-') && !CLIENT_XROAD.has(k)) continue;
    out[k] = v;
  }
  return Object.assign(out, xroad);
}

/**
 * The provider's raw response headers (name, value, … as undici gives them) that a client receives
 * (hop-by-hop, Server and cookies removed), followed by the platform's X-Road headers — or, from
 * another instance's gateway (`keepXroad`), with its X-Road headers kept over ours.
 */
export function clientHeaderList(raw: Buffer[], xroad: Record<string, string>, keepXroad: boolean): string[] {
  const out: string[] = [];
  let extra: ReadonlySet<string> | undefined;
  const seen = keepXroad ? new Set<string>() : undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toString('latin1');
    const k = name.toLowerCase();
    if (k === 'connection') {
      extra = named(raw[i + 1]!.toString('latin1'));
      continue;
    }
    if (DROP_RESPONSE.has(k)) continue;
    if (k.startsWith('x-road-')) {
      if (!keepXroad) continue;
      seen!.add(k);
    }
    out.push(name, raw[i + 1]!.toString('latin1'));
  }
  if (extra?.size) for (let i = out.length - 2; i >= 0; i -= 2) if (extra.has(out[i]!.toLowerCase())) out.splice(i, 2);
  for (const [k, v] of Object.entries(xroad)) if (!seen?.has(k)) out.push(k, v);
  return out;
}

export const headerOf = (h: IncomingHttpHeaders, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};
