/** DCAT-AP 3 graphs for datasets and the paged catalog, built on ./graph.ts. */
import type { DatasetFull } from '../full.js';
import { licenseById } from '../licenses.js';
import { datastoreDumpUrl, downloadUrl, uploadFilename } from '../presenters/index.js';
import type { ResourceRow } from '../tables.js';
import { Graph, iri, literal, mailto, userIri, type Iri, type Subject } from './graph.js';
import { availability, licenceType, publisherType, typeObjects } from './range.js';
import { accessRight, euThemes, fileType, frequency, LANG_EN, LANG_VI, mediaType, NS, t, WKT, XSD_DATE, XSD_DATETIME, XSD_NNI } from './vocab.js';

export const PAGE_SIZE = 100;

const A = t('rdf', 'type');
const dt = (d: Date | string): string => (d instanceof Date ? d : new Date(d)).toISOString();
const dateTime = (d: Date | string) => literal(dt(d), { datatype: XSD_DATETIME });
const langText = (value: string | null | undefined, lang: 'vi' | 'en') => (value && value.trim() ? literal(value, { lang }) : undefined);

export const newGraph = (): Graph => new Graph({ ...NS });

export const datasetIri = (baseUrl: string, id: string): Iri => iri(`${baseUrl}/dataset/${id}`);
export const distributionIri = (baseUrl: string, datasetId: string, resourceId: string): Iri => iri(`${baseUrl}/dataset/${datasetId}/resource/${resourceId}`);
export const organizationIri = (baseUrl: string, slug: string): Iri => iri(`${baseUrl}/organization/${encodeURIComponent(slug)}`);
export const adminUnitIri = (baseUrl: string, code: string): Iri => iri(`${baseUrl}/api/v1/admin-units/${encodeURIComponent(code)}`);

export interface AgentNames {
  vi: string;
  en?: string | null | undefined;
  /** The organization kind (its ADMS publisher type). */
  kind?: string | undefined;
}

/** A publisher: foaf:Agent (mandatory foaf:name), also typed foaf:Organization, with its ADMS publisher type. */
export function addAgent(g: Graph, agent: Iri, names: AgentNames): Iri {
  g.add(agent, A, t('foaf', 'Agent'));
  g.add(agent, A, t('foaf', 'Organization'));
  g.add(agent, t('foaf', 'name'), literal(names.vi, { lang: 'vi' }));
  g.add(agent, t('foaf', 'name'), langText(names.en, 'en'));
  g.add(agent, t('dct', 'type'), publisherType(names.kind));
  return agent;
}

function addLicense(g: Graph, baseUrl: string, licenseId: string | null): Iri | Subject | undefined {
  const lic = licenseById(licenseId);
  if (!lic || lic.id === 'notspecified') return undefined;
  // A licence with a public document is that document; CKAN's generic "Other (…)" kinds and
  // licences without a public URL (gov-use-only) get a described document under our base URL.
  const node = userIri(lic.url) ?? iri(`${baseUrl}/licenses#${encodeURIComponent(lic.id)}`);
  g.add(node, A, t('dct', 'LicenseDocument'));
  g.add(node, t('dct', 'identifier'), literal(lic.id));
  g.add(node, t('rdfs', 'label'), literal(lic.title));
  g.add(node, t('dct', 'type'), licenceType(lic.id));
  return node;
}

/**
 * Where a resource is reached. Uploaded files: the resource page is the access URL and the file
 * the download URL — the same URL the CKAN API gives (presenters' downloadUrl, served by the
 * download route). Links: the link, or our resource page when it is not an absolute http(s) URL,
 * since dcat:accessURL is mandatory.
 */
