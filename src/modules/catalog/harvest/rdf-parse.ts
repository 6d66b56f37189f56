import { Readable } from 'node:stream';
import type { Quad } from 'n3';
// The parsers are loaded on first use (dynamic import below): only harvesting needs them, and
// importing the three costs ~0.3 s of every server start.

/**
 * Parses Turtle / N-Triples (n3), RDF/XML (rdfxml-streaming-parser) or JSON-LD
 * (jsonld-streaming-parser) into quads. JSON-LD remote contexts are refused: a harvest must not
 * make the server fetch arbitrary URLs named inside a document.
 */
export type RdfSyntax = 'turtle' | 'rdfxml' | 'jsonld';

export function syntaxOf(contentType: string, url: string): RdfSyntax {
  const ct = contentType.toLowerCase();
  if (ct.includes('json')) return 'jsonld';
  if (ct.includes('rdf+xml') || ct.includes('/xml')) return 'rdfxml';
  if (ct.includes('turtle') || ct.includes('n-triples')) return 'turtle';
  if (/\.jsonld(\?|$)/.test(url)) return 'jsonld';
  if (/\.(rdf|xml)(\?|$)/.test(url)) return 'rdfxml';
  return 'turtle';
}

function collect(stream: NodeJS.ReadWriteStream, body: string): Promise<Quad[]> {
  return new Promise((resolve, reject) => {
    const quads: Quad[] = [];
    stream.on('data', (q: Quad) => quads.push(q));
    stream.on('error', reject);
    stream.on('end', () => resolve(quads));
    Readable.from([body]).pipe(stream as unknown as NodeJS.WritableStream);
  });
}

export async function parseRdf(body: string, syntax: RdfSyntax, baseIRI: string): Promise<Quad[]> {
  switch (syntax) {
    case 'turtle':
      return new (await import('n3')).Parser({ baseIRI }).parse(body);
    case 'rdfxml':
      return collect(new (await import('rdfxml-streaming-parser')).RdfXmlParser({ baseIRI }) as unknown as NodeJS.ReadWriteStream, body);
    case 'jsonld':
      return collect(
        new (await import('jsonld-streaming-parser')).JsonLdParser({
          baseIRI,
          documentLoader: {
            load: async (url: string) => {
              throw new Error(`remote JSON-LD context refused: ${url}`);
            },
          },
        }) as unknown as NodeJS.ReadWriteStream,
        body,
      );
  }
}

/** subject → predicate → objects, for simple lookups. */
export class Graph {
  private readonly index = new Map<string, Map<string, Quad['object'][]>>();

  constructor(quads: Quad[]) {
    for (const q of quads) {
      const s = q.subject.value;
      let preds = this.index.get(s);
      if (!preds) this.index.set(s, (preds = new Map()));
      const list = preds.get(q.predicate.value) ?? [];
      list.push(q.object);
      preds.set(q.predicate.value, list);
    }
  }

  objects(subject: string, predicate: string): Quad['object'][] {
    return this.index.get(subject)?.get(predicate) ?? [];
  }

  subjectsOfType(type: string): string[] {
    return [...this.index.entries()].filter(([, p]) => (p.get(RDF_TYPE) ?? []).some((o) => o.value === type)).map(([s]) => s);
  }

  /** The literal in the wanted language, else one without a language, else any. */
  literal(subject: string, predicate: string, lang?: string): string | null {
    const lits = this.objects(subject, predicate).filter((o) => o.termType === 'Literal') as { value: string; language: string }[];
    const pick = (lang ? lits.find((l) => l.language === lang) : undefined) ?? lits.find((l) => !l.language) ?? (lang ? undefined : lits[0]);
    return pick?.value ?? null;
  }

  first(subject: string, predicate: string): string | null {
    return this.objects(subject, predicate)[0]?.value ?? null;
  }
}

export const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
