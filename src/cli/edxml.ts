import fs from 'node:fs';
import type { Command } from 'commander';
import { EdxmlError, readEdxml, signEdxml, verifyEdxml } from '../modules/documents/index.js';

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
  ed.command('sign')
    .argument('<in>', 'the package to sign')
    .argument('<out>', 'where to write the signed package')
    .requiredOption('--key <pem>', 'the signer’s private key (PEM)')
    .requiredOption('--cert <pem>', 'the signer’s certificate (PEM), carried in KeyInfo')
    .description('sign a package: enveloped XML-DSig, RSA-SHA256, exclusive C14N (Debian’s xmlsec1 --verify accepts it)')
    .action((input: string, out: string, o: { key: string; cert: string }) => {
      try {
        fs.writeFileSync(out, signEdxml(fs.readFileSync(input, 'utf8'), fs.readFileSync(o.key, 'utf8'), fs.readFileSync(o.cert, 'utf8')));
        process.stdout.write(`signed: ${out}\n`);
      } catch (e) {
        process.stderr.write(`error: ${e instanceof EdxmlError ? `${e.element}: ${e.reason}` : (e as Error).message}\n`);
        process.exitCode = 1;
      }
    });
  ed.command('verify')
    .argument('<file>', 'a signed package')
    .description('check the package’s XML-DSig signature (RSA with SHA-1, SHA-256 or SHA-512); exit 0 only when it is valid')
    .action((file: string) => {
      try {
        const r = verifyEdxml(fs.readFileSync(file, 'utf8'));
        if (r.valid)
          process.stdout.write(
            `valid signature (${r.signatureMethod}) by ${r.signer!.subject.replaceAll('\n', ', ')}; certificate ${r.signer!.fingerprint256}, valid ${r.signer!.validFrom} – ${r.signer!.validTo}\n`,
          );
        else {
          process.stderr.write(`invalid: ${r.reason}\n`);
          process.exitCode = 1;
        }
      } catch (e) {
        process.stderr.write(`invalid: ${e instanceof EdxmlError ? `${e.element}: ${e.reason}` : (e as Error).message}\n`);
        process.exitCode = 1;
      }
    });
}
