import { once } from 'node:events';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { readEdxml, signEdxml, verifyEdxml, writeDocumentPackage, type Attachment, type DocumentHeader } from '../src/modules/documents/index.js';
import { record } from './lib.js';

/**
 * Electronic documents: (1) reading and verifying signed packages of about 50 KB, per second, by
 * our reader and verifier in one process, side by side with Debian's xmlsec1 --verify on the same
 * files (a process per file, as a shell script would use it); (2) writing and reading a package
 * with a 200 MB attachment, with the process's peak resident memory, to show it streams.
 */
const header = (n: number): DocumentHeader => ({
  From: { OrganId: '000.00.15.H58', OrganName: 'Sở Tài nguyên và Môi trường', OrganizationInCharge: 'UBND tỉnh Ninh Thuận' },
  To: [{ OrganId: '000.00.15.H37', OrganName: 'Sở Nông nghiệp và Môi trường Khánh Hòa' }],
  Code: { CodeNumber: String(n), CodeNotation: 'STNMT-MT' },
  PromulgationInfo: { Place: 'Phan Rang – Tháp Chàm', PromulgationDate: '2026/11/14' },
  DocumentType: { Type: '1', TypeDetail: '18', TypeName: 'Công văn' },
  Subject: 'Về việc chia sẻ số liệu quan trắc môi trường không khí năm 2026',
  OtherInfo: { Priority: '1' },
  TraceHeaders: [{ OrganId: '000.00.15.H58', Timestamp: '2026/11/14 09:30:00' }],
  Bussiness: { BussinessDocType: '0', BussinessDocReason: 'Văn bản mới', DocumentId: `000.00.15.H58,2026/11/14,${n}/STNMT-MT` },
});

async function writeTo(file: string, h: DocumentHeader, attachment: () => Readable): Promise<void> {
  const out = fs.createWriteStream(file);
  await writeDocumentPackage(h, [{ ContentId: 'cid:1', AttachmentName: 'phu-luc.pdf', ContentType: 'application/pdf', open: attachment }], out);
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
}

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const mib = (b: number) => Math.round(b / 2 ** 20);

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-docs-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${dir}/k.pem`, '-out', `${dir}/c.pem`, '-days', '2', '-subj', '/CN=So TNMT'],
      {
        stdio: 'ignore',
      },
    );
    const key = fs.readFileSync(`${dir}/k.pem`, 'utf8');
    const cert = fs.readFileSync(`${dir}/c.pem`, 'utf8');

    // (1) 50 KB signed packages.
    const N = 200;
    const files: string[] = [];
    for (let i = 0; i < N; i++) {
      const f = path.join(dir, `p${i}.xml`);
      await writeTo(f, header(i + 1), () => Readable.from([randomBytes(36 * 1024)]));
      fs.writeFileSync(f, signEdxml(fs.readFileSync(f, 'utf8'), key, cert));
      files.push(f);
    }
    const bytes = fs.statSync(files[0]!).size;
    let t0 = performance.now();
    let valid = 0;
    for (const f of files) {
      await readEdxml(fs.createReadStream(f), { sink: () => null });
      if (verifyEdxml(fs.readFileSync(f, 'utf8')).valid) valid++;
    }
    const oursMs = performance.now() - t0;
    const B = 50;
    t0 = performance.now();
    let xmlsecValid = 0;
    for (const f of files.slice(0, B))
      if (spawnSync('xmlsec1', ['--verify', '--pubkey-cert-pem', `${dir}/c.pem`, f], { stdio: 'ignore' }).status === 0) xmlsecValid++;
    const xmlsecMs = performance.now() - t0;

    // (2) a 200 MB attachment, written then read (attachment decoded to a file), memory sampled.
    const big = path.join(dir, 'big.bin');
    await pipeline(
      Readable.from(
        (function* () {
          const chunk = randomBytes(1 << 20);
          for (let i = 0; i < 200; i++) yield chunk;
        })(),
      ),
      fs.createWriteStream(big),
    );
    const pkg = path.join(dir, 'big.xml');
    const rssBefore = process.memoryUsage().rss;
    peak = rssBefore;
    t0 = performance.now();
    await writeTo(pkg, header(999), () => fs.createReadStream(big));
    const writeMs = performance.now() - t0;
    const writePeak = peak;
    peak = process.memoryUsage().rss;
    t0 = performance.now();
    const out = fs.createWriteStream(path.join(dir, 'out.bin'));
    const read = await readEdxml(fs.createReadStream(pkg), {
      sink: () => ({
        write: (b: Buffer) => (out.write(b) ? undefined : once(out, 'drain').then(() => undefined)),
        end: () => new Promise<void>((r) => out.end(r)),
      }),
    });
    const readMs = performance.now() - t0;
    const att = (read.Attachments as Attachment[])[0]!;
    record('documents', {
      signedPackageBytes: bytes,
      packages: N,
      ours: { valid, ms: Math.round(oursMs), perSecond: Math.round((N / oursMs) * 1000) },
      xmlsec1Baseline: { files: B, valid: xmlsecValid, ms: Math.round(xmlsecMs), perSecond: Math.round((B / xmlsecMs) * 1000), note: 'a process per file' },
      attachment200MiB: {
        packageBytes: fs.statSync(pkg).size,
        writeMs: Math.round(writeMs),
        readMs: Math.round(readMs),
        decodedBytes: att.Size,
        rssBeforeMiB: mib(rssBefore),
        peakRssWriteMiB: mib(writePeak),
        peakRssReadMiB: mib(peak),
      },
    });
  } finally {
    clearInterval(sampler);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
