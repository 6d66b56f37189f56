import type { Command } from 'commander';
import { allMigrations, createJobQueue, createServices, startServer } from '../app/index.js';
import { startRun } from '../modules/catalog/index.js';
import { reload } from '../modules/datastore/index.js';
import { AUDIT_VERIFY_JOB, SYSTEM_ACTOR, verifyAudit } from '../platform/audit/index.js';
import { createTokenUnchecked, createUserUnchecked, findUser, systemPrincipal } from '../platform/auth/index.js';
import { loadConfig } from '../platform/config/index.js';
import {
  appliedMigrations,
  backupDatabase,
  currentMigrationName,
  migrateToLatest,
  readBackupHeader,
  resetPublicSchema,
  restoreTables,
} from '../platform/db/index.js';
import { isAppError } from '../platform/http/index.js';
import { getOrganization, setMember } from '../modules/organizations/index.js';
import { dataDirOpt, fail, withDatabase, type GlobalOpts } from './context.js';
import { watchJob } from './progress.js';
import { registerExchange } from './exchange.js';
import { registerEdxml } from './edxml.js';
import { registerIndices } from './indices.js';
import { registerAnalytics } from './analytics.js';

const CLI_ACTOR = { ...SYSTEM_ACTOR, label: 'cli' };

export function registerCommands(program: Command): void {
  registerHarvest(program);
  registerDatastore(program);
  registerExchange(program);
  registerEdxml(program);
  registerIndices(program);
  registerAnalytics(program);
  dataDirOpt(program.command('start').description('start the server (embedded PostgreSQL unless DATABASE_URL is set)'))
    .option('--port <port>', 'HTTP port (env PORT, default 8080)')
    .option('--mqtt-port <port>', 'the embedded MQTT broker’s port (env TINHSO_MQTT_PORT, default 1883; off: none)')
    .option('--demo', 'load the Ninh Thuận demo data on first start')
    .option('--no-demo', 'do not load demo data')
    .action(async (o: GlobalOpts & { port?: string; mqttPort?: string; demo?: boolean }) => {
      const config = loadConfig({ dataDir: o.dataDir, port: o.port, demo: o.demo ?? false, mqttPort: o.mqttPort });
      const starting = startServer(config);
      let exiting = false;
      // Installed before the server is up: a signal during start-up (the port already answers
      // while the modules' services start) waits for the start, then stops cleanly.
      const shutdown = (signal: string) => {
        if (exiting) return;
        exiting = true;
        process.stderr.write(`[tinhso] ${signal}: shutting down\n`);
        starting
          .then((server) => server.stop())
          .then(
            () => process.exit(0),
            (e: unknown) => {
              process.stderr.write(`[tinhso] shutdown failed: ${String(e)}\n`);
              process.exit(1);
            },
          );
      };
      process.on('SIGINT', () => shutdown('SIGINT'));
      process.on('SIGTERM', () => shutdown('SIGTERM'));
      await starting;
    });

  dataDirOpt(program.command('migrate').description('apply pending database migrations and reference data')).action(async (o: GlobalOpts) => {
    await withDatabase(o, async (adb) => {
      const applied = await appliedMigrations(adb.database.db);
      process.stdout.write(`${applied.length} migrations applied; database ${adb.describe}\n`);
    });
  });

  const user = program.command('user').description('manage users');
  dataDirOpt(user.command('create').description('create a user'))
    .requiredOption('--email <email>')
    .requiredOption('--password <password>')
    .requiredOption('--name <name>')
    .option('--sysadmin', 'make the user a system administrator')
    .option('--org <slug>', 'organization (slug or id) to add the user to')
    .option('--role <role>', 'role in --org: admin | editor | member', 'member')
    .action(async (o: GlobalOpts & { email: string; password: string; name: string; sysadmin?: boolean; org?: string; role: string }) => {
      if (!['admin', 'editor', 'member'].includes(o.role)) fail(`--role must be admin, editor or member (got "${o.role}")`, 2);
      await withDatabase(o, async (adb) => {
        const db = adb.database.db;
        const u = await createUserUnchecked(db, CLI_ACTOR, { email: o.email, password: o.password, name: o.name, isSysadmin: o.sysadmin ?? false });
        if (o.org) {
          const { org } = await getOrganization(db, o.org);
          await setMember(db, systemPrincipal(), CLI_ACTOR, org.id, u.id, o.role as 'admin');
        }
        process.stdout.write(`created user ${u.email} (${u.id})${u.is_sysadmin ? ' [sysadmin]' : ''}${o.org ? ` in ${o.org} as ${o.role}` : ''}\n`);
      });
    });

  const token = program.command('token').description('manage API tokens');
  dataDirOpt(token.command('create').description('create an API token (printed once, on the last line)'))
    .requiredOption('--email <email>')
    .option('--name <name>', 'a label for the token', 'cli')
    .option('--expires <duration>', 'lifetime such as 30d, 12h, 1y (default: never)')
    .action(async (o: GlobalOpts & { email: string; name: string; expires?: string }) => {
      await withDatabase(o, async (adb) => {
        const db = adb.database.db;
        const u = await findUser(db, o.email);
        if (!u) fail(`no user with e-mail ${o.email}`);
        const created = await createTokenUnchecked(db, CLI_ACTOR, u.id, { name: o.name, expiresIn: o.expires });
        process.stdout.write(
          `token "${created.row.name}" for ${u.email}${created.row.expires_at ? `, expires ${created.row.expires_at.toISOString()}` : ''}\n${created.token}\n`,
        );
      });
    });

  dataDirOpt(program.command('backup').argument('<file>').description('write a consistent backup of the database to FILE')).action(
    async (file: string, o: GlobalOpts) => {
      await withDatabase(o, async (adb) => {
        const h = await backupDatabase(adb.database.pool, file, await appliedMigrations(adb.database.db));
        process.stdout.write(`backup of ${h.tables.length} tables written to ${file}\n`);
      });
    },
  );

  dataDirOpt(program.command('restore').argument('<file>').description('replace the database content with a backup')).action(
    async (file: string, o: GlobalOpts) => {
      const header = await readBackupHeader(file);
      const known = allMigrations().map((m) => m.name);
      const unknown = header.migrations.map(currentMigrationName).filter((m) => !known.includes(m));
      if (unknown.length) fail(`the backup comes from a newer version (unknown migrations: ${unknown.join(', ')})`);
      await withDatabase(
        o,
        async (adb) => {
          await resetPublicSchema(adb.database.pool);
          await migrateToLatest(adb.database.db, allMigrations());
          const rows = await restoreTables(adb.database.pool, file);
          process.stdout.write(`restored ${rows} rows in ${header.tables.length} tables from ${file} (made ${header.createdAt})\n`);
        },
        false,
      );
    },
  );

  const audit = program.command('audit').description('audit trail');
  dataDirOpt(audit.command('verify').description('check the audit hash chain; exits 1 and names the first bad record'))
    .option('--job', 'run as a background job and show its progress')
    .action(async (o: GlobalOpts & { job?: boolean }) => {
      await withDatabase(o, async (adb) => {
        let result;
        if (o.job) {
          const jobs = createJobQueue(adb.database.url, adb.database.db, () => undefined);
          await jobs.start({ work: true, pollSeconds: 0.5 });
          try {
            const id = await jobs.enqueue(adb.database.db, AUDIT_VERIFY_JOB, {}, null);
            result = (await watchJob(jobs, id)) as Awaited<ReturnType<typeof verifyAudit>>;
          } finally {
            await jobs.stop();
          }
        } else result = await verifyAudit(adb.database.db);
        for (const c of result.chains)
          process.stdout.write(`${c.stream}: ${c.ok ? 'intact' : `BROKEN at record ${c.firstBad?.seq}`}, ${c.checked} records verified\n`);
        if (result.ok) process.stdout.write(`audit trail intact: ${result.checked} records verified in ${result.chains.length} chain(s)\n`);
        else
          fail(
            `audit trail BROKEN in chain ${result.firstBad?.stream} at record ${result.firstBad?.seq}: ${result.firstBad?.reason} (${result.checked} records before it are intact)`,
          );
      });
    });
}

