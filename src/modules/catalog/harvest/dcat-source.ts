import { cleanText } from '../../../platform/text/index.js';
import type { DatasetInput, ResourceInput } from '../input.js';
import type { Outbound } from '../../../platform/net/index.js';
import { fetchText } from './fetch.js';
import { Graph, parseRdf, syntaxOf } from './rdf-parse.js';
import type { RemoteDataset, RemotePage } from './remote.js';

const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const HYDRA = 'http://www.w3.org/ns/hydra/core#';
const VCARD = 'http://www.w3.org/2006/vcard/ns#';
const MAX_PAGES = 10_000;

const text = (s: string | null): string | null => (s ? cleanText(s) || null : null);
const dateOnly = (s: string | null): string | null => (s && /^\d{4}-\d{2}-\d{2}/.test(s) ? s.slice(0, 10) : null);

/** The last path segment of a format/media-type IRI ("…/file-type/CSV" → "CSV"). */
const formatOf = (v: string | null): string | null => (v ? (v.split(/[/#]/).pop() ?? v).toUpperCase() : null);

export function mapDcatDataset(g: Graph, subject: string): RemoteDataset {
  const title = text(g.literal(subject, `${DCT}title`, 'vi')) ?? text(g.literal(subject, `${DCT}title`)) ?? subject;
  const titleEn = text(g.literal(subject, `${DCT}title`, 'en'));
  const resources: ResourceInput[] = g.objects(subject, `${DCAT}distribution`).map((d) => {
    const dist = d.value;
    return {
      name: text(g.literal(dist, `${DCT}title`, 'vi')),
      description: text(g.literal(dist, `${DCT}description`, 'vi')),
      url: g.first(dist, `${DCAT}downloadURL`) ?? g.first(dist, `${DCAT}accessURL`) ?? '',
      format: formatOf(g.first(dist, `${DCT}format`)),
      mimetype: formatOf(g.first(dist, `${DCAT}mediaType`))?.toLowerCase() ?? null,
      size: Number(g.first(dist, `${DCAT}byteSize`)) || null,
    };
  });
  const temporal = g.first(subject, `${DCT}temporal`);
  const contact = g.first(subject, `${DCAT}contactPoint`);
  const email = contact ? (g.first(contact, `${VCARD}hasEmail`) ?? '').replace(/^mailto:/, '') : '';
  const identifier = g.literal(subject, `${DCT}identifier`);
  const modified = g.first(subject, `${DCT}modified`);
  const input: DatasetInput = {
    title,
    title_en: titleEn && titleEn !== title ? titleEn : null,
    notes: text(g.literal(subject, `${DCT}description`, 'vi')),
    notes_en: text(g.literal(subject, `${DCT}description`, 'en')),
    tags: [
      ...new Set(
        g
          .objects(subject, `${DCAT}keyword`)
          .map((k) => cleanText(k.value))
          .filter((k) => k.length >= 1 && k.length <= 100),
      ),
    ],
    resources,
    temporal_start: temporal ? dateOnly(g.first(temporal, `${DCAT}startDate`)) : null,
    temporal_end: temporal ? dateOnly(g.first(temporal, `${DCAT}endDate`)) : null,
    contact_name: contact ? text(g.literal(contact, `${VCARD}fn`)) : null,
    contact_email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? email : null,
    access_level: 'public',
    extras: [{ key: 'source_uri', value: subject }],
  };
  const landing = g.first(subject, `${DCAT}landingPage`);
  const nameSource = landing ?? subject;
  const name = decodeURIComponent(nameSource.split(/[/#]/).filter(Boolean).pop() ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .slice(0, 100);
  return { originalId: identifier ?? subject, name, url: landing ?? subject, modified: modified ? new Date(modified) : null, input };
}

/** Pages through a DCAT catalogue (Turtle, RDF/XML or JSON-LD) following hydra:next links. */
export async function* dcatPages(net: Outbound, sourceUrl: string, opts: { since: Date | null }): AsyncGenerator<RemotePage> {
  let url: string | null = sourceUrl;
  if (opts.since) {
    const u = new URL(sourceUrl);
    u.searchParams.set('modified_since', opts.since.toISOString());
    url = u.toString();
  }
  const seen = new Set<string>();
  for (let i = 0; url && i < MAX_PAGES && !seen.has(url); i++) {
    seen.add(url);
    const { body, contentType } = await fetchText(net, url, { accept: 'text/turtle, application/ld+json;q=0.9, application/rdf+xml;q=0.8' });
    const g: Graph = new Graph(await parseRdf(body, syntaxOf(contentType, url), url));
    // Datasets this catalogue describes; an original named by a copy's dct:source is described
    // there only as the copy's origin, and is harvested from its own catalogue, not from here.
    const originals = new Set(g.subjectsOfType(`${DCAT}Dataset`).flatMap((s) => g.objects(s, `${DCT}source`).map((o) => o.value)));
    const all = g.subjectsOfType(`${DCAT}Dataset`).filter((s) => !originals.has(s) && g.objects(s, `${DCT}title`).length > 0);
    // Copies a catalogue harvested from elsewhere (dct:source) are left to their origin: no loops.
    const subjects = all.filter((s) => g.objects(s, `${DCT}source`).length === 0);
    const pages: string[] = [...g.subjectsOfType(`${HYDRA}PagedCollection`), ...g.subjectsOfType(`${HYDRA}PartialCollectionView`)];
    const total = pages.map((p) => Number(g.first(p, `${HYDRA}totalItems`))).find((n) => Number.isFinite(n)) ?? null;
    yield { datasets: subjects.map((s) => mapDcatDataset(g, s)), skipped: all.length - subjects.length, total };
    url = pages.map((p) => g.first(p, `${HYDRA}next`) ?? g.first(p, `${HYDRA}nextPage`)).find(Boolean) ?? null;
  }
}
