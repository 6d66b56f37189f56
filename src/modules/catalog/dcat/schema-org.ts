/** schema.org `Dataset` JSON-LD for public dataset pages (what Google Dataset Search reads). */
import type { DatasetFull } from '../full.js';
import { licenseById } from '../licenses.js';
import { resourceUrls } from './build.js';
import { cleanText, userIri } from './graph.js';
import { fileType, mediaType } from './vocab.js';

const text = (s: string | null | undefined): string | undefined => (s && s.trim() ? cleanText(s) : undefined);
const iso = (d: Date | string): string => (d instanceof Date ? d : new Date(d)).toISOString();
const drop = <T extends Record<string, unknown>>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function schemaOrgDataset(full: DatasetFull, baseUrl: string): Record<string, unknown> {
  const ds = full.dataset;
  const url = `${baseUrl}/dataset/${encodeURIComponent(ds.name)}`;
  const lic = licenseById(ds.license_id);
  const org = full.org
    ? drop({
        '@type': 'GovernmentOrganization',
        '@id': `${baseUrl}/organization/${encodeURIComponent(full.org.slug)}`,
        name: cleanText(full.org.name),
        alternateName: text(full.org.name_en),
        url: `${baseUrl}/organization/${encodeURIComponent(full.org.slug)}`,
      })
    : undefined;
  // Google requires a description of 50–5000 characters; fall back to the title and English text.
  const description = [text(ds.notes), text(ds.notes_en)].filter(Boolean).join('\n\n') || cleanText(ds.title);

  const spatial: Record<string, unknown>[] = ds.spatial_codes.map((code) => ({
    '@type': 'AdministrativeArea',
    '@id': `${baseUrl}/api/v1/admin-units/${encodeURIComponent(code)}`,
    identifier: code,
  }));
  if (ds.bbox && ds.bbox.length === 4 && ds.bbox.every(Number.isFinite)) {
    const [w, s, e, n] = ds.bbox as [number, number, number, number];
    // schema.org GeoShape box: "south west north east" (lat lon lat lon).
    spatial.push({ '@type': 'Place', geo: { '@type': 'GeoShape', box: `${s} ${w} ${n} ${e}` } });
  }
  const start = ds.temporal_start ? String(ds.temporal_start).slice(0, 10) : undefined;
  const end = ds.temporal_end ? String(ds.temporal_end).slice(0, 10) : undefined;

  return drop({
    '@context': 'https://schema.org/',
    '@type': 'Dataset',
    '@id': `${baseUrl}/dataset/${ds.id}`,
    name: cleanText(ds.title),
    alternateName: text(ds.title_en),
    description,
    url,
    identifier: ds.id,
    keywords: full.tags.length ? full.tags.map((tag) => cleanText(tag.name)) : undefined,
    license: lic && !lic.is_generic ? (userIri(lic.url)?.value ?? `${baseUrl}/licenses#${lic.id}`) : undefined,
    isAccessibleForFree: true,
    inLanguage: ds.title_en || ds.notes_en ? ['vi', 'en'] : 'vi',
    creator: org,
    publisher: org,
    spatialCoverage: spatial.length === 0 ? undefined : spatial.length === 1 ? spatial[0] : spatial,
    temporalCoverage: start || end ? `${start ?? '..'}/${end ?? '..'}` : undefined,
    dateCreated: iso(ds.metadata_created),
    dateModified: iso(ds.metadata_modified),
    version: text(ds.version),
    distribution: full.resources.length
      ? full.resources.map((r) => {
          const urls = resourceUrls(baseUrl, ds.id, r);
          const media = mediaType(r.mimetype, r.format)?.value.replace('https://www.iana.org/assignments/media-types/', '');
          return drop({
            '@type': 'DataDownload',
            name: text(r.name),
            description: text(r.description),
            encodingFormat: media ?? (r.format ? (fileType(r.format) ? r.format.toUpperCase() : cleanText(r.format)) : undefined),
            contentUrl: (urls.download ?? urls.access).value,
            contentSize: r.size !== null && r.size !== undefined ? String(r.size) : undefined,
            dateModified: iso(r.last_modified ?? r.created),
          });
        })
      : undefined,
  });
}

/** The object as the text of a `<script type="application/ld+json">`: `<`, `>`, `&` and U+2028/9 escaped. */
export const jsonLdScriptText = (obj: unknown): string =>
  JSON.stringify(obj).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
