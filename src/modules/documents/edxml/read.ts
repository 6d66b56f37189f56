import type { Readable } from 'node:stream';
import { EdxmlError } from './errors.js';
import { DEFAULT_LIMITS, DSIG_NS, EDXML_NS, readTree, type AttachmentSink, type Node, type TreeLimits } from './tree.js';

/** Elements that may repeat (by name, or parent/name): always arrays in the JSON. */
const REPEATED = new Set([
  'To',
  'ToPlaces/Place',
  'ResponseFor',
  'TraceHeader',
  'Reference',
  'Receiver',
  'Appendix',
  'Attachment',
  'Transform',
  'ReplacementInfo',
]);

type Json = string | { [k: string]: Json } | Json[];

/** An element as JSON keyed by the edXML element names: text for a leaf, an object otherwise. */
function toJson(n: Node): Json {
  if (!n.children.length) return n.text.trim();
  const o: Record<string, Json> = {};
  for (const [k, v] of Object.entries(n.attrs)) o[`@${k}`] = v;
  for (const c of n.children) {
    const v = toJson(c);
    if (REPEATED.has(c.name) || REPEATED.has(`${n.name}/${c.name}`)) ((o[c.name] ??= []) as Json[]).push(v);
    else o[c.name] = v;
  }
  return o;
}

const child = (n: Node | undefined, name: string) => n?.children.find((c) => c.name === name);
const children = (n: Node | undefined, name: string) => n?.children.filter((c) => c.name === name) ?? [];
const text = (n: Node | undefined, name: string) => child(n, name)?.text.trim() ?? '';

/** dd/MM/yyyy or yyyy/MM/dd (both occur in real packages) as yyyy/MM/dd, or null. */
export function edxmlDate(v: string): string | null {
  let m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(v);
  let y: number, mo: number, d: number;
  if (m) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else {
    m = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$/.exec(v);
    if (!m) return null;
    [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  }
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return `${y}/${String(mo).padStart(2, '0')}/${String(d).padStart(2, '0')}`;
}

export const STATUS_CODES = ['01', '02', '03', '04', '05', '06', '13', '15', '16'] as const;
const ORGAN_ID = /^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9]{2}$/;

export interface Attachment {
  ContentId: string;
  AttachmentName: string;
  Description: string;
  ContentType: string;
  Size: number;
  SHA256: string;
}

export interface SignatureInfo {
  present: boolean;
  /** In the XML-DSig namespace (some packages in use put it in edXML's default namespace, which verifiers do not find). */
  dsigNamespace: boolean;
  CanonicalizationMethod?: string;
  SignatureMethod?: string;
  DigestMethod?: string;
  Transforms?: string[];
  ReferenceURI?: string;
  X509SubjectName?: string;
  X509Certificate?: boolean;
}

export interface EdxmlPackage {
  kind: 'document' | 'status';
  /** The MessageHeader's elements, keyed by their names. */
  [element: string]: unknown;
}

function signatureOf(header: Node | undefined): SignatureInfo {
  const sig = child(header, 'Signature');
  if (!sig) return { present: false, dsigNamespace: false };
  const si = child(sig, 'SignedInfo');
  const ref = child(si, 'Reference');
  const x509 = child(child(sig, 'KeyInfo'), 'X509Data');
  return {
    present: true,
    dsigNamespace: sig.ns === DSIG_NS,
    CanonicalizationMethod: child(si, 'CanonicalizationMethod')?.attrs.Algorithm ?? '',
    SignatureMethod: child(si, 'SignatureMethod')?.attrs.Algorithm ?? '',
    DigestMethod: child(ref, 'DigestMethod')?.attrs.Algorithm ?? '',
    Transforms: children(child(ref, 'Transforms'), 'Transform').map((t) => t.attrs.Algorithm ?? ''),
    ReferenceURI: ref?.attrs.URI ?? '',
    X509SubjectName: text(x509, 'X509SubjectName'),
    X509Certificate: !!text(x509, 'X509Certificate'),
  };
}

/**
 * Reads and checks an edXML package (QCVN 102:2016, amended 2022): a document message or a status
 * message. The MessageHeader's elements come back under their own names; dates are given as
 * yyyy/MM/dd; attachments with name, content type, size and SHA-256 (their bytes to `sink`). A
 * package that is malformed or lacks what the standard requires is refused with an `EdxmlError`
 * naming the element.
 */
