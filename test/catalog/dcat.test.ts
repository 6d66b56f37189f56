import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.js';
import { loadConfig } from '../../src/platform/config/index.js';
import { ANONYMOUS, type Principal } from '../../src/platform/auth/index.js';
import { createDataset, datasetRdf, getDataset, schemaOrgDataset, type DatasetFull, type RdfFormat } from '../../src/modules/catalog/index.js';
import { getOrganization, loadMemberships } from '../../src/modules/organizations/index.js';
import { Graph, cleanText, iri, literal, userIri } from '../../src/modules/catalog/dcat/graph.js';
import { serialize } from '../../src/modules/catalog/dcat/serialize.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/*
 * Every RDF output is parsed by a real parser: Debian's python3-rdflib, run as /usr/bin/python3
 * (the python3 on PATH may be a pyenv one without rdflib; CI installs python3-rdflib in .ci/run).
 */
const PYTHON = '/usr/bin/python3';
const RDFLIB_SCRIPT = String.raw`
import json, sys
import rdflib
from rdflib.compare import isomorphic, graph_diff, to_isomorphic

PREFIXES = """
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX vcard: <http://www.w3.org/2006/vcard/ns#>
PREFIX hydra: <http://www.w3.org/ns/hydra/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
FORMATS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}

req = json.load(sys.stdin)
graphs = []
for doc in req["docs"]:
    g = rdflib.Graph()
    g.parse(data=doc["data"], format=FORMATS[doc["format"]])
    graphs.append(g)
out = {"sizes": [len(g) for g in graphs], "isomorphic": True, "diff": []}
for g in graphs[1:]:
    if not isomorphic(graphs[0], g):
        out["isomorphic"] = False
        _, a, b = graph_diff(to_isomorphic(graphs[0]), to_isomorphic(g))
        out["diff"].append([[str(x) for x in t] for t in list(a)[:5]] + [["--"]] + [[str(x) for x in t] for t in list(b)[:5]])
g = graphs[0]
out["ask"] = {k: bool(g.query(PREFIXES + q).askAnswer) for k, q in req.get("ask", {}).items()}
def cell(v):
    if v is None:
        return None
    if isinstance(v, rdflib.Literal):
        return {"value": str(v), "lang": v.language, "datatype": str(v.datatype) if v.datatype else None}
    return str(v)
out["select"] = {k: [[cell(v) for v in row] for row in g.query(PREFIXES + q)] for k, q in req.get("select", {}).items()}
print(json.dumps(out))
`;

interface RdfCheck {
  sizes: number[];
  isomorphic: boolean;
  diff: string[][][];
  ask: Record<string, boolean>;
  select: Record<string, (string | { value: string; lang: string | null; datatype: string | null } | null)[][]>;
}

