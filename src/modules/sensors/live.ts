import type { SetName } from './sta/model.js';
import type { Row } from './sta/read.js';

/** An entity just written (committed): its set and its row, as `render` takes it. */
export interface Change {
  set: SetName;
  row: Row;
}

type Listener = (changes: Change[]) => void;

/**
 * The entities this instance has just committed, for whoever relays them live: the MQTT broker
 * (SensorThings' subscriptions), the map's event stream. Writers check `wanted` first, so with no
 * one listening nothing is read back or rendered.
 */
export class Live {
  private readonly listeners = new Set<Listener>();

  get wanted(): boolean {
    return this.listeners.size > 0;
  }

  /** Listens; the returned function stops it. */
  listen(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  announce(changes: Change[]): void {
    if (!changes.length) return;
    for (const fn of this.listeners) fn(changes);
  }
}
