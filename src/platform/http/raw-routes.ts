import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A path prefix served by its own handler before the framework sees the request: no JSON body
 * parsing, no session or CSRF hooks, no security-header plugin. For a module that speaks a
 * protocol of its own on a hot path (the exchange gateway's `/r1/`: its own client credentials,
 * bodies streamed both ways, a few microseconds per request). Everything else goes to Fastify.
 */
export interface RawRoute {
  /** Matched against the start of the request URL, e.g. `/r1/`. */
  prefix: string;
  handle(req: IncomingMessage, res: ServerResponse): void;
}

/** The raw routes of one app; filled by the modules before the server listens. */
export class RawRoutes {
  private routes: RawRoute[] = [];

  add(route: RawRoute): void {
    this.routes.push(route);
  }

  /** The handler for this URL, if a raw route claims it. */
  match(url: string | undefined): RawRoute | undefined {
    if (!url || this.routes.length === 0) return undefined;
    for (const r of this.routes) if (url.startsWith(r.prefix)) return r;
    return undefined;
  }
}
