import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readEdxml } from './read.js';
import { documentIdOf, edxmlTimestamp, statusPackage, writeDocumentPackage, type DocumentHeader } from './write.js';

const header: DocumentHeader = {
  From: { OrganId: '000.00.20.H58', OrganName: 'Sở Khoa học và Công nghệ', OrganizationInCharge: 'UBND tỉnh Ninh Thuận' },
  To: [
    { OrganId: '000.00.15.H58', OrganName: 'Sở Tài nguyên & Môi trường' },
    { OrganId: '000.00.00.H37', OrganName: 'UBND tỉnh Khánh Hòa' },
  ],
  Code: { CodeNumber: '215', CodeNotation: 'SKHCN-KHTC' },
  PromulgationInfo: { Place: 'Phan Rang - Tháp Chàm', PromulgationDate: '2026/11/14' },
  DocumentType: { Type: '1', TypeName: 'Công văn' },
  // A decomposed “ệ” (NFD) and a character XML cannot carry: stored NFC, the other dropped.
  Subject: 'Báo cáo kết qua\u0309 <năm> 2026\u0001',
  OtherInfo: { Priority: '2' },
  ToPlaces: ['Như trên', 'Lưu: VT'],
  TraceHeaders: [{ OrganId: '000.00.20.H58', Timestamp: '2026/11/14 09:30:00' }],
  Bussiness: { BussinessDocType: '0', BussinessDocReason: 'Văn bản mới', DocumentId: '000.00.20.H58,2026/11/14,215/SKHCN-KHTC' },
};

async function written(h: DocumentHeader, files: Buffer[]): Promise<Buffer> {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (c: Buffer) => parts.push(c));
  await writeDocumentPackage(
    h,
    files.map((b, i) => ({
      ContentId: `cid:${i + 1}`,
      AttachmentName: `tep-${i + 1}.pdf`,
      ContentType: 'application/pdf',
      open: () => Readable.from([b.subarray(0, 7), b.subarray(7)]),
    })),
    out,
  );
  out.end();
  return Buffer.concat(parts);
}

describe('edXML writing', () => {
  it('writes a document package that our reader reads back field by field, attachments byte for byte', async () => {
    const files = [Buffer.from('%PDF-1.7 một tệp'), Buffer.alloc(100_003, 7)];
    const xml = await written(header, files);
    const pkg = await readEdxml(Readable.from([xml]));
    expect(pkg.kind).toBe('document');
    expect(pkg.DocumentId).toBe(documentIdOf(header));
    expect((pkg.To as { OrganId: string }[]).map((t) => t.OrganId)).toEqual(['000.00.15.H58', '000.00.00.H37']);
    expect((pkg.To as { OrganName: string }[])[0]!.OrganName).toBe('Sở Tài nguyên & Môi trường');
    expect(pkg.Subject).toBe('Báo cáo kết quả <năm> 2026');
    expect(pkg.OtherInfo).toMatchObject({ Priority: '2' });
    expect((pkg.ToPlaces as { Place: string[] }).Place).toEqual(['Như trên', 'Lưu: VT']);
    expect((pkg.TraceHeaderList as { Bussiness: Record<string, string> }).Bussiness.BussinessDocType).toBe('0');
    const atts = pkg.Attachments as { Size: number; SHA256: string; AttachmentName: string }[];
    expect(atts.map((a) => a.Size)).toEqual(files.map((f) => f.length));
    expect(atts.map((a) => a.SHA256)).toEqual(files.map((f) => createHash('sha256').update(f).digest('hex')));
    // The structure of the packages in use: the attachment block outside the envelope, unprefixed.
    const text = xml.toString();
    expect(text.indexOf('<AttachmentEncoded>')).toBeGreaterThan(text.indexOf('</edXML:edXMLEnvelope>'));
  });

  it('writes a status message the reader accepts, and refuses what the reader refuses', async () => {
    const s = statusPackage({
      From: { OrganId: '000.00.15.H58', OrganName: 'Sở Tài nguyên và Môi trường' },
      ResponseFor: { OrganId: '000.00.20.H58', Code: '215/SKHCN-KHTC', PromulgationDate: '2026/11/14', DocumentId: documentIdOf(header) },
      StatusCode: '03',
      Description: 'Đã tiếp nhận',
      Timestamp: edxmlTimestamp(new Date('2026-11-14T02:30:00Z')),
    });
    const pkg = await readEdxml(Readable.from([s]));
    expect(pkg).toMatchObject({ kind: 'status', StatusCode: '03', Timestamp: '2026/11/14 09:30:00' });
    expect((pkg.ResponseFor as { DocumentId: string }[])[0]!.DocumentId).toBe(documentIdOf(header));
    const bad = s.replace('<edXML:StatusCode>03<', '<edXML:StatusCode>07<');
    await expect(readEdxml(Readable.from([bad]))).rejects.toMatchObject({ status: '02', element: 'MessageHeader/StatusCode' });
  });
});
