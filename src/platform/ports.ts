/**
 * Typed services one module offers others in the same app, when it is installed: the providing
 * module declares a port (name and type) in its index.ts and provides it in `init`; a module that
 * uses it asks for it in its own hooks and does without when it is absent (the documents module's
 * outbox, which the planning module sends its final report through). Not for HTTP-shaped
 * services: those are `local` (the exchange gateway's).
 */
export interface Port<T> {
  readonly name: string;
  /** Carries the type only. */
  readonly _type?: T;
}

export const definePort = <T>(name: string): Port<T> => ({ name });

export class Ports {
  private readonly impls = new Map<string, unknown>();

  provide<T>(port: Port<T>, impl: T): void {
    if (this.impls.has(port.name)) throw new Error(`port ${port.name} is provided twice`);
    this.impls.set(port.name, impl);
  }

  get<T>(port: Port<T>): T | undefined {
    return this.impls.get(port.name) as T | undefined;
  }
}