export function resourceUrls(baseUrl: string, datasetId: string, r: ResourceRow): { page: Iri; access: Iri; download: Iri | undefined } {
  const page = distributionIri(baseUrl, datasetId, r.id);
  if (r.url_type === 'upload') return { page, access: page, download: iri(downloadUrl(baseUrl, datasetId, r.id, uploadFilename(r))) };
  if (r.url_type === 'datastore' && !r.url) return { page, access: page, download: iri(datastoreDumpUrl(baseUrl, r.id)) };
  return { page, access: userIri(r.url) ?? page, download: undefined };
}

function addDistribution(g: Graph, baseUrl: string, full: DatasetFull, r: ResourceRow, license: Iri | Subject | undefined): Iri {
  const d = distributionIri(baseUrl, full.dataset.id, r.id);
  const urls = resourceUrls(baseUrl, full.dataset.id, r);
  g.add(d, A, t('dcat', 'Distribution'));
  g.add(d, t('dct', 'identifier'), literal(r.id));
  g.add(d, t('dct', 'title'), langText(r.name, 'vi'));
  g.add(d, t('dct', 'description'), langText(r.description, 'vi'));
  g.add(d, t('dcat', 'accessURL'), urls.access);
  g.add(d, t('dcat', 'downloadURL'), urls.download);
  if (r.format) g.add(d, t('dct', 'format'), fileType(r.format) ?? literal(r.format));
  g.add(d, t('dcat', 'mediaType'), mediaType(r.mimetype, r.format));
  if (r.size !== null && r.size !== undefined && Number.isSafeInteger(Number(r.size)) && Number(r.size) >= 0)
    g.add(d, t('dcat', 'byteSize'), literal(String(Number(r.size)), { datatype: XSD_NNI }));
  g.add(d, t('dct', 'license'), license);
  g.add(d, t('dcatap', 'availability'), availability(r.url_type === 'upload'));
  g.add(d, t('dct', 'issued'), dateTime(r.created));
  g.add(d, t('dct', 'modified'), dateTime(r.last_modified ?? r.created));
  return d;
}