let scriptPath = '';
function rdflib(docs: { format: RdfFormat; data: string }[], ask: Record<string, string> = {}, select: Record<string, string> = {}): RdfCheck {
  const r = spawnSync(PYTHON, [scriptPath], { input: JSON.stringify({ docs, ask, select }), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`rdflib failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as RdfCheck;
}
const values = (rows: RdfCheck['select'][string]) => rows.map((row) => (typeof row[0] === 'object' && row[0] ? row[0].value : row[0]));

let t: TestApp;
let baseUrl = '';
const p: Record<string, Principal> = {};
const auth: Record<string, { authorization: string }> = {};
const ds: Record<string, DatasetFull> = {};

async function principalFor(email: string, org?: string, role?: 'admin' | 'editor' | 'member'): Promise<Principal> {
  const u = await t.userWithToken({ email });
  auth[email] = u.auth;
  if (org && role) {
    const { org: o } = await getOrganization(t.db.db, org);
    await t.db.pool.query('insert into org_member (org_id, user_id, role) values ($1, $2, $3)', [o.id, u.id, role]);
  }
  return {
    user: { id: u.id, email, name: email, isSysadmin: false, createdAt: new Date() },
    via: 'token',
    csrfToken: null,
    memberships: await loadMemberships(t.db.db, u.id),
  };
}

const RICH_TITLE = 'Chất lượng nước "thải" <công nghiệp> & đô thị';
const RICH_NOTES = 'Kết quả quan trắc\nnước thải tại các khu công nghiệp:\t"Phước Nam" & <Du Long>\\ \'ổn\'\r\nHết.';

beforeAll(async () => {
  if (spawnSync(PYTHON, ['-c', 'import rdflib']).status !== 0) throw new Error('python3-rdflib missing: apt-get install -y python3-rdflib');
  scriptPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-dcat-')), 'check.py');
  fs.writeFileSync(scriptPath, RDFLIB_SCRIPT);
  t = await createTestApp();
  // createTestApp uses loadConfig({ port: 0 }, {}) → the same base URL.
  baseUrl = loadConfig({ port: 0 }, {}).baseUrl;
  p.editor = await principalFor('editor@tnmt.vn', 'so-tnmt', 'editor');
  p.tnmtMember = await principalFor('member@tnmt.vn', 'so-tnmt', 'member');
  p.khcn = await principalFor('officer@khcn.vn', 'so-khcn', 'member');
  p.citizen = await principalFor('citizen@example.org');

  const mk = (input: Parameters<typeof createDataset>[3]) => createDataset(t.db.db, p.editor!, SYSTEM_ACTOR, { owner_org: 'so-tnmt', ...input });
  ds.rich = await mk({
    name: 'nuoc-thai',
    title: RICH_TITLE.normalize('NFD'),
    title_en: 'Industrial "waste" water',
    notes: 'tạm',
    notes_en: 'Monitoring results <2024>.',
    tags: ['nước thải', 'quan trắc'],
    groups: [{ name: 'tai-nguyen-moi-truong' }],
    license_id: 'cc-by',
    spatial_codes: ['58'],
    bbox: [108.5, 11.3, 109.25, 12.2],
    temporal_start: '2020-01-01',
    temporal_end: '2024-12-31',
    update_frequency: 'Hằng năm',
    contact_name: 'Phòng Môi trường',
    contact_email: 'moitruong@tnmt.vn',
    resources: [
      { name: 'Số liệu 2024', description: 'Bảng "CSV" <UTF-8>', url: 'https://example.org/data/2024.csv', format: 'csv', size: 12345, mimetype: 'text/csv' },
      { name: 'Bản đồ', url: 'https://example.org/a b/"x"?q=<1>&r={2}|^`', format: 'geojson' },
      { name: 'Liên kết hỏng', url: 'khong-phai-url', format: 'Định dạng lạ' },
    ],
  });
  // Text with newlines, tabs and quotes, as harvested data may carry (the service itself folds whitespace).
  await t.db.pool.query('update dataset set notes = $1 where id = $2', [RICH_NOTES, ds.rich.dataset.id]);
  ds.rich = await getDataset(t.db.db, p.editor!, 'nuoc-thai');
  ds.plain = await mk({ name: 'cong-khai-2', title: 'Danh sách trường học', groups: [{ name: 'giao-duc' }], license_id: 'gov-use-only' });
  ds.gov = await mk({ name: 'noi-bo', title: 'Dữ liệu nội bộ', access_level: 'government' });
  ds.restricted = await mk({ name: 'han-che', title: 'Dữ liệu hạn chế', access_level: 'restricted', restricted_orgs: ['so-gtvt'] });
  ds.priv = await mk({ name: 'rieng-tu', title: 'Dữ liệu riêng', access_level: 'private' });
  ds.draft = await mk({ name: 'nhap', title: 'Bản nháp', state: 'draft' });
});
afterAll(async () => t?.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

const MANDATORY_DATASET = {
  datasetTitle: 'ASK { ?d a dcat:Dataset FILTER NOT EXISTS { ?d dct:title ?x } }',
  datasetDescription: 'ASK { ?d a dcat:Dataset FILTER NOT EXISTS { ?d dct:description ?x } }',
  distributionAccessUrl: 'ASK { ?x a dcat:Distribution FILTER NOT EXISTS { ?x dcat:accessURL ?u } }',
  agentName: 'ASK { ?a a foaf:Agent FILTER NOT EXISTS { ?a foaf:name ?n } }',
};

describe('DCAT-AP 3 dataset', () => {
  it('serves one dataset as Turtle, RDF/XML and JSON-LD that parse to the same graph', async () => {
    const docs: { format: RdfFormat; data: string }[] = [];
    const types: Record<RdfFormat, string> = { ttl: 'text/turtle', rdf: 'application/rdf+xml', jsonld: 'application/ld+json' };
    for (const f of ['ttl', 'rdf', 'jsonld'] as RdfFormat[]) {
      const res = await get(`/dataset/nuoc-thai.${f}`);
      expect(res.statusCode, f).toBe(200);
      expect(res.headers['content-type']).toBe(`${types[f]}; charset=utf-8`);
      docs.push({ format: f, data: res.body });
    }
    const byId = await get(`/dataset/${ds.rich!.dataset.id}.ttl`);
    expect(byId.body).toBe(docs[0]!.data);

    const d = `<${baseUrl}/dataset/${ds.rich!.dataset.id}>`;
    const r = rdflib(
      docs,
      {
        ...MANDATORY_DATASET,
        isDataset: `ASK { ${d} a dcat:Dataset ; dct:identifier "${ds.rich!.dataset.id}" }`,
        titleVi: `ASK { ${d} dct:title ?t FILTER(lang(?t) = "vi") }`,
        titleEn: `ASK { ${d} dct:title "Industrial \\"waste\\" water"@en }`,
        descEn: `ASK { ${d} dct:description "Monitoring results <2024>."@en }`,
        keywords: `ASK { ${d} dcat:keyword "nước thải"@vi, "quan trắc"@vi }`,
        euTheme: `ASK { ${d} dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI> }`,
        groupTheme: `ASK { ${d} dcat:theme <${baseUrl}/group/tai-nguyen-moi-truong> }`,
        publisher: `ASK { ${d} dct:publisher ?o . ?o a foaf:Agent ; foaf:name "Sở Tài nguyên và Môi trường"@vi }`,
        contact: `ASK { ${d} dcat:contactPoint ?c . ?c a vcard:Kind ; vcard:fn "Phòng Môi trường" ; vcard:hasEmail <mailto:moitruong@tnmt.vn> }`,
        dates: `ASK { ${d} dct:issued ?i ; dct:modified ?m FILTER(datatype(?i) = xsd:dateTime && datatype(?m) = xsd:dateTime) }`,
        spatial: `ASK { ${d} dct:spatial <${baseUrl}/api/v1/admin-units/58> }`,
        bbox: `ASK { ${d} dct:spatial ?l . ?l a dct:Location ; dcat:bbox ?b FILTER(str(?b) = "POLYGON((108.5 11.3, 109.25 11.3, 109.25 12.2, 108.5 12.2, 108.5 11.3))" && datatype(?b) = <http://www.opengis.net/ont/geosparql#wktLiteral>) }`,
        temporal: `ASK { ${d} dct:temporal ?p . ?p a dct:PeriodOfTime ; dcat:startDate "2020-01-01"^^xsd:date ; dcat:endDate "2024-12-31"^^xsd:date }`,
        frequency: `ASK { ${d} dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/ANNUAL> }`,
        accessRights: `ASK { ${d} dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> }`,
        license: `ASK { ${d} dct:license <https://creativecommons.org/licenses/by/4.0/> }`,
        landingPage: `ASK { ${d} dcat:landingPage <${baseUrl}/dataset/nuoc-thai> }`,
        csv: `ASK { ${d} dcat:distribution <${baseUrl}/dataset/${ds.rich!.dataset.id}/resource/${ds.rich!.resources[0]!.id}> .
          <${baseUrl}/dataset/${ds.rich!.dataset.id}/resource/${ds.rich!.resources[0]!.id}> a dcat:Distribution ;
            dcat:accessURL <https://example.org/data/2024.csv> ; dct:title "Số liệu 2024"@vi ; dct:description "Bảng \\"CSV\\" <UTF-8>"@vi ;
            dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ;
            dcat:mediaType <https://www.iana.org/assignments/media-types/text/csv> ;
            dcat:byteSize "12345"^^xsd:nonNegativeInteger ; dct:license <https://creativecommons.org/licenses/by/4.0/> }`,
        noDownloadForLinks: `ASK { ?x a dcat:Distribution ; dcat:downloadURL ?u }`,
        brokenLinkFallsBack: `ASK { <${baseUrl}/dataset/${ds.rich!.dataset.id}/resource/${ds.rich!.resources[2]!.id}> dcat:accessURL <${baseUrl}/dataset/${ds.rich!.dataset.id}/resource/${ds.rich!.resources[2]!.id}> ; dct:format "ĐỊNH DẠNG LẠ" }`,
      },
      {
        titleVi: `SELECT ?t WHERE { ${d} dct:title ?t FILTER(lang(?t) = "vi") }`,
        descVi: `SELECT ?t WHERE { ${d} dct:description ?t FILTER(lang(?t) = "vi") }`,
        oddUrl: `SELECT ?u WHERE { <${baseUrl}/dataset/${ds.rich!.dataset.id}/resource/${ds.rich!.resources[1]!.id}> dcat:accessURL ?u }`,
      },
    );
    expect(r.diff).toEqual([]);
    expect(r.isomorphic).toBe(true);
    expect(r.sizes[0]).toBeGreaterThan(40);
    expect(r.sizes).toEqual([r.sizes[0], r.sizes[0], r.sizes[0]]);
    expect(r.ask).toEqual({
      datasetTitle: false,
      datasetDescription: false,
      distributionAccessUrl: false,
      agentName: false,
      isDataset: true,
      titleVi: true,
      titleEn: true,
      descEn: true,
      keywords: true,
      euTheme: true,
      groupTheme: true,
      publisher: true,
      contact: true,
      dates: true,
      spatial: true,
      bbox: true,
      temporal: true,
      frequency: true,
      accessRights: true,
      license: true,
      landingPage: true,
      csv: true,
      noDownloadForLinks: false,
      brokenLinkFallsBack: true,
    });
    // Vietnamese, quotes, <, &, backslash, tab and CR/LF come back exactly, in NFC.
    expect(values(r.select.titleVi!)).toEqual([RICH_TITLE.normalize('NFC')]);
    expect(values(r.select.descVi!)).toEqual([RICH_NOTES]);
    expect(values(r.select.descVi!)[0]!.normalize('NFC')).toBe(values(r.select.descVi!)[0]);
    expect(values(r.select.oddUrl!)).toEqual(['https://example.org/a%20b/%22x%22?q=%3C1%3E&r=%7B2%7D%7C%5E%60']);
  });

  it('gives a licence without URL a described document and a dataset without notes its title as description', async () => {
    // An uploaded file (as the upload route stores it: url = the file name).
    const { rows } = await t.db.pool.query(
      `insert into resource (dataset_id, position, name, url, format, url_type, storage_key, size) values ($1, 0, 'Tệp tải lên', 'báo cáo 2024.xlsx', 'XLSX', 'upload', 'k/1', 2048) returning id`,
      [ds.plain!.dataset.id],
    );
    const rid = rows[0].id as string;
    const docs = (['ttl', 'rdf', 'jsonld'] as RdfFormat[]).map((f) => ({ format: f, data: '' }));
    for (const doc of docs) doc.data = (await datasetRdf(t.db.db, ANONYMOUS, 'cong-khai-2', doc.format, baseUrl)).body;
    const d = `<${baseUrl}/dataset/${ds.plain!.dataset.id}>`;
    const r = rdflib(docs, {
      ...MANDATORY_DATASET,
      desc: `ASK { ${d} dct:description "Danh sách trường học"@vi }`,
      license: `ASK { ${d} dct:license ?l . ?l a dct:LicenseDocument ; rdfs:label ?x }`,
      theme: `ASK { ${d} dcat:theme <http://publications.europa.eu/resource/authority/data-theme/EDUC> }`,
      noContact: `ASK { ${d} dcat:contactPoint ?c }`,
      upload: `ASK { ${d} dcat:distribution <${baseUrl}/dataset/${ds.plain!.dataset.id}/resource/${rid}> .
        <${baseUrl}/dataset/${ds.plain!.dataset.id}/resource/${rid}> dcat:accessURL <${baseUrl}/dataset/${ds.plain!.dataset.id}/resource/${rid}> ;
          dcat:downloadURL <${baseUrl}/dataset/${ds.plain!.dataset.id}/resource/${rid}/download/b%C3%A1o%20c%C3%A1o%202024.xlsx> ;
          dcat:byteSize "2048"^^xsd:nonNegativeInteger }`,
    });
    expect(r.isomorphic).toBe(true);
    expect(r.ask).toEqual({
      datasetTitle: false,
      datasetDescription: false,
      distributionAccessUrl: false,
      agentName: false,
      desc: true,
      license: true,
      theme: true,
      noContact: false,
      upload: true,
    });
  });

  it('applies the access rule: 404 when absent, 403 when not readable', async () => {
    expect((await get('/dataset/khong-ton-tai.ttl')).statusCode).toBe(404);
    const anon = await get('/dataset/rieng-tu.rdf');
    expect(anon.statusCode).toBe(403);
    expect(anon.headers['content-type']).toContain('application/problem+json');
    expect((await get('/dataset/rieng-tu.jsonld', auth['officer@khcn.vn'])).statusCode).toBe(403);
    expect((await get('/dataset/rieng-tu.jsonld', auth['citizen@example.org'])).statusCode).toBe(403);
    const own = await get('/dataset/rieng-tu.ttl', auth['member@tnmt.vn']);
    expect(own.statusCode).toBe(200);
    expect(own.headers['cache-control']).toBe('private, no-store');
    expect(
      rdflib([{ format: 'ttl', data: own.body }], {
        nonPublic: 'ASK { ?d dct:accessRights <http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC> }',
      }).ask.nonPublic,
    ).toBe(true);
    expect((await get('/dataset/noi-bo.ttl')).statusCode).toBe(403);
    const gov = await get('/dataset/noi-bo.ttl', auth['officer@khcn.vn']);
    expect(gov.statusCode).toBe(200);
    expect(
      rdflib([{ format: 'ttl', data: gov.body }], {
        restricted: 'ASK { ?d dct:accessRights <http://publications.europa.eu/resource/authority/access-right/RESTRICTED> }',
      }).ask.restricted,
    ).toBe(true);
    expect((await get('/dataset/nhap.ttl')).statusCode).toBe(403);
    await expect(datasetRdf(t.db.db, ANONYMOUS, 'rieng-tu', 'ttl', baseUrl)).rejects.toMatchObject({ status: 403 });
    await expect(datasetRdf(t.db.db, p.khcn!, 'khong-ton-tai', 'ttl', baseUrl)).rejects.toMatchObject({ status: 404 });
    const ok = await datasetRdf(t.db.db, p.tnmtMember!, 'rieng-tu', 'jsonld', baseUrl);
    expect(ok.contentType).toBe('application/ld+json; charset=utf-8');
  });
});

const catalogIds = (r: RdfCheck) => (r.select.datasets ?? []).map((row) => String(row[0]).split('/').pop()).sort();
const CATALOG_SELECT = { datasets: `SELECT ?d WHERE { <BASE/catalog> dcat:dataset ?d }` };
const catalogSelect = () => ({ datasets: CATALOG_SELECT.datasets.replace('BASE', baseUrl) });

describe('DCAT-AP 3 catalog', () => {
  it('lists only public datasets to anonymous callers, with the mandatory catalog properties, in three isomorphic forms', async () => {
    // /catalog.{ext} pages name themselves with their extension; /catalog (negotiated) is one resource in three forms.
    for (const f of ['ttl', 'rdf', 'jsonld'] as RdfFormat[]) expect((await get(`/catalog.${f}`)).statusCode).toBe(200);
    const accepts: Record<RdfFormat, string> = { ttl: 'text/turtle', rdf: 'application/rdf+xml', jsonld: 'application/ld+json' };
    const docs: { format: RdfFormat; data: string }[] = [];
    for (const f of ['ttl', 'rdf', 'jsonld'] as RdfFormat[]) docs.push({ format: f, data: (await get('/catalog', { accept: accepts[f] })).body });
    const c = `<${baseUrl}/catalog>`;
    const r = rdflib(
      docs,
      {
        ...MANDATORY_DATASET,
        catalog: `ASK { ${c} a dcat:Catalog ; dct:title ?tv, ?te ; dct:description ?dv, ?de ; dct:publisher ?p .
          ?p a foaf:Agent ; foaf:name "Ủy ban nhân dân tỉnh Ninh Thuận"@vi
          FILTER(lang(?tv) = "vi" && lang(?te) = "en" && lang(?dv) = "vi" && lang(?de) = "en") }`,
        catalogExtras: `ASK { ${c} dct:language <http://publications.europa.eu/resource/authority/language/VIE> ; foaf:homepage <${baseUrl}/> ; dct:modified ?m }`,
        recordsComplete: `ASK { ${c} dcat:dataset ?d FILTER NOT EXISTS { ${c} dcat:record ?r . ?r a dcat:CatalogRecord ; foaf:primaryTopic ?d ; dct:modified ?m } }`,
        recordMandatory: `ASK { ?r a dcat:CatalogRecord FILTER NOT EXISTS { ?r dct:modified ?m ; foaf:primaryTopic ?t } }`,
      },
      catalogSelect(),
    );
    expect(r.diff).toEqual([]);
    expect(r.isomorphic).toBe(true);
    expect(r.ask).toEqual({
      datasetTitle: false,
      datasetDescription: false,
      distributionAccessUrl: false,
      agentName: false,
      catalog: true,
      catalogExtras: true,
      recordsComplete: false,
      recordMandatory: false,
    });
    expect(catalogIds(r)).toEqual([ds.rich!.dataset.id, ds.plain!.dataset.id].sort());
  });

  it('lists what a signed-in caller may read (government datasets for agency staff)', async () => {
    const khcn = rdflib([{ format: 'ttl', data: (await get('/catalog.ttl', auth['officer@khcn.vn'])).body }], {}, catalogSelect());
    expect(catalogIds(khcn)).toEqual([ds.rich!.dataset.id, ds.plain!.dataset.id, ds.gov!.dataset.id].sort());
    const member = rdflib([{ format: 'ttl', data: (await get('/catalog.ttl', auth['member@tnmt.vn'])).body }], {}, catalogSelect());
    expect(catalogIds(member)).toEqual([ds.rich!.dataset.id, ds.plain!.dataset.id, ds.gov!.dataset.id, ds.restricted!.dataset.id, ds.priv!.dataset.id].sort());
    const citizen = rdflib([{ format: 'ttl', data: (await get('/catalog.ttl', auth['citizen@example.org'])).body }], {}, catalogSelect());
    expect(catalogIds(citizen)).toEqual([ds.rich!.dataset.id, ds.plain!.dataset.id].sort());
  });

  it('negotiates the format on /catalog and answers 406 when nothing offered is acceptable', async () => {
    const cases: [string | undefined, string][] = [
      [undefined, 'text/turtle'],
      ['*/*', 'text/turtle'],
      ['text/turtle', 'text/turtle'],
      ['application/rdf+xml', 'application/rdf+xml'],
      ['application/ld+json', 'application/ld+json'],
      ['text/html;q=0.9, application/rdf+xml;q=0.5, text/turtle;q=0.2', 'application/rdf+xml'],
      ['application/*', 'application/rdf+xml'],
      ['application/ld+json, */*;q=0.1', 'application/ld+json'],
    ];
    for (const [accept, type] of cases) {
      const res = await get('/catalog', accept ? { accept } : {});
      expect(res.statusCode, accept).toBe(200);
      expect(res.headers['content-type'], accept).toBe(`${type}; charset=utf-8`);
      expect(res.headers.vary).toContain('Accept');
    }
    const ld = await get('/catalog', { accept: 'application/ld+json' });
    expect(rdflib([{ format: 'jsonld', data: ld.body }], { ok: `ASK { <${baseUrl}/catalog> a dcat:Catalog }` }).ask.ok).toBe(true);
    for (const accept of ['text/html', 'application/json', 'text/turtle;q=0']) {
      const res = await get('/catalog', { accept });
      expect(res.statusCode, accept).toBe(406);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ status: 406, code: 'not_acceptable' });
    }
  });

  it('pages by 100 as a Hydra PagedCollection and filters by modified_since', async () => {
    // 110 more public datasets, straight into the table, 30 of them last modified in 2020.
    const { rows: orgs } = await t.db.pool.query(`select id from organization where slug = 'so-tnmt'`);
    await t.db.pool.query(
      `insert into dataset (name, title, owner_org, metadata_modified)
       select 'trang-' || i, 'Bộ dữ liệu số ' || i, $1, case when i <= 30 then timestamptz '2020-06-01T00:00:00Z' + i * interval '1 hour' else now() end
       from generate_series(1, 110) i`,
      [orgs[0].id],
    );
    const total = 112;
    const hydra = (
      u: string,
    ) => `SELECT ?total ?per ?first ?last ?next ?prev WHERE { <${u}> a hydra:PagedCollection ; hydra:totalItems ?total ; hydra:itemsPerPage ?per ; hydra:first ?first ; hydra:last ?last .
        OPTIONAL { <${u}> hydra:next ?next } OPTIONAL { <${u}> hydra:previous ?prev } }`;
    const val = (x: unknown) => (typeof x === 'object' && x ? (x as { value: string }).value : x);

    const page1 = await get('/catalog.ttl');
    const r1 = rdflib([{ format: 'ttl', data: page1.body }], {}, { ...catalogSelect(), hydra: hydra(`${baseUrl}/catalog.ttl?page=1`) });
    expect(r1.select.datasets).toHaveLength(100);
    expect(r1.select.hydra!.map((row) => row.map(val))).toEqual([
      [String(total), '100', `${baseUrl}/catalog.ttl?page=1`, `${baseUrl}/catalog.ttl?page=2`, `${baseUrl}/catalog.ttl?page=2`, null],
    ]);
    const page2 = await get('/catalog.rdf?page=2');
    const r2 = rdflib([{ format: 'rdf', data: page2.body }], {}, { ...catalogSelect(), hydra: hydra(`${baseUrl}/catalog.rdf?page=2`) });
    expect(r2.select.datasets).toHaveLength(total - 100);
    expect(r2.select.hydra!.map((row) => row.map(val))).toEqual([
      [String(total), '100', `${baseUrl}/catalog.rdf?page=1`, `${baseUrl}/catalog.rdf?page=2`, null, `${baseUrl}/catalog.rdf?page=1`],
    ]);
    expect(new Set([...catalogIds(r1), ...catalogIds(r2)]).size).toBe(total);

    const since = await get('/catalog.jsonld?modified_since=2021-01-01');
    expect(since.statusCode).toBe(200);
    const r3 = rdflib(
      [{ format: 'jsonld', data: since.body }],
      {},
      { ...catalogSelect(), hydra: hydra(`${baseUrl}/catalog.jsonld?modified_since=2021-01-01&page=1`) },
    );
    expect(r3.select.datasets).toHaveLength(total - 30);
    expect(val(r3.select.hydra![0]![0])).toBe(String(total - 30));
    // With an offset ("+" sent unencoded arrives as a space) and fractional seconds.
    // Datasets 6..30 were modified at or after 05:30Z on 2020-06-01.
    const totalOf = (body: string, u: string) => val(rdflib([{ format: 'ttl', data: body }], {}, { hydra: hydra(u) }).select.hydra![0]![0]);
    const cut = await get('/catalog.ttl?modified_since=2020-06-01T12:30:00.5+07:00');
    expect(totalOf(cut.body, `${baseUrl}/catalog.ttl?modified_since=2020-06-01T12%3A30%3A00.5+07%3A00&page=1`)).toBe(String(total - 30 + 25));
    const encoded = await get(`/catalog.ttl?modified_since=${encodeURIComponent('2020-06-01T05:30:00Z')}`);
    expect(totalOf(encoded.body, `${baseUrl}/catalog.ttl?modified_since=2020-06-01T05%3A30%3A00Z&page=1`)).toBe(String(total - 30 + 25));

    for (const bad of ['yesterday', '2024-02-30', '2024-13-01', '2024-01-01T25:00:00Z', '2024-01-01T10:00:00+0700x']) {
      const res = await get(`/catalog.ttl?modified_since=${encodeURIComponent(bad)}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json(), bad).toMatchObject({ code: 'invalid_modified_since', field: 'modified_since' });
    }
    for (const bad of ['0', '-1', 'abc', '1.5']) {
      const res = await get(`/catalog.ttl?page=${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json()).toMatchObject({ field: 'page' });
    }
    const beyond = rdflib([{ format: 'ttl', data: (await get('/catalog.ttl?page=9')).body }], {}, catalogSelect());
    expect(beyond.select.datasets).toHaveLength(0);
  });

  it('filters with q and fq through the search engine', async () => {
    const res = await get(`/catalog.ttl?q=${encodeURIComponent('nước thải')}`);
    expect(res.statusCode).toBe(200);
    expect(catalogIds(rdflib([{ format: 'ttl', data: res.body }], {}, catalogSelect()))).toContain(ds.rich!.dataset.id);
    const gov = await get(`/catalog.ttl?q=${encodeURIComponent('nội bộ')}`);
    expect(catalogIds(rdflib([{ format: 'ttl', data: gov.body }], {}, catalogSelect()))).not.toContain(ds.gov!.dataset.id);
    const govSignedIn = await get(`/catalog.ttl?q=${encodeURIComponent('nội bộ')}`, auth['officer@khcn.vn']);
    expect(catalogIds(rdflib([{ format: 'ttl', data: govSignedIn.body }], {}, catalogSelect()))).toContain(ds.gov!.dataset.id);
    const fq = await get(`/catalog.ttl?fq=${encodeURIComponent('groups:giao-duc')}`);
    expect(catalogIds(rdflib([{ format: 'ttl', data: fq.body }], {}, catalogSelect()))).toEqual([ds.plain!.dataset.id]);
    const since = await get(`/catalog.ttl?q=${encodeURIComponent('bộ dữ liệu')}&modified_since=2021-01-01`);
    expect(since.statusCode).toBe(200);
  });
});

