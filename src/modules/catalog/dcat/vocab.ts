import type { AccessLevel } from '../tables.js';
import { iri, type Iri } from './graph.js';

export const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  gsp: 'http://www.opengis.net/ont/geosparql#',
  hydra: 'http://www.w3.org/ns/hydra/core#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  dcatap: 'http://data.europa.eu/r5r/',
} as const;
export type Prefix = keyof typeof NS;

/** `t('dct', 'title')` → the IRI http://purl.org/dc/terms/title. */
export const t = (prefix: Prefix, local: string): Iri => iri(NS[prefix] + local);

export const XSD_DATETIME = NS.xsd + 'dateTime';
export const XSD_DATE = NS.xsd + 'date';
export const XSD_NNI = NS.xsd + 'nonNegativeInteger';
export const WKT = NS.gsp + 'wktLiteral';

const EU = 'http://publications.europa.eu/resource/authority/';

export const LANG_VI = iri(`${EU}language/VIE`);
export const LANG_EN = iri(`${EU}language/ENG`);

export function accessRight(level: AccessLevel): Iri {
  const code = level === 'public' ? 'PUBLIC' : level === 'private' ? 'NON_PUBLIC' : 'RESTRICTED';
  return iri(`${EU}access-right/${code}`);
}

/** Our theme groups (src/modules/catalog/themes.ts) → EU data themes; 'khac' (other) has none. */
const THEME_MAP: Record<string, string[]> = {
  'nong-nghiep': ['AGRI'],
  'du-lich': ['ECON'],
  'giao-duc': ['EDUC'],
  'y-te': ['HEAL'],
  'giao-thong': ['TRAN'],
  'an-ninh-quoc-phong': ['JUST'],
  'tai-nguyen-moi-truong': ['ENVI'],
  'cong-nghiep-nang-luong': ['ENER', 'ECON'],
  'thuong-mai': ['ECON'],
  'khoa-hoc-cong-nghe': ['TECH'],
  'hanh-chinh': ['GOVE', 'SOCI'],
};
export const euThemes = (groupName: string): Iri[] => (THEME_MAP[groupName] ?? []).map((c) => iri(`${EU}data-theme/${c}`));

/** Formats we know in the EU file-type vocabulary (the format column holds upper-case names). */
const FILE_TYPES = new Set([
  'CSV',
  'TSV',
  'JSON',
  'JSON_LD',
  'GEOJSON',
  'XML',
  'XLS',
  'XLSX',
  'ODS',
  'PDF',
  'DOC',
  'DOCX',
  'ODT',
  'ZIP',
  'GZIP',
  'TXT',
  'HTML',
  'RDF_XML',
  'RDF_TURTLE',
  'SHP',
  'KML',
  'KMZ',
  'GML',
  'GPKG',
  'TIFF',
  'PNG',
  'JPEG',
  'PARQUET',
  'SQL',
]);
const FORMAT_ALIASES: Record<string, string> = {
  JSONLD: 'JSON_LD',
  'JSON-LD': 'JSON_LD',
  TTL: 'RDF_TURTLE',
  TURTLE: 'RDF_TURTLE',
  RDF: 'RDF_XML',
  'RDF/XML': 'RDF_XML',
  HTM: 'HTML',
  JPG: 'JPEG',
  TIF: 'TIFF',
  GZ: 'GZIP',
  SHAPEFILE: 'SHP',
  TEXT: 'TXT',
};
export function fileType(format: string): Iri | undefined {
  const f = format.trim().toUpperCase();
  const code = FORMAT_ALIASES[f] ?? f;
  return FILE_TYPES.has(code) ? iri(`${EU}file-type/${code}`) : undefined;
}

const MEDIA_TYPES: Record<string, string> = {
  CSV: 'text/csv',
  TSV: 'text/tab-separated-values',
  JSON: 'application/json',
  JSON_LD: 'application/ld+json',
  GEOJSON: 'application/geo+json',
  XML: 'application/xml',
  XLS: 'application/vnd.ms-excel',
  XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ODS: 'application/vnd.oasis.opendocument.spreadsheet',
  PDF: 'application/pdf',
  DOCX: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  ZIP: 'application/zip',
  TXT: 'text/plain',
  HTML: 'text/html',
  RDF_XML: 'application/rdf+xml',
  RDF_TURTLE: 'text/turtle',
  KML: 'application/vnd.google-earth.kml+xml',
  PNG: 'image/png',
  JPEG: 'image/jpeg',
};
const MEDIA_TYPE_RE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

/** DCAT-AP 3 media types are IANA IRIs; from the resource's mimetype, else guessed from its format. */
export function mediaType(mimetype: string | null, format: string | null): Iri | undefined {
  const m = mimetype?.split(';')[0]?.trim().toLowerCase();
  const f = format?.trim().toUpperCase();
  const type = m && MEDIA_TYPE_RE.test(m) ? m : f ? MEDIA_TYPES[FORMAT_ALIASES[f] ?? f] : undefined;
  return type ? iri(`https://www.iana.org/assignments/media-types/${type}`) : undefined;
}

const fold = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

const FREQUENCIES: [RegExp, string][] = [
  [/^(continuous|real ?time|thoi gian thuc|lien tuc)$/, 'CONT'],
  [/^(hourly|hang gio|moi gio)$/, 'HOURLY'],
  [/^(daily|day|hang ngay|moi ngay)$/, 'DAILY'],
  [/^(weekly|week|hang tuan|moi tuan)$/, 'WEEKLY'],
  [/^(monthly|month|hang thang|moi thang)$/, 'MONTHLY'],
  [/^(quarterly|quarter|hang quy|moi quy)$/, 'QUARTERLY'],
  [/^(semiannual|semi annual|biannual|6 thang|sau thang|nua nam)$/, 'ANNUAL_2'],
  [/^(annual|annually|yearly|year|hang nam|moi nam)$/, 'ANNUAL'],
  [/^(irregular|khong dinh ky|bat thuong)$/, 'IRREG'],
  [/^(never|khong cap nhat)$/, 'NEVER'],
];
const EU_FREQ_CODE = /^(CONT|UPDATE_CONT|HOURLY|DAILY|WEEKLY|MONTHLY|QUARTERLY|ANNUAL|ANNUAL_2|ANNUAL_3|BIENNIAL|IRREG|NEVER|OTHER|UNKNOWN)$/;

/** update_frequency (free text, Vietnamese or English, or an EU code/IRI) → the EU frequency code (CONT, DAILY, …). */
export function frequencyCode(value: string): string | undefined {
  const v = value.trim();
  if (v.startsWith(`${EU}frequency/`)) return v.slice(`${EU}frequency/`.length);
  if (EU_FREQ_CODE.test(v)) return v;
  const f = fold(v);
  return FREQUENCIES.find(([re]) => re.test(f))?.[1];
}

/** update_frequency → EU frequency IRI. */
export function frequency(value: string): Iri | undefined {
  const code = frequencyCode(value);
  return code ? iri(`${EU}frequency/${code}`) : undefined;
}
