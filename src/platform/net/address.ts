import dns from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { OutboundError } from './fetch.js';
import { isAllowedHost, isPublicAddress, refusedByName, type OutboundPolicy } from './policy.js';

/**
 * The address to open a connection that is not HTTP (a sector system's database) to: a host the
 * operator allows as it is, else a public address it resolves to (every DNS answer must be
 * public; the connection then goes to that address, so a second lookup cannot point elsewhere).
 * Refusals read like every other outbound failure.
 */
export async function reachableAddress(policy: OutboundPolicy, host: string, port: number): Promise<string> {
  const target = `tcp://${host}:${port}`;
  if (isAllowedHost(policy, host, String(port))) return host;
  if (refusedByName(host)) throw new OutboundError(target);
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (ipaddr.isValid(h)) return h;
  const answers = await dns.lookup(h, { all: true }).catch(() => []);
  if (!answers.length || answers.some((a) => !isPublicAddress(a.address))) throw new OutboundError(target);
  return answers[0]!.address;
}
