import fs from 'node:fs';
import type { Command } from 'commander';
import { EdxmlError, readEdxml } from '../modules/documents/index.js';

/** `tinhso edxml …`: electronic official documents (QCVN 102 edXML) on the command line. */
export function registerEdxml(program: Command): void {
  const ed = program.command('edxml').description('electronic official documents (edXML, QCVN 102:2016)');
  ed.command('inspect')
    .argument('<file>', 'an edXML package (document or status message)')
    .description('print the parsed package as JSON keyed by the edXML element names; a malformed package: status 02 and the reason, exit 1')
    .action(async (file: string) => {
      try {
        const pkg = await readEdxml(fs.createReadStream(file));
        process.stdout.write(`${JSON.stringify(pkg, null, 2)}\n`);
      } catch (e) {
        if (!(e instanceof EdxmlError)) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
            process.stderr.write(`error: cannot read ${file}\n`);
            process.exitCode = 1;
            return;
          }
          throw e;
        }
        process.stderr.write(`02 ${e.element}: ${e.reason}\n`);
        process.exitCode = 1;
      }
    });
}