/** Adds one dataset with its publisher, contact point, themes and distributions; returns its IRI. */
export function addDataset(g: Graph, full: DatasetFull, baseUrl: string): Iri {
  const ds = full.dataset;
  const s = datasetIri(baseUrl, ds.id);
  g.add(s, A, t('dcat', 'Dataset'));
  g.add(s, t('dct', 'identifier'), literal(ds.id));
  g.add(s, t('dct', 'title'), literal(ds.title, { lang: 'vi' }));
  g.add(s, t('dct', 'title'), langText(ds.title_en, 'en'));
  // dct:description is mandatory in DCAT-AP 3: without notes the title stands in.
  g.add(s, t('dct', 'description'), langText(ds.notes, 'vi') ?? literal(ds.title, { lang: 'vi' }));
  g.add(s, t('dct', 'description'), langText(ds.notes_en, 'en') ?? langText(ds.title_en, 'en'));
  for (const tag of full.tags) g.add(s, t('dcat', 'keyword'), literal(tag.name, { lang: 'vi' }));

  for (const group of full.groups) {
    for (const theme of euThemes(group.name)) g.add(s, t('dcat', 'theme'), theme);
    const gi = iri(`${baseUrl}/group/${encodeURIComponent(group.name)}`);
    g.add(s, t('dcat', 'theme'), gi);
    g.add(gi, A, t('skos', 'Concept'));
    g.add(gi, t('skos', 'prefLabel'), literal(group.title, { lang: 'vi' }));
    g.add(gi, t('skos', 'prefLabel'), langText(group.title_en, 'en'));
  }

  const org = full.org;
  if (org) g.add(s, t('dct', 'publisher'), organizationIri(baseUrl, org.slug));

  const email = mailto(ds.contact_email) ?? mailto(ds.maintainer_email) ?? mailto(ds.author_email);
  const fn = ds.contact_name ?? ds.maintainer ?? ds.author ?? org?.name;
  if (email || ds.contact_name) {
    const cp = g.bnode();
    g.add(s, t('dcat', 'contactPoint'), cp);
    g.add(cp, A, t('vcard', 'Kind'));
    if (fn) g.add(cp, t('vcard', 'fn'), literal(fn));
    g.add(cp, t('vcard', 'hasEmail'), email);
  }

  g.add(s, t('dct', 'issued'), dateTime(ds.metadata_created));
  g.add(s, t('dct', 'modified'), dateTime(ds.metadata_modified));
  g.add(s, t('dct', 'language'), LANG_VI);
  if (ds.title_en || ds.notes_en) g.add(s, t('dct', 'language'), LANG_EN);

  for (const code of ds.spatial_codes) g.add(s, t('dct', 'spatial'), adminUnitIri(baseUrl, code));
  if (ds.bbox && ds.bbox.length === 4 && ds.bbox.every(Number.isFinite)) {
    const [w, so, e, n] = ds.bbox as [number, number, number, number];
    const loc = g.bnode();
    g.add(s, t('dct', 'spatial'), loc);
    g.add(loc, A, t('dct', 'Location'));
    g.add(loc, t('dcat', 'bbox'), literal(`POLYGON((${w} ${so}, ${e} ${so}, ${e} ${n}, ${w} ${n}, ${w} ${so}))`, { datatype: WKT }));
    g.add(loc, t('dcat', 'centroid'), literal(`POINT(${(w + e) / 2} ${(so + n) / 2})`, { datatype: WKT }));
  }
  if (ds.temporal_start || ds.temporal_end) {
    const period = g.bnode();
    g.add(s, t('dct', 'temporal'), period);
    g.add(period, A, t('dct', 'PeriodOfTime'));
    if (ds.temporal_start) g.add(period, t('dcat', 'startDate'), literal(String(ds.temporal_start).slice(0, 10), { datatype: XSD_DATE }));
    if (ds.temporal_end) g.add(period, t('dcat', 'endDate'), literal(String(ds.temporal_end).slice(0, 10), { datatype: XSD_DATE }));
  }
  if (ds.update_frequency) {
    const f = frequency(ds.update_frequency);
    if (f) g.add(s, t('dct', 'accrualPeriodicity'), f);
    else {
      const node = g.bnode();
      g.add(s, t('dct', 'accrualPeriodicity'), node);
      g.add(node, A, t('dct', 'Frequency'));
      g.add(node, t('rdfs', 'label'), literal(ds.update_frequency));
    }
  }
  g.add(s, t('dct', 'accessRights'), accessRight(ds.access_level));
  const license = addLicense(g, baseUrl, ds.license_id);
  g.add(s, t('dct', 'license'), license);
  g.add(s, t('dcat', 'landingPage'), iri(`${baseUrl}/dataset/${encodeURIComponent(ds.name)}`));
  if (ds.version) g.add(s, t('dcat', 'version'), literal(ds.version));
  // A harvested copy names where it came from, so catalogues harvesting each other skip copies.
  const source = userIri(ds.harvest_url);
  if (ds.harvest_source_id && source) {
    // The original is a dcat:Dataset (the range of dct:source), described by what we copied from it.
    g.add(s, t('dct', 'source'), source);
    g.add(source, A, t('dcat', 'Dataset'));
    g.add(source, t('dct', 'title'), literal(ds.title, { lang: 'vi' }));
    g.add(source, t('dct', 'description'), langText(ds.notes, 'vi') ?? literal(ds.title, { lang: 'vi' }));
  }

  const dists = full.resources.map((r) => addDistribution(g, baseUrl, full, r, license));
  for (const d of dists) g.add(s, t('dcat', 'distribution'), d);
  if (org) addAgent(g, organizationIri(baseUrl, org.slug), { vi: org.name, en: org.name_en, kind: org.kind });
  return s;
}

export function datasetGraph(full: DatasetFull, baseUrl: string): Graph {
  const g = newGraph();
  addDataset(g, full, baseUrl);
  typeObjects(g);
  return g;
}

