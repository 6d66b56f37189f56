import { PassThrough, Readable } from 'node:stream';
import type { FileStore, StoredFile } from '../../platform/storage/index.js';
import { MAX_SIGNED_BYTES, signEdxml, verifyEdxml, type VerifyResult } from './edxml/signature.js';
import { writeDocumentPackage, type DocumentHeader, type OutgoingAttachment } from './edxml/write.js';

export const NAMESPACE = 'documents';
/** The largest package this instance sends or accepts (attachments included, base64 in the XML). */
export const MAX_PACKAGE_BYTES = 1024 * 1024 * 1024;

async function readAll(files: FileStore, key: string): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of files.open(key)) parts.push(c as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

/**
 * Writes a document package to the file store, streamed (attachments read from their files as it
 * goes), and signs it with the organization's key when it has one. Signing needs the package in
 * memory (xml-crypto works on a DOM), so a package over MAX_SIGNED_BYTES goes unsigned, said in
 * `unsigned`.
 */
export async function storeDocumentPackage(
  files: FileStore,
  header: DocumentHeader,
  attachments: OutgoingAttachment[],
  signer: { key: string; cert: string } | undefined,
): Promise<StoredFile & { signature: VerifyResult | null; unsigned?: string }> {
  const out = new PassThrough();
  const writing = writeDocumentPackage(header, attachments, out).then(
    () => out.end(),
    (e: Error) => out.destroy(e),
  );
  const stored = await files.put(out, MAX_PACKAGE_BYTES, NAMESPACE);
  await writing;
  if (!signer) return { ...stored, signature: null };
  if (stored.size > MAX_SIGNED_BYTES) return { ...stored, signature: null, unsigned: `larger than ${MAX_SIGNED_BYTES} bytes` };
  return storeSigned(files, stored, signer);
}

/** A small package (a status message) stored as it is, signed when the organization has a key. */
export async function storeSmallPackage(
  files: FileStore,
  xml: string,
  signer: { key: string; cert: string } | undefined,
): Promise<StoredFile & { signature: VerifyResult | null }> {
  const text = signer ? signEdxml(xml, signer.key, signer.cert) : xml;
  const stored = await files.put(Readable.from([Buffer.from(text)]), MAX_PACKAGE_BYTES, NAMESPACE);
  return { ...stored, signature: signer ? verifyEdxml(text) : null };
}

async function storeSigned(files: FileStore, unsigned: StoredFile, signer: { key: string; cert: string }) {
  const signed = signEdxml(await readAll(files, unsigned.key), signer.key, signer.cert);
  const stored = await files.put(Readable.from([Buffer.from(signed)]), MAX_PACKAGE_BYTES, NAMESPACE);
  await files.remove(unsigned.key);
  return { ...stored, signature: verifyEdxml(signed) };
}

/** The signature check of a stored package (none when it carries no signature or is too large to check). */
export async function checkSignature(files: FileStore, key: string, size: number, present: boolean): Promise<VerifyResult | null> {
  if (!present) return null;
  if (size > MAX_SIGNED_BYTES) return { valid: false, reason: `not checked: larger than ${MAX_SIGNED_BYTES} bytes` };
  return verifyEdxml(await readAll(files, key));
}
