import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import {
  applyRegistry,
  createClientToken,
  createPeerToken,
  evidenceFiles,
  evidenceFor,
  exportRegistry,
  MessageLog,
  parseRegistryText,
  registerClientCert,
  registryYaml,
  verifyLog,
} from '../modules/exchange/index.js';
import { SYSTEM_ACTOR } from '../platform/audit/index.js';
import { secretBoxOf } from '../platform/crypto/index.js';
import { isAppError } from '../platform/http/index.js';
import { dataDirOpt, fail, withDatabase, type GlobalOpts } from './context.js';

/** Every invalid field of a refused input, one per line (the registry file names paths in it). */
function printErrors(e: unknown): void {
  if (!isAppError(e)) throw e;
  const all = e.fieldErrors.length ? e.fieldErrors : [{ field: e.field ?? '', msg: e.msg }];
  for (const f of all) process.stderr.write(`error: ${f.field ? `${f.field}: ` : ''}${f.msg.en}\n`);
  process.exitCode = 1;
}

/** `tinhso exchange …`: the registry as a file, client credentials, the message log. */
export function registerExchange(program: Command): void {
  const ex = program.command('exchange').description('the LGSP data-exchange gateway: registry, credentials, message log');
  dataDirOpt(
    ex
      .command('apply')
      .argument('<file>', 'registry file (YAML)')
      .description('make the registry what the file says; prints each change (none on a second run)'),
  )
    .option('--no-prune', 'only add and update; remove nothing the file leaves out')
    .option('--dry-run', 'print the changes without making them')
    .action(async (file: string, o: GlobalOpts & { prune: boolean; dryRun?: boolean }) => {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        fail(`error: cannot read ${file}`);
      }
      await withDatabase(o, async (adb, config) => {
        try {
          const box = secretBoxOf(config);
          const r = await applyRegistry(adb.database.db, () => box, parseRegistryText(text), {
            baseDir: path.dirname(path.resolve(file)),
            prune: o.prune,
            dryRun: o.dryRun,
            actor: { ...SYSTEM_ACTOR, label: 'cli' },
          });
          for (const c of r.changes) process.stdout.write(`${c}\n`);
          process.stdout.write(r.changes.length ? `${r.changes.length} change(s)${o.dryRun ? ' (dry run: nothing changed)' : ''}\n` : 'no changes\n');
        } catch (e) {
          printErrors(e);
        }
      });
    });
  dataDirOpt(ex.command('export').description('print the registry in the format apply reads')).action(async (o: GlobalOpts) => {
    await withDatabase(o, async (adb) => process.stdout.write(registryYaml(await exportRegistry(adb.database.db))));
  });

  const token = ex.command('token').description('client credentials');
  dataDirOpt(token.command('create').description('issue a token bound to a subsystem (or to another instance, for federation); printed on the last line'))
    .option('--client <id>', 'INSTANCE/CLASS/MEMBER/SUBSYSTEM')
    .option('--peer <instance>', 'another instance whose gateway calls this one')
    .option('--label <text>', 'a note kept with it')
    .action(async (o: GlobalOpts & { client?: string; peer?: string; label?: string }) => {
      if (!o.client === !o.peer) fail('error: give exactly one of --client or --peer');
      await withDatabase(o, async (adb) => {
        try {
          const t = o.client
            ? await createClientToken(adb.database.db, o.client, o.label ?? null)
            : await createPeerToken(adb.database.db, o.peer!, o.label ?? null);
          process.stdout.write(`token for ${o.client ?? `instance ${o.peer}`} (shown once; send it as "Authorization: Bearer …"):\n${t.token}\n`);
        } catch (e) {
          printErrors(e);
        }
      });
    });
  dataDirOpt(ex.command('cert').argument('<pem>', 'client certificate (PEM)').description('register a client certificate for mutual TLS'))
    .requiredOption('--client <id>', 'INSTANCE/CLASS/MEMBER/SUBSYSTEM')
    .action(async (pem: string, o: GlobalOpts & { client: string }) => {
      await withDatabase(o, async (adb) => {
        try {
          const r = await registerClientCert(adb.database.db, o.client, fs.readFileSync(pem, 'utf8'), path.basename(pem));
          process.stdout.write(`certificate ${r.fingerprint} registered for ${o.client}\n`);
        } catch (e) {
          printErrors(e);
        }
      });
    });

  const log = ex.command('log').description('the tamper-evident message log');
  dataDirOpt(log.command('verify').description('check the hash chain and the signed checkpoints; exits 1 and names the first bad record')).action(
    async (o: GlobalOpts) => {
      await withDatabase(o, async (adb) => {
        const r = await verifyLog(adb.database.db);
        if (r.ok) process.stdout.write(`message log intact: ${r.records} records, ${r.checkpoints} signed checkpoints verified\n`);
        else {
          process.stderr.write(`message log BROKEN at record ${r.firstBad!.seq}: ${r.firstBad!.reason} (${r.records} records before it are intact)\n`);
          process.exitCode = 1;
        }
      });
    },
  );
  dataDirOpt(
    log
      .command('evidence')
      .argument('<id>', 'message id (X-Road-Id) or record number')
      .description('write the evidence of one exchange to a folder, checkable with openssl (sh DIR/verify.sh)'),
  )
    .requiredOption('--out <dir>', 'folder to write')
    .action(async (id: string, o: GlobalOpts & { out: string }) => {
      await withDatabase(o, async (adb, config) => {
        const box = secretBoxOf(config);
        const instance = (await exportRegistry(adb.database.db)).instance;
        const e = await evidenceFor(
          adb.database.db,
          new MessageLog(
            adb.database.db,
            () => box,
            'cli',
            () => instance,
          ),
          id,
        );
        if (!e) {
          process.stderr.write(`error: no exchange ${id} in the log\n`);
          process.exitCode = 1;
          return;
        }
        fs.mkdirSync(o.out, { recursive: true });
        for (const [name, content] of Object.entries(evidenceFiles(e)))
          fs.writeFileSync(path.join(o.out, name), content, name === 'verify.sh' ? { mode: 0o755 } : {});
        process.stdout.write(`evidence of record ${e.seq} (message ${e.message_id}) written to ${o.out}; check it with: sh ${path.join(o.out, 'verify.sh')}\n`);
      });
    });
}
