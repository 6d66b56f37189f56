import type { Config } from '../platform/config/index.js';
import type { App } from '../platform/http/index.js';
import { buildApp, defineModuleJobs } from './build.js';
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

/** `tinhso start`: database (embedded or external), migrations and seeds, jobs, HTTP. */
export async function startServer(config: Config): Promise<RunningServer> {
  const logger = { level: config.logLevel };
  const bootLog = (m: string) => process.stderr.write(`[tinhso] ${m}\n`);
  const adb = await openAppDatabase(config, { advertise: true, log: config.logLevel === 'debug' ? bootLog : undefined });
  try {
    const db = adb.database.db;
    const services = createServices(config, db);
    const { demoPassword } = await prepareDatabase(db, { demo: config.demo, files: services.files, log: bootLog });
    if (demoPassword) writeDemoCredentials(config.dataDir, demoPassword);
    let stopping: Promise<void> | undefined;
    // Once shutting down, connection errors from the queue are expected (Ctrl-C also reaches PostgreSQL).
    const jobs = createJobQueue(adb.database.url, db, (m, e) => stopping === undefined && bootLog(`${m}: ${String(e)}`));
    defineModuleJobs(jobs, config, db, services);
    await jobs.start({ work: true });
    const app = await buildApp({ config, db, jobs, services, logger });
    await app.listen({ port: config.port, host: config.host });
    bootLog(`database: ${adb.describe}; listening on http://localhost:${config.port}`);
    return {
      app,
      url: `http://localhost:${config.port}`,
      stop: () =>
        (stopping ??= (async () => {
          // Reverse order of start: HTTP, workers, shared services, database.
          await app.close();
          await jobs.stop();
          await services.close();
          await adb.close();
        })()),
    };
  } catch (e) {
    await adb.close();
    throw e;
  }
}
