import type { Command } from 'commander';
import { openAppDatabase, prepareDatabase, type AppDatabase } from '../app/index.js';
import { loadConfig, type Config } from '../platform/config/index.js';

/** The `--data-dir` option every command that opens the database takes. */
export const dataDirOpt = (c: Command) => c.option('--data-dir <dir>', 'data directory (env TINHSO_DATA_DIR, default ./var)');

export interface GlobalOpts {
  dataDir?: string;
}

/**
 * Runs a command against the app database: the external one (DATABASE_URL), the embedded one of a
 * running server on the same data dir, or an embedded one started just for this command.
 */
export async function withDatabase<T>(opts: GlobalOpts, fn: (adb: AppDatabase, config: Config) => Promise<T>, prepare = true): Promise<T> {
  const config = loadConfig({ dataDir: opts.dataDir });
  const adb = await openAppDatabase(config, { advertise: false, poolMax: 4 });
  // Interrupted: stop the embedded database this command may have started, then exit.
  const interrupt = () => void adb.close().finally(() => process.exit(130));
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    if (prepare) await prepareDatabase(adb.database.db, { demo: false });
    return await fn(adb, config);
  } finally {
    await adb.close();
  }
}

export function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}
