import { createHash } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EdxmlError } from './errors.js';
import { edxmlDate, readEdxml } from './read.js';

/** A document message in the structure of the real packages (our own content). */
const doc = (
  o: { header?: string; date?: string; to?: string; manifest?: boolean; attachment?: string; status?: string } = {},
) => `<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">
  <edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
    <edXML:edXMLHeader>
      <edXML:MessageHeader>
        <edXML:From><edXML:OrganId>000.00.20.H58</edXML:OrganId><edXML:OrganName>Sở Khoa học và Công nghệ</edXML:OrganName></edXML:From>
        ${o.to ?? '<edXML:To><edXML:OrganId>000.00.15.H58</edXML:OrganId><edXML:OrganName>Sở Tài nguyên và Môi trường</edXML:OrganName></edXML:To><edXML:To><edXML:OrganId>000.00.01.H58</edXML:OrganId></edXML:To>'}
        ${o.status ?? ''}
        <edXML:DocumentId>000.00.20.H58,2026/11/14,215/SKHCN-KHTC</edXML:DocumentId>
        <edXML:Code><edXML:CodeNumber>215</edXML:CodeNumber><edXML:CodeNotation>SKHCN-KHTC</edXML:CodeNotation></edXML:Code>
        <edXML:PromulgationInfo><edXML:Place>Phan Rang - Tháp Chàm</edXML:Place><edXML:PromulgationDate>${o.date ?? '14/11/2026'}</edXML:PromulgationDate></edXML:PromulgationInfo>
        <edXML:DocumentType><edXML:Type>1</edXML:Type><edXML:TypeName>Công văn</edXML:TypeName></edXML:DocumentType>
        <edXML:Subject>Báo cáo kết quả thực hiện Kế hoạch trí tuệ nhân tạo năm 2026</edXML:Subject>
        <edXML:OtherInfo><edXML:Priority>1</edXML:Priority></edXML:OtherInfo>
        <edXML:ToPlaces><edXML:Place>Như trên</edXML:Place><edXML:Place>Lưu: VT</edXML:Place></edXML:ToPlaces>
        ${o.header ?? ''}
      </edXML:MessageHeader>
      <edXML:TraceHeaderList>
        <edXML:TraceHeader><edXML:OrganId>000.00.20.H58</edXML:OrganId><edXML:Timestamp>2026/11/14 09:30:00</edXML:Timestamp></edXML:TraceHeader>
        <edXML:Bussiness><edXML:BussinessDocType>0</edXML:BussinessDocType><edXML:Paper>0</edXML:Paper></edXML:Bussiness>
      </edXML:TraceHeaderList>
    </edXML:edXMLHeader>
    <edXML:edXMLBody>
      <edXML:edXMLManifest version="1.0">
        ${o.manifest === false ? '' : '<edXML:Reference><edXML:ContentId>cid:1</edXML:ContentId><edXML:ContentType>application/pdf</edXML:ContentType><edXML:AttachmentName>bao-cao.pdf</edXML:AttachmentName></edXML:Reference>'}
      </edXML:edXMLManifest>
    </edXML:edXMLBody>
  </edXML:edXMLEnvelope>
  <AttachmentEncoded>
    <Attachment>
      <ContentId>cid:1</ContentId>
      <AttachmentName>bao-cao.pdf</AttachmentName>
      <ContentType>application/pdf</ContentType>
      <edXML:ContentTransferEncoded xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">${
        o.attachment ??
        Buffer.from('%PDF-1.4 báo cáo')
          .toString('base64')
          .replace(/(.{8})/g, '$1\n')
      }</edXML:ContentTransferEncoded>
    </Attachment>
  </AttachmentEncoded>
</edXML>`;

/** The text in chunks of `size` bytes (a multi-byte character split across chunks). */
const chunks = (s: string, size = 7) => {
  const b = Buffer.from(s);
  return Readable.from(Array.from({ length: Math.ceil(b.length / size) }, (_, i) => b.subarray(i * size, (i + 1) * size)));
};

const refused = async (xml: string) => {
  try {
    await readEdxml(chunks(xml, 64));
  } catch (e) {
    if (e instanceof EdxmlError) return `${e.status} ${e.element}: ${e.reason}`;
    throw e;
  }
  throw new Error('accepted');
};