function registerHarvest(program: Command): void {
  const harvest = program.command('harvest').description('harvest other catalogues (CKAN or DCAT)');
  dataDirOpt(harvest.command('run').argument('<source>', 'harvest source name or id').description('run a harvest now and show its progress'))
    .option('--incremental', 'only datasets modified since the last run')
    .action(async (source: string, o: GlobalOpts & { incremental?: boolean }) => {
      await withDatabase(o, async (adb, config) => {
        const jobs = createJobQueue(adb.database.url, adb.database.db, () => undefined);
        const services = createServices(config, adb.database.db, jobs);
        await jobs.start({ work: true, pollSeconds: 0.5 });
        try {
          const run = await startRun(adb.database.db, jobs, null, CLI_ACTOR, source, o.incremental ? 'incremental' : 'full');
          const out = (await watchJob(jobs, run.job_id)) as {
            status: string;
            created: number;
            updated: number;
            unchanged: number;
            deleted: number;
            errors: number;
          };
          process.stdout.write(
            `harvest ${out.status}: ${out.created} created, ${out.updated} updated, ${out.unchanged} unchanged, ${out.deleted} deleted, ${out.errors} errors (run ${run.id})\n`,
          );
          if (out.status !== 'finished') process.exitCode = 1;
        } finally {
          await jobs.stop();
          await services.close();
        }
      });
    });
}

function registerDatastore(program: Command): void {
  const ds = program.command('datastore').description('the datastore (data integration center)');
  dataDirOpt(
    ds.command('load').argument('<resource>', 'resource id').description("load the resource's stored file into the datastore again, with a progress bar"),
  ).action(async (resource: string, o: GlobalOpts) => {
    await withDatabase(o, async (adb, config) => {
      const jobs = createJobQueue(adb.database.url, adb.database.db, () => undefined);
      const services = createServices(config, adb.database.db, jobs);
      await jobs.start({ work: true, pollSeconds: 0.5 });
      try {
        const load = await reload(adb.database.db, jobs, systemPrincipal(), CLI_ACTOR, resource);
        const out = (await watchJob(jobs, load.job_id!, { unit: 'bytes' })) as { status: string; rows: number; version?: number; errors: number };
        process.stdout.write(
          out.status === 'loaded'
            ? `loaded ${out.rows} rows as version ${out.version} (load ${load.id})\n`
            : `${out.status}: ${out.errors} errors (load ${load.id}; GET /api/v1/datastore/${resource}/loads for the report)\n`,
        );
        if (out.status !== 'loaded') process.exitCode = 1;
      } finally {
        await jobs.stop();
        await services.close();
      }
    });
  });
}

export function reportError(e: unknown): never {
  if (isAppError(e)) fail(`error: ${e.msg.en}${e.field ? ` (field ${e.field})` : ''}`.replace(/\{(\w+)\}/g, (_, k: string) => String(e.params[k] ?? k)));
  fail(`error: ${e instanceof Error ? e.message : String(e)}`);
}
