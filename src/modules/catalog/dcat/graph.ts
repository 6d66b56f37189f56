/**
 * A minimal RDF graph model (IRIs, blank nodes, literals) that the Turtle, RDF/XML and JSON-LD
 * writers in ./serialize.ts all read, so the three serialisations always carry the same triples.
 *
 * Text is cleaned once, here, rather than in each writer: NFC (Vietnamese must round-trip in one
 * normal form), lone UTF-16 surrogates and characters that XML 1.0 cannot carry at all (C0 controls
 * other than tab/LF/CR, U+FFFE/U+FFFF) are dropped — otherwise the RDF/XML would be unparseable or
 * differ from the Turtle. IRIs are checked and percent-encoded here for the same reason.
 */

export interface Iri {
  readonly kind: 'iri';
  readonly value: string;
}
export interface BNode {
  readonly kind: 'bnode';
  readonly value: string;
}
export interface Literal {
  readonly kind: 'literal';
  readonly value: string;
  readonly lang?: string | undefined;
  /** Datatype IRI; absent = xsd:string (or rdf:langString with a language). */
  readonly datatype?: string | undefined;
}
export type Subject = Iri | BNode;
export type Term = Iri | BNode | Literal;

export interface Triple {
  s: Subject;
  p: Iri;
  o: Term;
}

const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** NFC, without characters that cannot appear in any of the three serialisations. */
export const cleanText = (s: string): string => s.replace(NOT_XML_CHAR, '').normalize('NFC');

// Characters not allowed in an IRI reference (RFC 3987 / Turtle IRIREF), percent-encoded.
const IRI_UNSAFE = /[\u0000-\u0020<>"{}|^`\\\u007F-\u009F]/g;
const pct = (c: string): string => [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');

/** An IRI we mint or trust (vocabulary terms, our own URLs): only unsafe characters are encoded. */
export function iri(value: string): Iri {
  return { kind: 'iri', value: cleanText(value).replace(IRI_UNSAFE, pct) };
}

/**
 * An IRI from user data (resource URLs, e-mail addresses, licence URLs): absolute http(s) or mailto
 * only, normalised by WHATWG URL; undefined when it is not one (callers fall back to our own URL).
 */
export function userIri(value: string | null | undefined): Iri | undefined {
  if (!value) return undefined;
  let u: URL;
  try {
    u = new URL(value.trim());
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:' && u.protocol !== 'mailto:') return undefined;
  if (u.protocol !== 'mailto:' && !u.hostname) return undefined;
  return iri(u.href);
}

export const mailto = (email: string | null | undefined): Iri | undefined =>
  email && /^[^\s@<>"]+@[^\s@<>"]+$/.test(email.trim()) ? userIri(`mailto:${email.trim()}`) : undefined;

const LANG_RE = /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/;

export function literal(value: string, opts: { lang?: string; datatype?: string } = {}): Literal {
  if (opts.lang !== undefined && !LANG_RE.test(opts.lang)) throw new Error(`bad language tag ${opts.lang}`);
  return {
    kind: 'literal',
    value: cleanText(value),
    ...(opts.lang ? { lang: opts.lang.toLowerCase() } : {}),
    ...(opts.datatype && !opts.lang ? { datatype: iri(opts.datatype).value } : {}),
  };
}

export const sameTerm = (a: Term, b: Term): boolean =>
  a.kind === b.kind && a.value === b.value && (a.kind !== 'literal' || (b.kind === 'literal' && a.lang === b.lang && a.datatype === b.datatype));

/** Triples in insertion order, without duplicates; fresh blank nodes numbered per graph. */
export class Graph {
  readonly triples: Triple[] = [];
  private readonly seen = new Set<string>();
  private nextBNode = 0;

  constructor(readonly prefixes: Record<string, string>) {}

  bnode(): BNode {
    return { kind: 'bnode', value: `b${this.nextBNode++}` };
  }

  add(s: Subject, p: Iri, o: Term | undefined | null): this {
    if (!o) return this;
    if (o.kind === 'literal' && o.value === '') return this;
    const key = JSON.stringify([s.kind, s.value, p.value, o.kind, o.value, o.kind === 'literal' ? [o.lang, o.datatype] : null]);
    if (this.seen.has(key)) return this;
    this.seen.add(key);
    this.triples.push({ s, p, o });
    return this;
  }

  /** Subjects in order of first appearance. */
  subjects(): Subject[] {
    const out: Subject[] = [];
    const keys = new Set<string>();
    for (const { s } of this.triples) {
      const k = `${s.kind}:${s.value}`;
      if (!keys.has(k)) {
        keys.add(k);
        out.push(s);
      }
    }
    return out;
  }

  about(s: Subject): Triple[] {
    return this.triples.filter((t) => t.s.kind === s.kind && t.s.value === s.value);
  }
}