describe('edXML reading', () => {
  it('reads a document message under the element names, with its attachment decoded as it streams', async () => {
    const parts: Buffer[] = [];
    const pkg = await readEdxml(chunks(doc()), { sink: () => ({ write: (b) => void parts.push(b), end: async () => undefined }) });
    expect(pkg.kind).toBe('document');
    expect(pkg.From).toEqual({ OrganId: '000.00.20.H58', OrganName: 'Sở Khoa học và Công nghệ' });
    expect((pkg.To as { OrganId: string }[]).map((t) => t.OrganId)).toEqual(['000.00.15.H58', '000.00.01.H58']);
    expect(pkg.DocumentId).toBe('000.00.20.H58,2026/11/14,215/SKHCN-KHTC');
    expect(pkg.PromulgationInfo).toEqual({ Place: 'Phan Rang - Tháp Chàm', PromulgationDate: '2026/11/14' });
    expect(pkg.ToPlaces).toEqual({ Place: ['Như trên', 'Lưu: VT'] });
    expect(pkg.TraceHeaderList).toMatchObject({ TraceHeader: [{ OrganId: '000.00.20.H58' }], Bussiness: { BussinessDocType: '0' } });
    expect(pkg.Signature).toEqual({ present: false, dsigNamespace: false });
    expect(pkg.Attachments).toEqual([
      {
        ContentId: 'cid:1',
        AttachmentName: 'bao-cao.pdf',
        Description: '',
        ContentType: 'application/pdf',
        Size: Buffer.byteLength('%PDF-1.4 báo cáo'),
        SHA256: createHash('sha256').update('%PDF-1.4 báo cáo').digest('hex'),
      },
    ]);
    expect(Buffer.concat(parts).toString()).toBe('%PDF-1.4 báo cáo');
  });

  it('reads dates written either way, and only real days', () => {
    expect(edxmlDate('30/10/2020')).toBe('2020/10/30');
    expect(edxmlDate('2020/10/30')).toBe('2020/10/30');
    expect(edxmlDate('2014/02/30')).toBeNull();
    expect(edxmlDate('10/30/2020')).toBeNull();
  });

  it('refuses a malformed package with status 02 and the element, never guessing', async () => {
    expect(await refused(doc({ date: '31/02/2026' }))).toBe(
      '02 MessageHeader/PromulgationInfo/PromulgationDate: "31/02/2026" is not a date (yyyy/MM/dd or dd/MM/yyyy)',
    );
    expect(await refused(doc({ to: '' }))).toMatch(/^02 MessageHeader\/To: missing/);
    expect(await refused(doc({ to: '<edXML:To><edXML:OrganId>So KHCN</edXML:OrganId></edXML:To>' }))).toMatch(
      /^02 MessageHeader\/To\/OrganId: "So KHCN" is not an organ code/,
    );
    expect(await refused(doc({ manifest: false }))).toMatch(/^02 AttachmentEncoded\/Attachment\/ContentId: "cid:1" is not in the manifest/);
    expect(await refused(doc({ attachment: 'không phải base64!' }))).toMatch(/ContentTransferEncoded: the attachment is not valid base64/);
    expect(await refused(doc({ status: '<edXML:StatusCode>07</edXML:StatusCode>' }))).toMatch(/^02 MessageHeader\/StatusCode: "07" is not a status/);
    expect(await refused(doc().replace('</edXML:Subject>', ''))).toMatch(/^02 .*not well-formed XML/);
    expect(await refused('<root/>')).toMatch(/^02 root: the root must be edXML/);
  });

  it('refuses DTDs and entities (no XXE), and caps depth and size', async () => {
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY x SYSTEM "file:///etc/passwd">]><edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&x;</edXML>';
    expect(await refused(xxe)).toBe('02 edXML: a DOCTYPE is not allowed (no DTDs, no entities)');
    // Only XML's five entities: an HTML one is not well-formed XML.
    expect(await refused(doc().replace('Công văn', 'Công&nbsp;văn'))).toMatch(/^02 .*not well-formed XML/);
    const amp = await readEdxml(chunks(doc().replace('Công văn', 'Công &amp; văn'), 64));
    expect((amp.DocumentType as Record<string, string>).TypeName).toBe('Công & văn');
    const deep = `<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">${'<a>'.repeat(100)}${'</a>'.repeat(100)}</edXML>`;
    expect(await refused(deep)).toMatch(/nested deeper than 64/);
    await expect(readEdxml(chunks(doc(), 1024), { limits: { maxBytes: 2000, maxText: 1e6, maxDepth: 64, maxElements: 1e5 } })).rejects.toThrow(
      /larger than 2000 bytes/,
    );
  });

  /** A package whose one attachment is `size` bytes, fed in 64 KiB pieces that let timers run in between. */
  function bigPackage(size: number): { body: Readable; expected: number } {
    const block = Buffer.alloc(48 * 1024, 'ab'); // a multiple of 3: whole base64 quanta, 64 KiB of base64
    const b64 = Buffer.from(`${block.toString('base64')}\n`);
    const [head, tail] = doc({ attachment: '@@' }).split('@@') as [string, string];
    const blocks = Math.ceil(size / block.length);
    const body = Readable.from(
      (async function* () {
        yield Buffer.from(head);
        for (let i = 0; i < blocks - 1; i++) {
          if (i % 16 === 0) await new Promise((r) => setImmediate(r));
          yield b64;
        }
        // The last piece of base64 and the end tag in one chunk, as a file read splits them.
        yield Buffer.concat([b64, Buffer.from(tail)]);
      })(),
    );
    return { body, expected: blocks * block.length };
  }

  it('streams a 200 MB attachment with flat memory', { timeout: 60_000 }, async () => {
    const { body, expected } = bigPackage(200 * 1024 * 1024);
    const before = process.memoryUsage.rss();
    let peak = before;
    let written = 0;
    const pkg = await readEdxml(body, {
      sink: () => ({
        write: (b) => {
          written += b.length;
          peak = Math.max(peak, process.memoryUsage.rss());
        },
        end: async () => undefined,
      }),
    });
    expect((pkg.Attachments as { Size: number }[])[0]!.Size).toBe(expected);
    expect(written).toBe(expected);
    expect(peak - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('writes an attachment into a file stream, waiting for its drain, to the last byte', { timeout: 60_000 }, async () => {
    const { body, expected } = bigPackage(8 * 1024 * 1024);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'edxml-sink-')), 'out.bin');
    const out = fs.createWriteStream(file);
    const pkg = await readEdxml(body, {
      sink: () => ({
        write: (b) => (out.write(b) ? undefined : once(out, 'drain').then(() => undefined)),
        end: () => new Promise<void>((r) => out.end(r)),
      }),
    });
    const att = (pkg.Attachments as { Size: number; SHA256: string }[])[0]!;
    expect(att.Size).toBe(expected);
    expect(fs.statSync(file).size).toBe(expected);
    expect(createHash('sha256').update(fs.readFileSync(file)).digest('hex')).toBe(att.SHA256);
    fs.rmSync(path.dirname(file), { recursive: true });
  });

  it('stops reading while its sink is slow, instead of piling the attachment up in memory', { timeout: 60_000 }, async () => {
    const { body, expected } = bigPackage(20 * 1024 * 1024);
    let queued = 0;
    let most = 0;
    let drained = 0;
    const waiters: (() => void)[] = [];
    // A disk that takes 256 KiB every 2 ms and asks the reader to wait above 1 MiB.
    const disk = setInterval(() => {
      drained += Math.min(queued, 256 * 1024);
      queued -= Math.min(queued, 256 * 1024);
      if (queued < 1 << 20) waiters.splice(0).forEach((w) => w());
    }, 2);
    const pkg = await readEdxml(body, {
      sink: () => ({
        write: (b) => {
          queued += b.length;
          most = Math.max(most, queued);
          return queued > 1 << 20 ? new Promise<void>((r) => waiters.push(r)) : undefined;
        },
        end: async () => {
          while (queued > 0) await new Promise((r) => setTimeout(r, 2));
        },
      }),
    }).finally(() => clearInterval(disk));
    expect((pkg.Attachments as { Size: number }[])[0]!.Size).toBe(expected);
    expect(drained).toBe(expected);
    expect(most).toBeLessThan(2 * 1024 * 1024);
  });
});
