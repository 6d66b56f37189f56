import path from 'node:path';
import { Readable } from 'node:stream';
import rdf from '@zazuko/env-node';
import SHACLValidator from 'rdf-validate-shacl';

/** The official DCAT-AP 3.0.1 shapes (test/fixtures/dcat-ap-shacl, CC-BY 4.0, listed in THIRD_PARTY_DATA.md). */
const SHAPES = path.join(import.meta.dirname, '../fixtures/dcat-ap-shacl');

async function load(file: string) {
  return rdf.dataset().import(rdf.fromFile(path.join(SHAPES, file)));
}

export interface Violation {
  focus: string;
  path: string;
  message: string;
  severity: string;
}

/** Validates Turtle against the named shape files; returns every result (violations and, for the recommended shapes, warnings). */
export async function shaclResults(turtle: string, shapeFiles: string[], baseIRI: string): Promise<Violation[]> {
  const shapes = rdf.dataset();
  for (const f of shapeFiles) for (const q of await load(f)) shapes.add(q);
  const parser = rdf.formats.parsers.import('text/turtle', Readable.from([turtle]), { baseIRI });
  const data = await rdf.dataset().import(parser!);
  const report = await new SHACLValidator(shapes, { factory: rdf }).validate(data);
  return report.results.map((r) => ({
    focus: r.focusNode?.value ?? '',
    path: r.path?.value ?? '',
    message: r.message.map((m) => m.value).join(' '),
    severity: r.severity?.value.split('#').pop() ?? '',
  }));
}
