import type { Db } from '../../platform/db/index.js';
import type { SetName } from './sta/model.js';
import { rowsById, type Row } from './sta/read.js';

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

  /** Announces entities of one set by id, read back only when someone listens (call it after the commit). */
  async announceIds(db: Db, set: SetName, ids: number[]): Promise<void> {
    if (!this.wanted || !ids.length) return;
    this.announce((await rowsById(db, set, ids)).map((row) => ({ set, row })));
  }
}
