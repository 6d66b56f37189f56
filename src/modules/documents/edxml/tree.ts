import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser } from 'saxes';
import { EdxmlError } from './errors.js';

export const EDXML_NS = 'http://www.mic.gov.vn/TBT/QCVN_102_2016';
export const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

/** An element of the package: its local name, namespace, attributes, children and text. */
export interface Node {
  name: string;
  ns: string;
  attrs: Record<string, string>;
  children: Node[];
  text: string;
}

/** An attachment's content as it streamed by: decoded size and SHA-256 (the bytes go to `sink`). */
export interface StreamedContent {
  size: number;
  sha256: string;
}

export interface TreeLimits {
  /** Bytes of the whole package. */
  maxBytes: number;
  /** Characters of text outside attachments (the envelope, the attachment descriptions). */
  maxText: number;
  maxDepth: number;
  maxElements: number;
}

export const DEFAULT_LIMITS: TreeLimits = { maxBytes: 2 * 1024 ** 3, maxText: 20 * 1024 ** 2, maxDepth: 64, maxElements: 200_000 };

/** Where the decoded bytes of each attachment go (e.g. a file); none: they are only counted and hashed. */
export type AttachmentSink = (index: number) => { write(b: Buffer): void; end(): Promise<void> } | null;

/**
 * Reads a package as a tree of its elements, with each `ContentTransferEncoded` (base64) decoded
 * on the fly into its sink instead of kept: a 200 MB attachment costs a few kilobytes. Hardened:
 * any DOCTYPE is refused (no DTD, no entities beyond XML's five), and bytes, text, depth and
 * element count are capped. saxes is the parser: a conformant streaming one, with no entity
 * expansion of its own.
 */
export async function readTree(
  input: Readable,
  limits: TreeLimits = DEFAULT_LIMITS,
  sink?: AttachmentSink,
): Promise<{ root: Node; contents: StreamedContent[] }> {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: Node[] = [];
  let root: Node | undefined;
  let textChars = 0;
  let elements = 0;
  let bytes = 0;
  let failure: Error | undefined;
  const contents: StreamedContent[] = [];
  let content: { hash: crypto.Hash; size: number; carry: string; out: ReturnType<AttachmentSink> } | undefined;
  const pending: Promise<void>[] = [];
  const fail = (e: Error) => {
    failure ??= e;
  };
  const path = () => stack.map((n) => n.name).join('/');

  parser.on('doctype', () => fail(new EdxmlError('edXML', 'a DOCTYPE is not allowed (no DTDs, no entities)')));
  parser.on('error', (e) => fail(new EdxmlError(path() || 'edXML', `not well-formed XML: ${e.message}`)));
  parser.on('opentag', (t) => {
    if (++elements > limits.maxElements) return fail(new EdxmlError(path(), `more than ${limits.maxElements} elements`));
    if (stack.length >= limits.maxDepth) return fail(new EdxmlError(path(), `nested deeper than ${limits.maxDepth}`));
    const attrs: Record<string, string> = {};
    for (const a of Object.values(t.attributes)) if (typeof a === 'object' && a.prefix !== 'xmlns' && a.name !== 'xmlns') attrs[a.local] = a.value;
    const node: Node = { name: t.local ?? t.name, ns: t.uri ?? '', attrs, children: [], text: '' };
    stack.at(-1)?.children.push(node);
    stack.push(node);
    root ??= node;
    if (node.name === 'ContentTransferEncoded') content = { hash: crypto.createHash('sha256'), size: 0, carry: '', out: sink?.(contents.length) ?? null };
  });
  const decode = (text: string, final: boolean) => {
    const c = content!;
    const clean = (c.carry + text).replace(/\s+/g, '');
    const usable = final ? clean.length : clean.length - (clean.length % 4);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean.slice(0, usable))) return fail(new EdxmlError(path(), 'the attachment is not valid base64'));
    const buf = Buffer.from(clean.slice(0, usable), 'base64');
    c.carry = clean.slice(usable);
    c.hash.update(buf);
    c.size += buf.length;
    c.out?.write(buf);
  };
  parser.on('text', (text) => {
    if (content) return decode(text, false);
    const node = stack.at(-1);
    if (!node) return;
    textChars += text.length;
    if (textChars > limits.maxText) return fail(new EdxmlError(path(), `more than ${limits.maxText} characters of text`));
    node.text += text;
  });
  parser.on('cdata', (text) => {
    const node = stack.at(-1);
    if (content) return decode(text, false);
    if (node) node.text += text;
  });
  parser.on('closetag', () => {
    const node = stack.pop();
    if (node?.name === 'ContentTransferEncoded' && content) {
      decode('', true);
      contents.push({ size: content.size, sha256: content.hash.digest('hex') });
      if (content.out) pending.push(content.out.end());
      content = undefined;
    }
  });

  const utf8 = new StringDecoder('utf8');
  for await (const chunk of input) {
    const b = chunk as Buffer;
    bytes += b.length;
    if (bytes > limits.maxBytes) {
      fail(new EdxmlError('edXML', `larger than ${limits.maxBytes} bytes`));
      break;
    }
    parser.write(utf8.write(b));
    if (failure) break;
  }
  if (!failure) {
    parser.write(utf8.end());
    parser.close();
  }
  await Promise.all(pending);
  if (failure) throw failure;
  if (!root) throw new EdxmlError('edXML', 'the file is empty');
  return { root, contents };
}
