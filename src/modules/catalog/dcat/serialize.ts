import { negotiate } from '../../../platform/http/index.js';
/**
 * Turtle, RDF/XML and JSON-LD writers over ./graph.ts.
 *
 * Written by hand rather than with an RDF library: we only ever *write* three fixed formats from
 * a small graph, which takes ~200 lines with strict escaping, whereas the usual libraries (N3.js,
 * rdflib.js, jsonld.js) pull in parsers, fetchers and large dependency trees. Every output is
 * checked with a real parser (Debian's python3-rdflib) in test/catalog/dcat.test.ts, including
 * that the three serialisations of one graph are isomorphic.
 */
import type { Graph, Iri, Literal, Subject, Term } from './graph.js';

const RDF_NS = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const RDF_TYPE = RDF_NS + 'type';
const TTL_LOCAL = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const XML_NCNAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function qname(prefixes: Record<string, string>, value: string, local: RegExp): string | undefined {
  for (const [prefix, ns] of Object.entries(prefixes)) {
    if (value.startsWith(ns) && local.test(value.slice(ns.length)) && !value.slice(ns.length).endsWith('.')) return `${prefix}:${value.slice(ns.length)}`;
  }
  return undefined;
}

/** Groups a subject's triples by predicate, keeping first-seen order. */
function byPredicate(g: Graph, s: Subject): [Iri, Term[]][] {
  const out = new Map<string, [Iri, Term[]]>();
  for (const t of g.about(s)) {
    const entry = out.get(t.p.value) ?? [t.p, []];
    entry[1].push(t.o);
    out.set(t.p.value, entry);
  }
  // rdf:type first, as every reader expects.
  return [...out.values()].sort((a, b) => Number(b[0].value === RDF_TYPE) - Number(a[0].value === RDF_TYPE));
}

/* ---------------------------------------------------------------- Turtle */

const ttlString = (s: string): string =>
  '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t') + '"';

export function toTurtle(g: Graph): string {
  const name = (value: string): string => qname(g.prefixes, value, TTL_LOCAL) ?? `<${value}>`;
  // Blank nodes used exactly once as an object are written inline as [ ... ].
  const refs = new Map<string, number>();
  for (const t of g.triples) if (t.o.kind === 'bnode') refs.set(t.o.value, (refs.get(t.o.value) ?? 0) + 1);
  const inline = (b: string) => refs.get(b) === 1;

  const literal = (l: Literal): string => ttlString(l.value) + (l.lang ? `@${l.lang}` : l.datatype ? `^^${name(l.datatype)}` : '');
  const term = (o: Term, indent: string): string => {
    if (o.kind === 'iri') return name(o.value);
    if (o.kind === 'literal') return literal(o);
    return inline(o.value) ? `[\n${body(o, indent + '    ')}\n${indent}]` : `_:${o.value}`;
  };
  const body = (s: Subject, indent: string): string =>
    byPredicate(g, s)
      .map(([p, os]) => `${indent}${p.value === RDF_TYPE ? 'a' : name(p.value)} ${os.map((o) => term(o, indent)).join(', ')}`)
      .join(' ;\n');

  const head = Object.entries(g.prefixes)
    .map(([p, ns]) => `@prefix ${p}: <${ns}> .`)
    .join('\n');
  const blocks = g
    .subjects()
    .filter((s) => !(s.kind === 'bnode' && inline(s.value)))
    .map((s) => `${s.kind === 'iri' ? name(s.value) : `_:${s.value}`}\n${body(s, '    ')} .`);
  return `${head}\n\n${blocks.join('\n\n')}\n`;
}

/* ---------------------------------------------------------------- RDF/XML */

const xmlText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
const xmlAttr = (s: string): string => xmlText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');

