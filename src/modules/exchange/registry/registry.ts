import type { SecretBox } from '../../../platform/crypto/index.js';
import type { Db } from '../../../platform/db/index.js';
import { loadSnapshot, RegistrySnapshot } from './snapshot.js';
import { registryVersion } from './version.js';

const POLL_MS = 1000;

/**
 * The live registry of one gateway instance: a snapshot swapped whole when the registry's
 * version moves (checked every second, and at once after a change made here). Calls in flight
 * keep the snapshot they started with.
 */
export class Registry {
  private snap = RegistrySnapshot.empty();
  private timer: NodeJS.Timeout | undefined;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly box: () => SecretBox,
  ) {}

  get current(): RegistrySnapshot {
    return this.snap;
  }

  /** Loads the registry if its version moved (or always, when forced). */
  refresh(force = false): Promise<void> {
    if (this.loading) return this.loading;
    this.loading = (async () => {
      const { version } = await registryVersion(this.db);
      if (force || version !== this.snap.version) this.snap = await loadSnapshot(this.db, this.box);
    })().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private lastMiss = 0;

  /**
   * For a lookup that missed (an unknown credential): reloads when the version moved, at most
   * four times a second. True when a new snapshot was loaded.
   */
  async refreshSoon(): Promise<boolean> {
    const now = Date.now();
    if (now - this.lastMiss < 250) return false;
    this.lastMiss = now;
    const before = this.snap;
    await this.refresh().catch(() => undefined);
    return this.snap !== before;
  }

  /** Polls from now on (so a failed first load is retried), and loads the registry. */
  async start(): Promise<void> {
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), POLL_MS);
    this.timer.unref();
    await this.refresh(true);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