describe('schema.org Dataset', () => {
  it('describes a public dataset for Google Dataset Search', async () => {
    const full = await getDataset(t.db.db, ANONYMOUS, 'nuoc-thai');
    const so = schemaOrgDataset(full, baseUrl);
    expect(so).toMatchObject({
      '@context': 'https://schema.org/',
      '@type': 'Dataset',
      name: RICH_TITLE.normalize('NFC'),
      url: `${baseUrl}/dataset/nuoc-thai`,
      identifier: full.dataset.id,
      keywords: ['nước thải', 'quan trắc'],
      license: 'https://creativecommons.org/licenses/by/4.0/',
      creator: { '@type': 'GovernmentOrganization', name: 'Sở Tài nguyên và Môi trường' },
      publisher: { name: 'Sở Tài nguyên và Môi trường' },
      temporalCoverage: '2020-01-01/2024-12-31',
      dateModified: full.dataset.metadata_modified.toISOString(),
    });
    expect(so.description).toContain('Kết quả quan trắc');
    expect(so.inLanguage).toEqual(['vi', 'en']);
    expect(so.spatialCoverage).toEqual([
      { '@type': 'AdministrativeArea', '@id': `${baseUrl}/api/v1/admin-units/58`, identifier: '58' },
      { '@type': 'Place', geo: { '@type': 'GeoShape', box: '11.3 108.5 12.2 109.25' } },
    ]);
    expect(so.distribution).toEqual([
      expect.objectContaining({ '@type': 'DataDownload', encodingFormat: 'text/csv', contentUrl: 'https://example.org/data/2024.csv', name: 'Số liệu 2024' }),
      expect.objectContaining({ '@type': 'DataDownload', encodingFormat: 'application/geo+json' }),
      expect.objectContaining({ contentUrl: `${baseUrl}/dataset/${full.dataset.id}/resource/${full.resources[2]!.id}` }),
    ]);
    expect(JSON.parse(JSON.stringify(so))).toEqual(so);
  });
});