export function toRdfXml(g: Graph): string {
  // rdf: is needed for the syntax itself, whatever the graph declares.
  const prefixes = { ...g.prefixes, rdf: RDF_NS };
  const element = (value: string): string => {
    const q = qname(prefixes, value, XML_NCNAME);
    if (!q) throw new Error(`RDF/XML cannot write ${value} as an element name`);
    return q;
  };
  const lines = ['<?xml version="1.0" encoding="utf-8"?>', '<rdf:RDF'];
  for (const [p, ns] of Object.entries(prefixes)) lines.push(`    xmlns:${p}="${xmlAttr(ns)}"`);
  lines[lines.length - 1] += '>';

  for (const s of g.subjects()) {
    const props = byPredicate(g, s);
    const types = props.find(([p]) => p.value === RDF_TYPE)?.[1] ?? [];
    const typed = types.find((o): o is Iri => o.kind === 'iri' && !!qname(prefixes, o.value, XML_NCNAME));
    const tag = typed ? element(typed.value) : 'rdf:Description';
    const id = s.kind === 'iri' ? `rdf:about="${xmlAttr(s.value)}"` : `rdf:nodeID="${s.value}"`;
    lines.push(`  <${tag} ${id}>`);
    for (const [p, os] of props) {
      const pn = element(p.value);
      for (const o of os) {
        if (p.value === RDF_TYPE && o === typed) continue;
        if (o.kind === 'iri') lines.push(`    <${pn} rdf:resource="${xmlAttr(o.value)}"/>`);
        else if (o.kind === 'bnode') lines.push(`    <${pn} rdf:nodeID="${o.value}"/>`);
        else {
          const attr = o.lang ? ` xml:lang="${o.lang}"` : o.datatype ? ` rdf:datatype="${xmlAttr(o.datatype)}"` : '';
          lines.push(`    <${pn}${attr}>${xmlText(o.value)}</${pn}>`);
        }
      }
    }
    lines.push(`  </${tag}>`);
  }
  lines.push('</rdf:RDF>');
  return lines.join('\n') + '\n';
}

/* ---------------------------------------------------------------- JSON-LD */

export function toJsonLdObject(g: Graph): Record<string, unknown> {
  const compact = (value: string): string => qname(g.prefixes, value, TTL_LOCAL) ?? value;
  const id = (s: Subject): string => (s.kind === 'iri' ? s.value : `_:${s.value}`);
  const nodes = g.subjects().map((s) => {
    const node: Record<string, unknown> = { '@id': id(s) };
    for (const [p, os] of byPredicate(g, s)) {
      if (p.value === RDF_TYPE && os.every((o) => o.kind === 'iri')) {
        node['@type'] = os.map((o) => compact(o.value));
        continue;
      }
      node[compact(p.value)] = os.map((o) =>
        o.kind === 'literal'
          ? { '@value': o.value, ...(o.lang ? { '@language': o.lang } : o.datatype ? { '@type': compact(o.datatype) } : {}) }
          : { '@id': id(o) },
      );
    }
    return node;
  });
  return { '@context': { ...g.prefixes }, '@graph': nodes };
}

export const toJsonLd = (g: Graph): string => JSON.stringify(toJsonLdObject(g), null, 2) + '\n';

export type RdfFormat = 'ttl' | 'rdf' | 'jsonld';

export const CONTENT_TYPES: Record<RdfFormat, string> = {
  ttl: 'text/turtle; charset=utf-8',
  rdf: 'application/rdf+xml; charset=utf-8',
  jsonld: 'application/ld+json; charset=utf-8',
};

export function serialize(g: Graph, format: RdfFormat): { contentType: string; body: string } {
  const body = format === 'ttl' ? toTurtle(g) : format === 'rdf' ? toRdfXml(g) : toJsonLd(g);
  return { contentType: CONTENT_TYPES[format], body };
}

/**
 * Picks a format from an Accept header (q-values honoured; ties go to Turtle, then RDF/XML, then
 * JSON-LD). No header or only wildcards → Turtle; undefined when nothing offered is acceptable.
 */
export function negotiateRdf(accept: string | undefined): RdfFormat | undefined {
  const mime = negotiate(accept, RDF_MEDIA);
  return mime ? RDF_BY_MEDIA[mime] : undefined;
}

const RDF_MEDIA = ['text/turtle', 'application/rdf+xml', 'application/ld+json'] as const;
const RDF_BY_MEDIA: Record<(typeof RDF_MEDIA)[number], RdfFormat> = { 'text/turtle': 'ttl', 'application/rdf+xml': 'rdf', 'application/ld+json': 'jsonld' };
const PAGE_MEDIA = ['text/html', 'application/xhtml+xml', ...RDF_MEDIA] as const;

/** For a page that is also RDF: the serialisation the Accept header prefers over HTML, or null for the HTML page (ties go to HTML). */
export function preferredRdf(accept: string | undefined): RdfFormat | null {
  const mime = negotiate(accept, PAGE_MEDIA);
  return mime && mime in RDF_BY_MEDIA ? RDF_BY_MEDIA[mime as (typeof RDF_MEDIA)[number]] : null;
}
