import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type * as App from '../src/app/index.js';
import type * as Auth from '../src/platform/auth/index.js';
import type * as Audit from '../src/platform/audit/index.js';
import type * as Config from '../src/platform/config/index.js';
import type * as Db from '../src/platform/db/index.js';
import { built } from './lib.js';

/** The running build (`tinhso start`) on a fresh embedded PostgreSQL, for the benches that measure the app itself. */
export interface AppBench {
  dir: string;
  /** The server's base URL. */
  base: string;
  /** A sysadmin's API token. */
  token: string;
  /** A direct connection, for the SQL baselines (psql uses `adminUrl`). */
  client: pg.Client;
  adminUrl: string;
  db: Db.Database;
  stop(): Promise<void>;
}

/** Starts `tinhso start`'s build (with the MQTT broker on `mqttPort`, or none) and makes a sysadmin with a token. */
export async function startAppBench(prefix: string, mqttPort: number | 'off'): Promise<AppBench> {
  const { startServer } = await built<typeof App>('app/index.js');
  const { createUserUnchecked, createTokenUnchecked } = await built<typeof Auth>('platform/auth/index.js');
  const { SYSTEM_ACTOR } = await built<typeof Audit>('platform/audit/index.js');
  const { loadConfig } = await built<typeof Config>('platform/config/index.js');
  const { connect, startEmbedded } = await built<typeof Db>('platform/db/index.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755);
  const pgh = await startEmbedded({ dataDir: path.join(dir, 'pg'), database: 'postgres' });
  const server = await startServer(loadConfig({ dataDir: path.join(dir, 'app'), databaseUrl: pgh.adminUrl, port: 0, logLevel: 'silent', mqttPort }, {}));
  const client = new pg.Client(pgh.adminUrl);
  await client.connect();
  const db = connect(pgh.adminUrl, { max: 2 });
  const user = await createUserUnchecked(db.db, SYSTEM_ACTOR, { email: 'bench@example.org', name: 'bench', password: 'bench-password-long', isSysadmin: true });
  const token = (await createTokenUnchecked(db.db, SYSTEM_ACTOR, user.id, { name: 'bench' })).token;
  return {
    dir,
    base: `http://127.0.0.1:${(server.app.server.address() as { port: number }).port}`,
    token,
    client,
    adminUrl: pgh.adminUrl,
    db,
    stop: async () => {
      await db.close();
      await client.end();
      await server.stop();
      await pgh.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
