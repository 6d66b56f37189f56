/** Remote reads for harvesting: a timeout, a size cap, no cookies, an identifying User-Agent. */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
const TIMEOUT_MS = 60_000;

export class FetchError extends Error {}

export async function fetchText(url: string, opts: { accept: string; headers?: Record<string, string> }): Promise<{ body: string; contentType: string }> {
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { accept: opts.accept, 'user-agent': 'TinhSo-harvester/1.0', ...opts.headers },
      redirect: 'follow',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (e) {
    throw new FetchError(`cannot reach ${url}: ${(e as Error).message}`);
  }
  if (!res.ok) throw new FetchError(`${url} answered HTTP ${res.status}`);
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > MAX_RESPONSE_BYTES) throw new FetchError(`${url} is larger than ${MAX_RESPONSE_BYTES} bytes`);
  const reader = res.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > MAX_RESPONSE_BYTES) {
        await reader.cancel();
        throw new FetchError(`${url} is larger than ${MAX_RESPONSE_BYTES} bytes`);
      }
      chunks.push(value);
    }
  }
  return { body: Buffer.concat(chunks).toString('utf8'), contentType: res.headers.get('content-type') ?? '' };
}

export async function fetchJson<T>(url: string, headers?: Record<string, string>): Promise<T> {
  const { body } = await fetchText(url, { accept: 'application/json', headers });
  try {
    return JSON.parse(body) as T;
  } catch {
    throw new FetchError(`${url} did not return JSON`);
  }
}
