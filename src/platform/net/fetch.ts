import { Readable } from 'node:stream';
import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { Agent, Dispatcher, fetch as undiciFetch } from 'undici';
import { isAllowedHost, isPublicAddress, refusedByName, type OutboundPolicy } from './policy.js';

/**
 * Why an outbound request did not get an answer. The message names only the URL's origin: a
 * refused internal address, a closed port, a timeout and an unknown host all read the same, so
 * whoever may point the platform at a URL learns nothing about the internal network.
 */
export class OutboundError extends Error {
  constructor(readonly url: string) {
    super(`cannot reach ${safeOrigin(url)}`);
    this.name = 'OutboundError';
  }
}

/** The remote answered with a status that is not 2xx (only reported for addresses the policy lets us reach). */
export class OutboundStatusError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(`${safeOrigin(url)} answered HTTP ${status}`);
    this.name = 'OutboundStatusError';
  }
}

export class OutboundTooLargeError extends Error {
  constructor(
    readonly url: string,
    readonly limit: number,
  ) {
    super(`${safeOrigin(url)} sent more than ${limit} bytes`);
    this.name = 'OutboundTooLargeError';
  }
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the address';
  }
}

const MAX_REDIRECTS = 5;

/** DNS answers are checked before connecting: only public addresses (no rebinding to an internal one). */
export const publicLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '', 4);
    const ok = addresses.filter((a) => isPublicAddress(a.address));
    if (ok.length === 0) return callback(Object.assign(new Error('refused: internal address'), { code: 'EREFUSED_INTERNAL' }), '', 4);
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, ok);
    callback(null, ok[0]!.address, ok[0]!.family);
  });
};

export interface OutboundRequest {
  accept: string;
  headers?: Record<string, string>;
  maxBytes: number;
  timeoutMs: number;
}

export interface OutboundResponse {
  url: string;
  status: number;
  headers: Headers;
  body: Buffer;
}

/** An opened response: the body still to be read, as a size-capped stream. */
export interface OutboundStream {
  url: string;
  status: number;
  headers: Headers;
  body: Readable;
}

/**
 * GETs a URL under the outbound policy: http(s) only; internal addresses (private, loopback,
 * link-local, …, by IP literal or by any DNS answer) refused unless the operator allows the host;
 * redirects followed by hand (at most five), each hop checked the same way; a timeout and a size
 * cap on the body. No cookies are sent.
 */
export class Outbound {
  // undici is loaded with the first request (most server starts never make one; importing it costs ~0.1 s).
  private agents: Promise<{ open: Agent; guarded: Agent; fetch: typeof undiciFetch }> | undefined;

  constructor(readonly policy: OutboundPolicy) {}

  private loadAgents() {
    return (this.agents ??= import('undici').then(({ Agent, fetch }) => ({
      open: new Agent({ connect: { timeout: 10_000 } }),
      guarded: new Agent({ connect: { timeout: 10_000, lookup: publicLookup } }),
      fetch,
    })));
  }

  private async dispatcherFor(u: URL): Promise<Dispatcher> {
    const port = u.port || (u.protocol === 'https:' ? '443' : '80');
    const agents = await this.loadAgents();
    if (isAllowedHost(this.policy, u.hostname, port)) return agents.open;
    if (refusedByName(u.hostname)) throw new OutboundError(u.toString());
    return agents.guarded;
  }

  /**
   * Opens a URL under the policy and returns its body as a stream, size-capped as it is read (a
   * 304 answer to a conditional request comes back with an empty body). The caller reads or
   * destroys the body.
   */
  async open(url: string, req: OutboundRequest): Promise<OutboundStream> {
    const signal = AbortSignal.timeout(req.timeoutMs);
    let current = url;
    for (let hop = 0; ; hop++) {
      let u: URL;
      try {
        u = new URL(current);
      } catch {
        throw new OutboundError(current);
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new OutboundError(current);
      const dispatcher = await this.dispatcherFor(u);
      const { fetch } = await this.loadAgents();
      let res: Awaited<ReturnType<typeof fetch>>;
      try {
        res = await fetch(u, { headers: { accept: req.accept, 'user-agent': 'TinhSo/1.0', ...req.headers }, redirect: 'manual', signal, dispatcher });
      } catch {
        throw new OutboundError(current);
      }
      if (res.status >= 300 && res.status < 400 && res.status !== 304 && res.headers.get('location')) {
        await res.body?.cancel();
        if (hop >= MAX_REDIRECTS) throw new OutboundError(url);
        current = new URL(res.headers.get('location')!, u).toString();
        continue;
      }
      if (res.status !== 304 && (res.status < 200 || res.status >= 300)) {
        await res.body?.cancel();
        throw new OutboundStatusError(current, res.status);
      }
      if (Number(res.headers.get('content-length') ?? 0) > req.maxBytes) {
        await res.body?.cancel();
        throw new OutboundTooLargeError(current, req.maxBytes);
      }
      const source = res.body;
      const at = current;
      const body = Readable.from(
        (async function* () {
          let size = 0;
          try {
            for await (const chunk of source ?? []) {
              size += chunk.length;
              if (size > req.maxBytes) throw new OutboundTooLargeError(at, req.maxBytes);
              yield Buffer.from(chunk);
            }
          } catch (e) {
            if (e instanceof OutboundTooLargeError) throw e;
            throw new OutboundError(at);
          }
        })(),
      );
      return { url: current, status: res.status, headers: res.headers as unknown as Headers, body };
    }
  }

  /**
   * POSTs a body under the same policy (a webhook): a redirect is not followed but answered as an
   * error, as is any status but 2xx. Only the status and headers are kept: the body is not read.
   */
  async post(url: string, req: Omit<OutboundRequest, 'maxBytes'> & { body: string; contentType: string }): Promise<Omit<OutboundResponse, 'body'>> {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new OutboundError(url);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new OutboundError(url);
    const dispatcher = await this.dispatcherFor(u);
    const { fetch } = await this.loadAgents();
    let res: Awaited<ReturnType<typeof fetch>>;
    try {
      res = await fetch(u, {
        method: 'POST',
        headers: { accept: req.accept, 'content-type': req.contentType, 'user-agent': 'TinhSo/1.0', ...req.headers },
        body: req.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(req.timeoutMs),
        dispatcher,
      });
    } catch {
      throw new OutboundError(url);
    }
    if (res.status < 200 || res.status >= 300) {
      await res.body?.cancel();
      throw new OutboundStatusError(url, res.status);
    }
    await res.body?.cancel();
    return { url, status: res.status, headers: res.headers as unknown as Headers };
  }

  async get(url: string, req: OutboundRequest): Promise<OutboundResponse> {
    const res = await this.open(url, req);
    if (res.status === 304) {
      res.body.destroy();
      throw new OutboundStatusError(res.url, 304);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of res.body as AsyncIterable<Buffer>) chunks.push(chunk);
    return { url: res.url, status: res.status, headers: res.headers, body: Buffer.concat(chunks) };
  }

  async close(): Promise<void> {
    if (!this.agents) return;
    const { open, guarded } = await this.agents;
    await Promise.all([open.close(), guarded.close()]);
  }
}