export const CATALOG_TEXT = {
  title: { vi: 'Danh mục dữ liệu mở tỉnh Ninh Thuận', en: 'Ninh Thuận Province open data catalogue' },
  description: {
    vi: 'Danh mục các bộ dữ liệu của các cơ quan nhà nước tỉnh Ninh Thuận trên nền tảng Tỉnh Số.',
    en: 'Datasets published by the state agencies of Ninh Thuận Province on the Tỉnh Số platform.',
  },
};

export interface CatalogPage {
  datasets: DatasetFull[];
  total: number;
  /** 1-based. */
  page: number;
  /** Latest metadata_modified among the datasets the caller may read (the whole catalog, not the page). */
  modified: Date | undefined;
  /** URL of a page of this same listing (same format and filters). */
  pageUrl(page: number): string;
  publisher: { slug: string; name: string; name_en: string | null; kind?: string };
}

export function catalogGraph(page: CatalogPage, baseUrl: string): Graph {
  const g = newGraph();
  const c = iri(`${baseUrl}/catalog`);
  g.add(c, A, t('dcat', 'Catalog'));
  g.add(c, t('dct', 'title'), literal(CATALOG_TEXT.title.vi, { lang: 'vi' }));
  g.add(c, t('dct', 'title'), literal(CATALOG_TEXT.title.en, { lang: 'en' }));
  g.add(c, t('dct', 'description'), literal(CATALOG_TEXT.description.vi, { lang: 'vi' }));
  g.add(c, t('dct', 'description'), literal(CATALOG_TEXT.description.en, { lang: 'en' }));
  const publisher = organizationIri(baseUrl, page.publisher.slug);
  g.add(c, t('dct', 'publisher'), publisher);
  g.add(c, t('dct', 'language'), LANG_VI);
  g.add(c, t('dct', 'language'), LANG_EN);
  g.add(c, t('foaf', 'homepage'), iri(`${baseUrl}/`));
  g.add(c, t('dct', 'spatial'), adminUnitIri(baseUrl, '58'));
  g.add(c, t('dcat', 'themeTaxonomy'), iri('http://publications.europa.eu/resource/authority/data-theme'));
  if (page.modified) g.add(c, t('dct', 'modified'), dateTime(page.modified));
  addAgent(g, publisher, { vi: page.publisher.name, en: page.publisher.name_en, kind: page.publisher.kind });

  const lastPage = Math.max(1, Math.ceil(page.total / PAGE_SIZE));
  const p = iri(page.pageUrl(page.page));
  g.add(p, A, t('hydra', 'PagedCollection'));
  g.add(p, t('hydra', 'totalItems'), literal(String(page.total), { datatype: NS.xsd + 'integer' }));
  g.add(p, t('hydra', 'itemsPerPage'), literal(String(PAGE_SIZE), { datatype: NS.xsd + 'integer' }));
  g.add(p, t('hydra', 'first'), iri(page.pageUrl(1)));
  g.add(p, t('hydra', 'last'), iri(page.pageUrl(lastPage)));
  if (page.page < lastPage) g.add(p, t('hydra', 'next'), iri(page.pageUrl(page.page + 1)));
  if (page.page > 1) g.add(p, t('hydra', 'previous'), iri(page.pageUrl(Math.min(page.page - 1, lastPage))));

  for (const full of page.datasets) {
    const ds = addDataset(g, full, baseUrl);
    g.add(c, t('dcat', 'dataset'), ds);
    const rec = iri(`${ds.value}#record`);
    g.add(c, t('dcat', 'record'), rec);
    g.add(rec, A, t('dcat', 'CatalogRecord'));
    g.add(rec, t('foaf', 'primaryTopic'), ds);
    g.add(rec, t('dct', 'issued'), dateTime(full.dataset.metadata_created));
    g.add(rec, t('dct', 'modified'), dateTime(full.dataset.metadata_modified));
  }
  typeObjects(g);
  return g;
}