export async function readEdxml(input: Readable, opts: { limits?: TreeLimits; sink?: AttachmentSink } = {}): Promise<EdxmlPackage> {
  const { root, contents } = await readTree(input, opts.limits ?? DEFAULT_LIMITS, opts.sink);
  if (root.name !== 'edXML' || root.ns !== EDXML_NS) throw new EdxmlError(root.name, `the root must be edXML in the namespace ${EDXML_NS}`);
  const envelope = child(root, 'edXMLEnvelope');
  const header = child(envelope, 'edXMLHeader');
  const mh = child(header, 'MessageHeader');
  if (!envelope) throw new EdxmlError('edXML/edXMLEnvelope', 'missing');
  if (!header) throw new EdxmlError('edXMLEnvelope/edXMLHeader', 'missing');
  if (!mh) throw new EdxmlError('edXMLHeader/MessageHeader', 'missing');
  const kind = child(mh, 'StatusCode') ? 'status' : 'document';
  const at = (p: string) => `MessageHeader/${p}`;
  const need = (n: Node | undefined, name: string, p: string) => {
    if (!text(n, name)) throw new EdxmlError(at(p), 'missing or empty');
    return text(n, name);
  };
  const from = child(mh, 'From');
  if (!from) throw new EdxmlError(at('From'), 'missing');
  const fromId = need(from, 'OrganId', 'From/OrganId');
  if (!ORGAN_ID.test(fromId)) throw new EdxmlError(at('From/OrganId'), `"${fromId}" is not an organ code (NNN.NN.NN.Xnn)`);
  const pkg = { kind, ...(toJson(mh) as Record<string, Json>) } as EdxmlPackage;

  if (kind === 'status') {
    const code = text(mh, 'StatusCode');
    if (!(STATUS_CODES as readonly string[]).includes(code))
      throw new EdxmlError(at('StatusCode'), `"${code}" is not a status of the standard (${STATUS_CODES.join(', ')})`);
    const rf = children(mh, 'ResponseFor');
    if (!rf.length) throw new EdxmlError(at('ResponseFor'), 'missing: a status names the document it is about');
    rf.forEach((r) => need(r, 'DocumentId', 'ResponseFor/DocumentId'));
  } else {
    const to = children(mh, 'To');
    if (!to.length) throw new EdxmlError(at('To'), 'missing: a document has at least one recipient');
    to.forEach((t) => {
      const id = need(t, 'OrganId', 'To/OrganId');
      if (!ORGAN_ID.test(id)) throw new EdxmlError(at('To/OrganId'), `"${id}" is not an organ code (NNN.NN.NN.Xnn)`);
    });
    const docId = need(mh, 'DocumentId', 'DocumentId');
    const m = /^([^,]+),(\d{4}\/\d{2}\/\d{2}),(.+)$/.exec(docId);
    if (!m || !edxmlDate(m[2]!)) throw new EdxmlError(at('DocumentId'), `"${docId}" is not {organ code},{yyyy/MM/dd},{number}/{notation}`);
    need(child(mh, 'Code'), 'CodeNumber', 'Code/CodeNumber');
    const pi = child(mh, 'PromulgationInfo');
    const date = need(pi, 'PromulgationDate', 'PromulgationInfo/PromulgationDate');
    const normal = edxmlDate(date);
    if (!normal) throw new EdxmlError(at('PromulgationInfo/PromulgationDate'), `"${date}" is not a date (yyyy/MM/dd or dd/MM/yyyy)`);
    (pkg.PromulgationInfo as Record<string, Json>).PromulgationDate = normal;
    need(child(mh, 'DocumentType'), 'Type', 'DocumentType/Type');
    need(mh, 'Subject', 'Subject');
    const priority = text(child(mh, 'OtherInfo'), 'Priority');
    if (priority && !/^[0-4]$/.test(priority)) throw new EdxmlError(at('OtherInfo/Priority'), `"${priority}" is not a priority (0–4)`);
  }
  const trace = child(header, 'TraceHeaderList');
  if (trace) {
    pkg.TraceHeaderList = toJson(trace);
    const type = text(child(trace, 'Bussiness'), 'BussinessDocType');
    if (type && !/^[0-3]$/.test(type))
      throw new EdxmlError('TraceHeaderList/Bussiness/BussinessDocType', `"${type}" is not 0 (new), 1 (recall), 2 (update) or 3 (replace)`);
  }
  pkg.Signature = signatureOf(header);
  // The manifest inside the envelope and the attachments after it must name the same contents.
  const refs = children(child(child(envelope, 'edXMLBody'), 'edXMLManifest'), 'Reference');
  const atts = children(child(root, 'AttachmentEncoded'), 'Attachment');
  const attachments: Attachment[] = atts.map((a, i) => ({
    ContentId: text(a, 'ContentId'),
    AttachmentName: text(a, 'AttachmentName'),
    Description: text(a, 'Description'),
    ContentType: text(a, 'ContentType'),
    Size: contents[i]?.size ?? 0,
    SHA256: contents[i]?.sha256 ?? '',
  }));
  for (const r of refs) {
    const id = text(r, 'ContentId');
    if (!attachments.some((a) => a.ContentId === id))
      throw new EdxmlError('edXMLManifest/Reference/ContentId', `"${id}" has no Attachment in AttachmentEncoded`);
  }
  for (const a of attachments) {
    if (!refs.some((r) => text(r, 'ContentId') === a.ContentId))
      throw new EdxmlError('AttachmentEncoded/Attachment/ContentId', `"${a.ContentId}" is not in the manifest`);
    if (!a.AttachmentName) throw new EdxmlError('AttachmentEncoded/Attachment/AttachmentName', 'missing or empty');
  }
  if (atts.length !== contents.length) throw new EdxmlError('AttachmentEncoded/Attachment/ContentTransferEncoded', 'missing');
  pkg.Manifest = refs.map((r) => toJson(r));
  pkg.Attachments = attachments;
  return pkg;
}
