import { iri, literal, type Graph, type Iri } from './graph.js';
import { NS, t } from './vocab.js';

/**
 * The class DCAT-AP 3.0.1 expects of the object of each property (its range shapes,
 * `range.ttl`). Objects we point at without describing them — EU vocabulary terms, our own pages
 * and administrative-unit IRIs — are given that class, so a SHACL validator with the range
 * shapes finds nothing to report.
 */
const RANGE: [string, string][] = [
  [`${NS.dct}language`, `${NS.dct}LinguisticSystem`],
  [`${NS.dct}spatial`, `${NS.dct}Location`],
  [`${NS.dcat}theme`, `${NS.skos}Concept`],
  [`${NS.dct}type`, `${NS.skos}Concept`],
  [`${NS.dct}accessRights`, `${NS.dct}RightsStatement`],
  [`${NS.dct}accrualPeriodicity`, `${NS.dct}Frequency`],
  [`${NS.dcat}landingPage`, `${NS.foaf}Document`],
  [`${NS.foaf}homepage`, `${NS.foaf}Document`],
  [`${NS.foaf}page`, `${NS.foaf}Document`],
  [`${NS.dcat}themeTaxonomy`, `${NS.skos}ConceptScheme`],
  [`${NS.dcat}mediaType`, `${NS.dct}MediaType`],
  [`${NS.dct}format`, `${NS.dct}MediaTypeOrExtent`],
  [`${NS.dct}license`, `${NS.dct}LicenseDocument`],
  [`${NS.dct}publisher`, `${NS.foaf}Agent`],
  [`${NS.dct}source`, `${NS.dcat}Dataset`],
  [`${NS.dcatap}availability`, `${NS.skos}Concept`],
];
const RANGE_OF = new Map(RANGE);

const EU = 'http://publications.europa.eu/resource/authority/';
const ADMS = 'http://purl.org/adms/';

/** Labels of the vocabulary terms we use (DCAT-AP asks skos:Concepts for a skos:prefLabel, schemes for a dct:title). */
const LABELS: Record<string, [en: string, vi: string]> = {
  [`${EU}data-theme`]: ['Data theme', 'Chủ đề dữ liệu'],
  [`${EU}data-theme/AGRI`]: ['Agriculture, fisheries, forestry and food', 'Nông nghiệp, thủy sản, lâm nghiệp và thực phẩm'],
  [`${EU}data-theme/ECON`]: ['Economy and finance', 'Kinh tế và tài chính'],
  [`${EU}data-theme/EDUC`]: ['Education, culture and sport', 'Giáo dục, văn hóa và thể thao'],
  [`${EU}data-theme/ENER`]: ['Energy', 'Năng lượng'],
  [`${EU}data-theme/ENVI`]: ['Environment', 'Môi trường'],
  [`${EU}data-theme/GOVE`]: ['Government and public sector', 'Chính phủ và khu vực công'],
  [`${EU}data-theme/HEAL`]: ['Health', 'Y tế'],
  [`${EU}data-theme/INTR`]: ['International issues', 'Các vấn đề quốc tế'],
  [`${EU}data-theme/JUST`]: ['Justice, legal system and public safety', 'Tư pháp, pháp luật và an toàn công cộng'],
  [`${EU}data-theme/REGI`]: ['Regions and cities', 'Vùng và đô thị'],
  [`${EU}data-theme/SOCI`]: ['Population and society', 'Dân số và xã hội'],
  [`${EU}data-theme/TECH`]: ['Science and technology', 'Khoa học và công nghệ'],
  [`${EU}data-theme/TRAN`]: ['Transport', 'Giao thông vận tải'],
  [`${EU}planned-availability/STABLE`]: ['Stable', 'Ổn định'],
  [`${EU}planned-availability/AVAILABLE`]: ['Available', 'Sẵn có'],
  [`${ADMS}publishertype/RegionalAuthority`]: ['Regional authority', 'Cơ quan cấp tỉnh'],
  [`${ADMS}publishertype/LocalAuthority`]: ['Local authority', 'Chính quyền cấp huyện, cấp xã'],
  [`${ADMS}licencetype/PublicDomain`]: ['Public domain', 'Phạm vi công cộng'],
  [`${ADMS}licencetype/Attribution`]: ['Attribution', 'Ghi nguồn'],
  [`${ADMS}licencetype/ViralEffect-ShareAlike`]: ['Viral effect (share-alike)', 'Chia sẻ tương tự'],
  [`${ADMS}licencetype/NonCommercialUse`]: ['Non-commercial use only', 'Chỉ dùng phi thương mại'],
  [`${ADMS}licencetype/OtherRestrictiveClauses`]: ['Other restrictive clauses', 'Điều khoản hạn chế khác'],
};

