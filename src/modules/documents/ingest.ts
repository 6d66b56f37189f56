import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { FileStore, StoredFile } from '../../platform/storage/index.js';
import { foldVi } from '../../platform/text/index.js';
import { readEdxml, type Attachment, type EdxmlPackage } from './edxml/read.js';
import { MAX_PACKAGE_BYTES, NAMESPACE } from './package-file.js';
import type { AttachmentRow, DocumentRow } from './tables.js';

export type Header = Record<string, unknown>;
const obj = (v: unknown): Record<string, string> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : {});

/** Settles when the stream wants more, or will never again (closed by a failed store, whose error `put` reports). */
const drained = (s: PassThrough) =>
  new Promise<void>((resolve) => {
    if (s.destroyed) return resolve();
    const done = () => {
      s.off('drain', done).off('close', done);
      resolve();
    };
    s.on('drain', done).on('close', done);
  });

/**
 * Reads a stored package, each attachment streamed out into a file of its own (so it can be
 * downloaded by itself); the package stays as it came, for the signature and the record.
 */
export async function readStoredPackage(files: FileStore, key: string): Promise<{ pkg: EdxmlPackage; attachments: (Attachment & { file_key: string })[] }> {
  const stored: Promise<StoredFile>[] = [];
  const sink = () => {
    const pt = new PassThrough({ highWaterMark: 1 << 20 });
    const put = files.put(pt, MAX_PACKAGE_BYTES, NAMESPACE);
    put.catch(() => undefined);
    stored.push(put);
    return { write: (b: Buffer) => (pt.write(b) ? undefined : drained(pt)), end: async () => void (pt.end(), await put) };
  };
  try {
    const pkg = await readEdxml(files.open(key), { sink });
    const keys = await Promise.all(stored);
    return { pkg, attachments: (pkg.Attachments as Attachment[]).map((a, i) => ({ ...a, file_key: keys[i]!.key })) };
  } catch (e) {
    const done = await Promise.allSettled(stored);
    for (const d of done) if (d.status === 'fulfilled') await files.remove(d.value.key).catch(() => undefined);
    throw e;
  }
}

/** The searchable columns of a document, from its MessageHeader as read. */
export function documentColumns(
  pkg: Header,
): Pick<
  DocumentRow,
  | 'document_id'
  | 'from_organ'
  | 'from_name'
  | 'code_number'
  | 'code_notation'
  | 'promulgation_date'
  | 'place'
  | 'doc_type'
  | 'type_name'
  | 'subject'
  | 'content'
  | 'priority'
  | 'due_date'
  | 'signer'
  | 'search_text'
> {
  const from = obj(pkg.From);
  const code = obj(pkg.Code);
  const pi = obj(pkg.PromulgationInfo);
  const dt = obj(pkg.DocumentType);
  const due = typeof pkg.DueDate === 'string' && /^\d{4}\/\d{2}\/\d{2}$/.test(pkg.DueDate) ? pkg.DueDate.replaceAll('/', '-') : null;
  const signer = obj(pkg.SignerInfo);
  const cols = {
    document_id: String(pkg.DocumentId),
    from_organ: from.OrganId ?? '',
    from_name: from.OrganName || from.OrganId || '',
    code_number: code.CodeNumber ?? '',
    code_notation: code.CodeNotation ?? '',
    promulgation_date: (pi.PromulgationDate ?? '').replaceAll('/', '-'),
    place: pi.Place ?? '',
    doc_type: `${dt.Type ?? ''}.${dt.TypeDetail ?? ''}`,
    type_name: dt.TypeName ?? '',
    subject: String(pkg.Subject ?? ''),
    content: typeof pkg.Content === 'string' ? pkg.Content : '',
    priority: Number(obj(pkg.OtherInfo).Priority || 0),
    due_date: due,
    signer: { Competence: signer.Competence ?? '', Position: signer.Position ?? '', FullName: signer.FullName ?? '' },
  };
  const numberText = cols.code_notation ? `${cols.code_number}/${cols.code_notation}` : cols.code_number;
  return { ...cols, search_text: foldVi([numberText, cols.subject, cols.from_name, cols.from_organ, cols.type_name, cols.content.slice(0, 2000)].join(' ')) };
}

export const attachmentRows = (document: string, list: (Attachment & { file_key: string })[]): AttachmentRow[] =>
  list.map((a, i) => ({
    document,
    n: i + 1,
    content_id: a.ContentId,
    name: a.AttachmentName,
    description: a.Description,
    content_type: a.ContentType || 'application/octet-stream',
    size: a.Size,
    sha256: a.SHA256,
    file_key: a.file_key,
  }));

/** The Bussiness block of a package (BussinessDocType 0 when absent). */
export function businessOf(pkg: Header): { type: string; documentId: string; reason: string } {
  const b = obj(obj(pkg.TraceHeaderList).Bussiness);
  return { type: b.BussinessDocType || '0', documentId: b.DocumentId || '', reason: b.BussinessDocReason || '' };
}

/**
 * What tells one recall or update request of a document from another: the sender's trace time
 * (the standard writes it to the second) and a digest of the MessageHeader as read, so two
 * different updates sent within one second are two requests, while the same package sent again
 * (re-signed, or with a hop's trace added) is still the same one.
 */
export function requestKey(pkg: Header): string {
  const first = ((pkg.TraceHeaderList as { TraceHeader?: { Timestamp?: string }[] } | undefined)?.TraceHeader ?? [])[0]?.Timestamp ?? '';
  const header = { ...pkg };
  delete header.TraceHeaderList;
  delete header.Signature;
  return `${first}#${createHash('sha256').update(JSON.stringify(header)).digest('hex').slice(0, 32)}`;
}
