import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../../../platform/db/index.js';
import { bindStore, SearchStore, unbindStore } from './store.js';

/**
 * The catalog's in-memory search index as a long-lived service of one app: built in the
 * background after the server listens (queries take the SQL path until it is ready), reporting
 * its size, and dropped on shutdown. `mode: 'off'` keeps every query in SQL.
 */
export class SearchIndex {
  private store: SearchStore | null = null;
  private db: Db | null = null;
  private warming: Promise<void> = Promise.resolve();

  constructor(private readonly mode: 'memory' | 'off') {}

  start(db: Db, log: FastifyBaseLogger): void {
    if (this.mode === 'off') {
      log.info('search index off: every catalogue query runs in PostgreSQL');
      return;
    }
    const store = new SearchStore();
    bindStore(db, store);
    [this.store, this.db] = [store, db];
    const t0 = performance.now();
    this.warming = store.sync(db).then(
      () =>
        log.info(
          { datasets: store.size, memoryMiB: Math.round((store.approxBytes() / 1024 / 1024) * 10) / 10, ms: Math.round(performance.now() - t0) },
          'search index warmed',
        ),
      (e: unknown) => log.error({ err: e }, 'search index failed to load; queries stay in PostgreSQL'),
    );
  }

  /** Resolves once the first load has finished (or failed). */
  ready(): Promise<void> {
    return this.warming;
  }

  async stop(): Promise<void> {
    await this.warming;
    if (this.store && this.db) unbindStore(this.db, this.store);
    [this.store, this.db] = [null, null];
  }
}
