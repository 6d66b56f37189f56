import type { Db } from './db/index.js';

/** A kind of domain event: its name and (in the type) its payload. Declared by the module that emits it. */
export interface EventKind<T extends object> {
  readonly name: string;
  readonly payload?: T;
}

export const defineEvent = <T extends object>(name: string): EventKind<T> => ({ name });

export type EventHandler<T> = (trx: Db, payload: T) => Promise<void>;

/**
 * Cross-module effects without cross-module imports: a module emits its events, others subscribe
 * through the composition root. Handlers run in the emitter's transaction, in subscription order,
 * so an effect (e.g. refreshing search text after an organization is renamed) commits or rolls
 * back with the change that caused it. One bus per app, built with the shared services.
 */
export class EventBus {
  private readonly handlers = new Map<string, EventHandler<never>[]>();

  on<T extends object>(kind: EventKind<T>, handler: EventHandler<T>): void {
    this.handlers.set(kind.name, [...(this.handlers.get(kind.name) ?? []), handler as EventHandler<never>]);
  }

  async emit<T extends object>(trx: Db, kind: EventKind<T>, payload: T): Promise<void> {
    for (const h of this.handlers.get(kind.name) ?? []) await (h as EventHandler<T>)(trx, payload);
  }
}
