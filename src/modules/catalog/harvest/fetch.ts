import { OutboundError, OutboundStatusError, OutboundTooLargeError, type Outbound } from '../../../platform/net/index.js';

/** Remote reads for harvesting, through the platform's outbound policy (no internal addresses unless allowed). */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
const TIMEOUT_MS = 60_000;

export class FetchError extends Error {}

export async function fetchText(
  net: Outbound,
  url: string,
  opts: { accept: string; headers?: Record<string, string> },
): Promise<{ body: string; contentType: string }> {
  try {
    const res = await net.get(url, { accept: opts.accept, headers: opts.headers, maxBytes: MAX_RESPONSE_BYTES, timeoutMs: TIMEOUT_MS });
    return { body: res.body.toString('utf8'), contentType: res.headers.get('content-type') ?? '' };
  } catch (e) {
    if (e instanceof OutboundError || e instanceof OutboundStatusError || e instanceof OutboundTooLargeError) throw new FetchError(e.message);
    throw e;
  }
}

export async function fetchJson<T>(net: Outbound, url: string, headers?: Record<string, string>): Promise<T> {
  const { body } = await fetchText(net, url, { accept: 'application/json', headers });
  try {
    return JSON.parse(body) as T;
  } catch {
    throw new FetchError(`${new URL(url).origin} did not return JSON`);
  }
}
