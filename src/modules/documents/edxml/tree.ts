import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import sax from 'sax';
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

/**
 * Where the decoded bytes of an attachment go (e.g. a file). `write` returns a promise when the
 * sink wants the reader to wait (its buffer is full): the reader stops reading the package until
 * it settles, so a slow disk holds back the input instead of filling memory.
 */
export interface AttachmentOut {
  write(b: Buffer): Promise<void> | void;
  end(): Promise<void>;
}
/** The sink for each attachment by its position; none: the bytes are only counted and hashed. */
export type AttachmentSink = (index: number) => AttachmentOut | null;

/**
 * Reads a package as a tree of its elements, with each `ContentTransferEncoded` (base64) decoded
 * on the fly into its sink instead of kept: a 200 MB attachment costs a few hundred kilobytes.
 * sax is the parser (strict, namespaces, XML's five entities only): unlike saxes it hands over a
 * long text in pieces of 64 KB as it goes rather than whole at its end, and it refuses any other
 * buffer (a name, an attribute value, a comment) longer than that. Hardened: any DOCTYPE is
 * refused (no DTD, no entities), and bytes, text, depth and element count are capped.
 */
export async function readTree(
  input: Readable,
  limits: TreeLimits = DEFAULT_LIMITS,
  sink?: AttachmentSink,
): Promise<{ root: Node; contents: StreamedContent[] }> {
  // strictEntities (missing from @types/sax): only XML's five entities, not sax's table of HTML ones.
  const parser = sax.parser(true, { xmlns: true, position: true, strictEntities: true } as sax.SAXOptions);
  const stack: Node[] = [];
  let root: Node | undefined;
  let textChars = 0;
  let elements = 0;
  let bytes = 0;
  let failure: Error | undefined;
  const contents: StreamedContent[] = [];
  let content: { hash: crypto.Hash; size: number; carry: string; out: AttachmentOut | null } | undefined;
  const pending: Promise<void>[] = [];
  const backlog: Promise<void>[] = [];
  const fail = (e: Error) => {
    failure ??= e;
  };
  const path = () => stack.map((n) => n.name).join('/');

  parser.ondoctype = () => fail(new EdxmlError('edXML', 'a DOCTYPE is not allowed (no DTDs, no entities)'));
  parser.onerror = (e) => fail(new EdxmlError(path() || 'edXML', `not well-formed XML: ${e.message.split('\n')[0]}`));
  parser.onopentag = (t) => {
    if (++elements > limits.maxElements) return fail(new EdxmlError(path(), `more than ${limits.maxElements} elements`));
    if (stack.length >= limits.maxDepth) return fail(new EdxmlError(path(), `nested deeper than ${limits.maxDepth}`));
    const tag = t as sax.QualifiedTag;
    const attrs: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) if (a.prefix !== 'xmlns' && a.name !== 'xmlns') attrs[a.local] = a.value;
    const node: Node = { name: tag.local || tag.name, ns: tag.uri ?? '', attrs, children: [], text: '' };
    stack.at(-1)?.children.push(node);
    stack.push(node);
    root ??= node;
    if (node.name === 'ContentTransferEncoded') content = { hash: crypto.createHash('sha256'), size: 0, carry: '', out: sink?.(contents.length) ?? null };
  };
  const decode = (text: string, final: boolean) => {
    const c = content!;
    const clean = (c.carry + text).replace(/\s+/g, '');
    const usable = final ? clean.length : clean.length - (clean.length % 4);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean.slice(0, usable))) return fail(new EdxmlError(path(), 'the attachment is not valid base64'));
    const buf = Buffer.from(clean.slice(0, usable), 'base64');
    c.carry = clean.slice(usable);
    c.hash.update(buf);
    c.size += buf.length;
    const wait = c.out?.write(buf);
    if (wait) backlog.push(wait);
  };
  const onText = (text: string) => {
    if (content) return decode(text, false);
    const node = stack.at(-1);
    if (!node) return;
    textChars += text.length;
    if (textChars > limits.maxText) return fail(new EdxmlError(path(), `more than ${limits.maxText} characters of text`));
    node.text += text;
  };
  parser.ontext = onText;
  parser.oncdata = onText;
  parser.onclosetag = () => {
    const node = stack.pop();
    if (node?.name === 'ContentTransferEncoded' && content) {
      decode('', true);
      contents.push({ size: content.size, sha256: content.hash.digest('hex') });
      // Ended once its last writes are taken: a Node stream that is ending never emits the 'drain' they wait for.
      const out = content.out;
      if (out) pending.push(Promise.all(backlog.splice(0)).then(() => out.end()));
      content = undefined;
    }
  };

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
    if (backlog.length) await Promise.all(backlog.splice(0));
  }
  if (!failure) {
    parser.write(utf8.end());
    parser.close();
  }
  await Promise.all([...backlog, ...pending]);
  if (failure) throw failure;
  if (!root) throw new EdxmlError('edXML', 'the file is empty');
  return { root, contents };
}
