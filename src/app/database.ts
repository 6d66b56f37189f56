import type { Config } from '../platform/config/index.js';
import { connect, startEmbedded, type Database, type EmbeddedHandle } from '../platform/db/index.js';

export interface AppDatabase {
  database: Database;
  embedded: EmbeddedHandle | undefined;
  /** Where the database is, for messages: "embedded (port N)" or the external host. */
  describe: string;
  close(): Promise<void>;
}

/**
 * DATABASE_URL → that server. Otherwise the embedded PostgreSQL of the data dir: reused when a
 * running `tinhso start` advertises it, started (and later stopped) by this process when not.
 */
export async function openAppDatabase(config: Config, opts: { advertise: boolean; log?: (m: string) => void; poolMax?: number }): Promise<AppDatabase> {
  if (config.databaseUrl) {
    const database = connect(config.databaseUrl, { max: opts.poolMax });
    const host = new URL(config.databaseUrl).host;
    return { database, embedded: undefined, describe: `external (${host})`, close: () => database.close() };
  }
  // startEmbedded reuses a server a running `tinhso start` advertises, and starts one otherwise.
  const embedded = await startEmbedded({ dataDir: config.dataDir, advertise: opts.advertise, log: opts.log });
  const database = connect(embedded.url, { max: opts.poolMax });
  return {
    database,
    embedded,
    describe: embedded.owned ? `embedded (port ${embedded.port})` : `embedded, shared with the running server (port ${embedded.port})`,
    close: async () => {
      await database.close();
      await embedded.stop();
    },
  };
}