describe('RDF writers', () => {
  it('escape every awkward character the same way in Turtle, RDF/XML and JSON-LD', () => {
    const nasty = [
      'Tiếng Việt '.normalize('NFD') + 'Đắk Lắk ',
      '"quotes" \'single\' """triple""" ',
      'back\\slash\\ \n newline \r\n crlf \t tab ',
      '<tag> & amp; ]]> &lt; ',
      '\u0001\u000b\u001f controls, lone \ud800 surrogate, 😀 astral, \u2028 line sep, @id {"json": 1}\\',
    ].join('');
    const g = new Graph({ dct: 'http://purl.org/dc/terms/', xsd: 'http://www.w3.org/2001/XMLSchema#' });
    const s = iri('https://example.org/x y/"đường"<dẫn>{a}|b^c`d\\e');
    g.add(s, iri('http://purl.org/dc/terms/title'), literal(nasty, { lang: 'vi' }));
    g.add(s, iri('http://purl.org/dc/terms/description'), literal(nasty));
    g.add(s, iri('http://purl.org/dc/terms/source'), userIri('https://example.org/a b?q="x"&r=<y>#frag'));
    g.add(s, iri('http://example.org/not-a-qname/a.b.'), literal('x', { datatype: 'http://example.org/type with space' }));
    const b = g.bnode();
    g.add(s, iri('http://purl.org/dc/terms/relation'), b);
    g.add(s, iri('http://purl.org/dc/terms/isPartOf'), b);
    g.add(b, iri('http://purl.org/dc/terms/title'), literal('nút trống'));
    expect(userIri('javascript:alert(1)')).toBeUndefined();
    expect(userIri('/relative')).toBeUndefined();
    expect(() => serialize(g, 'rdf')).toThrow(/element name/);
    g.triples.splice(3, 1);
    const docs = (['ttl', 'rdf', 'jsonld'] as RdfFormat[]).map((f) => ({ format: f, data: serialize(g, f).body }));
    const r = rdflib(
      docs,
      {},
      {
        title: 'SELECT ?t WHERE { ?s dct:title ?t FILTER(isLiteral(?t) && lang(?t) = "vi") }',
        desc: 'SELECT ?t WHERE { ?s dct:description ?t }',
        subject: 'SELECT ?s WHERE { ?s dct:title ?t FILTER(lang(?t) = "vi") }',
        source: 'SELECT ?o WHERE { ?s dct:source ?o }',
        bnode: 'SELECT ?t WHERE { ?s dct:relation ?b ; dct:isPartOf ?b . ?b dct:title ?t }',
      },
    );
    expect(r.diff).toEqual([]);
    expect(r.isomorphic).toBe(true);
    expect(r.sizes).toEqual([6, 6, 6]);
    const expected = cleanText(nasty);
    expect(expected).toContain('Tiếng Việt Đắk Lắk');
    expect(expected).toContain('\r\n');
    expect(expected).not.toMatch(/[\u0001\u000b\u001f\ud800]/);
    expect(values(r.select.title!)).toEqual([expected]);
    expect(values(r.select.desc!)).toEqual([expected]);
    expect(r.select.title![0]![0]).toMatchObject({ lang: 'vi' });
    expect(values(r.select.subject!)).toEqual(['https://example.org/x%20y/%22đường%22%3Cdẫn%3E%7Ba%7D%7Cb%5Ec%60d%5Ce']);
    expect(values(r.select.source!)).toEqual(['https://example.org/a%20b?q=%22x%22&r=%3Cy%3E#frag']);
    expect(values(r.select.bnode!)).toEqual(['nút trống']);
  });
});