/**
 * Adds `o a Class` for every IRI or blank-node object of a property with a class range that the
 * graph does not type yet, and the label a known vocabulary term needs (skos:prefLabel of a
 * concept, dct:title of a concept scheme).
 */
export function typeObjects(g: Graph): void {
  const typed = new Set(g.triples.filter((x) => x.p.value === `${NS.rdf}type`).map((x) => `${x.s.value} ${x.o.value}`));
  const A = t('rdf', 'type');
  for (const { p, o } of [...g.triples]) {
    const cls = RANGE_OF.get(p.value);
    if (!cls || o.kind === 'literal' || typed.has(`${o.value} ${cls}`)) continue;
    g.add(o, A, iri(cls));
    typed.add(`${o.value} ${cls}`);
    const label = LABELS[o.value];
    if (!label) continue;
    const prop = cls === `${NS.skos}ConceptScheme` ? t('dct', 'title') : cls === `${NS.skos}Concept` ? t('skos', 'prefLabel') : undefined;
    if (!prop) continue;
    g.add(o, prop, literal(label[0], { lang: 'en' }));
    g.add(o, prop, literal(label[1], { lang: 'vi' }));
  }
}

const ADMS_PUBLISHER_TYPE = `${ADMS}publishertype/`;
const ADMS_LICENCE_TYPE = `${ADMS}licencetype/`;

/** The ADMS publisher type of an organization kind: the province's bodies are regional, districts and communes local. */
export const publisherType = (kind: string | undefined): Iri | undefined =>
  kind === undefined
    ? undefined
    : iri(ADMS_PUBLISHER_TYPE + (kind === 'district_committee' || kind === 'commune_committee' ? 'LocalAuthority' : 'RegionalAuthority'));

/** The ADMS licence type of a licence (CKAN's default register and ours); undefined for licences we cannot classify. */
const LICENCE_TYPES: Record<string, string> = {
  'odc-pddl': 'PublicDomain',
  'cc-zero': 'PublicDomain',
  'other-pd': 'PublicDomain',
  'cc-by': 'Attribution',
  'odc-by': 'Attribution',
  'uk-ogl': 'Attribution',
  'other-at': 'Attribution',
  'other-open': 'Attribution',
  'cc-by-sa': 'ViralEffect-ShareAlike',
  'odc-odbl': 'ViralEffect-ShareAlike',
  gfdl: 'ViralEffect-ShareAlike',
  'cc-nc': 'NonCommercialUse',
  'other-nc': 'NonCommercialUse',
  'other-closed': 'OtherRestrictiveClauses',
  'gov-use-only': 'OtherRestrictiveClauses',
};
export const licenceType = (id: string): Iri | undefined => (LICENCE_TYPES[id] ? iri(ADMS_LICENCE_TYPE + LICENCE_TYPES[id]) : undefined);

/** Uploaded files are kept as long as the dataset (stable); linked files are as available as their host. */
export const availability = (upload: boolean): Iri =>
  iri(`http://publications.europa.eu/resource/authority/planned-availability/${upload ? 'STABLE' : 'AVAILABLE'}`);
