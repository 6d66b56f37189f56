import { pino } from 'pino';
import type { Config } from '../platform/config/index.js';
import type { App } from '../platform/http/index.js';
import { buildApp } from './build.js';
import { openAppDatabase } from './database.js';
import { createJobQueue } from './jobs.js';
import { prepareDatabase } from './prepare.js';
import { createServices } from './services.js';
import { writeDemoCredentials } from './demo.js';

export interface RunningServer {
  app: App;
  url: string;
  stop(): Promise<void>;
}

/** `tinhso start`: database (embedded or external), migrations and seeds, services and jobs, HTTP, then the modules' long-lived services. */
export async function startServer(config: Config): Promise<RunningServer> {
  const log = pino({ level: config.logLevel });
  const bootLog = (m: string) => process.stderr.write(`[tinhso] ${m}\n`);
  const adb = await openAppDatabase(config, { advertise: true, log: config.logLevel === 'debug' ? bootLog : undefined });
  try {
    const db = adb.database.db;
    let stopping: Promise<void> | undefined;
    // Once shutting down, connection errors from the queue are expected (Ctrl-C also reaches PostgreSQL).
    const jobs = createJobQueue(adb.database.url, db, (m, e) => stopping === undefined && bootLog(`${m}: ${String(e)}`));
    const services = createServices(config, db, jobs, { log });
    // Building the app (CPU: routes, schemas) overlaps with preparing the database (I/O); nothing
    // is served before both are done.
    const [app] = await Promise.all([
      buildApp({ services }).then(async (a) => (await a.ready(), a)),
      prepareDatabase(db, { demo: config.demo, files: services.ctx.files, log: bootLog }).then(async ({ demoPassword }) => {
        if (demoPassword) writeDemoCredentials(config.dataDir, demoPassword);
        await jobs.start({ work: true });
      }),
    ]);
    await app.listen({ port: config.port, host: config.host });
    bootLog(`database: ${adb.describe}; listening on http://localhost:${config.port}`);
    await services.start();
    return {
      app,
      url: `http://localhost:${config.port}`,
      stop: () =>
        (stopping ??= (async () => {
          // Reverse order of start: HTTP, modules' services, workers, shared services, database.
          await app.close();
          await services.close();
          await jobs.stop();
          await adb.close();
        })()),
    };
  } catch (e) {
    await adb.close();
    throw e;
  }
}
