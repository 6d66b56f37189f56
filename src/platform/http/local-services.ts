import type { IncomingMessage, ServerResponse } from 'node:http';

/** What the caller of an in-process service was verified to be (by the exchange gateway). */
export interface LocalCall {
  /** The calling client, `INSTANCE/CLASS/MEMBER[/SUBSYSTEM]`, whose credential the gateway checked. */
  client: string;
  /** The service called, `INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE`. */
  service: string;
  /** The path after the service, decoded and checked (`/packages`), and the query with its `?`. */
  path: string;
  query: string;
  /** X-Road-Id: the client's message id (an idempotency key), or a new one. */
  messageId: string;
}

/** An in-process HTTP handler: the request body is still to be read; it must end the response. */
export type LocalHandler = (req: IncomingMessage, res: ServerResponse, call: LocalCall) => Promise<void>;

/**
 * Services a module offers in-process by name, for the exchange gateway to serve a registered
 * service whose address is `local:NAME`. Such a service is reached only through the gateway (it
 * has no URL of its own), so the handler may trust the client identity it is given — the X-Road
 * model of a provider behind its security server, without a network hop or a shared secret.
 */
export class LocalServices {
  private readonly handlers = new Map<string, LocalHandler>();

  provide(name: string, handler: LocalHandler): void {
    if (this.handlers.has(name)) throw new Error(`local service ${name} is provided twice`);
    this.handlers.set(name, handler);
  }

  get(name: string): LocalHandler | undefined {
    return this.handlers.get(name);
  }
}

/**
 * The address the app listens on (`http://127.0.0.1:PORT`), known once it listens: for a module that
 * calls its own instance's gateway (the documents module sends through the exchange this way).
 */
export class SelfAddress {
  private value: string | undefined;
  private readonly waiters: Array<(url: string) => void> = [];

  set(url: string): void {
    this.value ??= url;
    for (const w of this.waiters.splice(0)) w(this.value);
  }

  get url(): string | undefined {
    return this.value;
  }

  /** The address, waiting for the server to listen if it has not yet. */
  ready(): Promise<string> {
    return this.value ? Promise.resolve(this.value) : new Promise((r) => this.waiters.push(r));
  }
}
