import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { AppError, badRequest, type App } from '../../../platform/http/index.js';
import type { ModuleContext } from '../../../platform/module.js';
import { findOrganization } from '../../organizations/index.js';
import { readableWhere, viewerOf, type Viewer } from '../access.js';
import { loadFullByIds } from '../full.js';
import { searchDatasets, searchParams } from '../search/index.js';
import { getDataset } from '../service.js';
import type { CatalogTables } from '../tables.js';
import { catalogGraph, datasetGraph, PAGE_SIZE, type CatalogPage } from './build.js';
import { CONTENT_TYPES, negotiateRdf, serialize, type RdfFormat } from './serialize.js';

export type { RdfFormat } from './serialize.js';
export { negotiateRdf, preferredRdf } from './serialize.js';
export { frequencyCode } from './vocab.js';
export { jsonLdScriptText, schemaOrgDataset } from './schema-org.js';

const FORMATS: RdfFormat[] = ['ttl', 'rdf', 'jsonld'];

/** The catalog's publisher (seeded by the organizations module); constants if it is missing. */
const PROVINCE = {
  slug: 'ubnd-tinh-ninh-thuan',
  name: 'Ủy ban nhân dân tỉnh Ninh Thuận',
  name_en: "Ninh Thuan Provincial People's Committee",
  kind: 'people_committee',
};

/** One dataset as DCAT-AP 3 in the given serialisation, with the access rule applied (404 absent, 403 not readable). */
export async function datasetRdf(db: Db, p: Principal, idOrName: string, format: RdfFormat, baseUrl: string): Promise<{ contentType: string; body: string }> {
  const full = await getDataset(db, p, idOrName);
  return serialize(datasetGraph(full, baseUrl), format);
}

const notAcceptable = () =>
  new AppError(
    406,
    'not_acceptable',
    {
      vi: 'Không có định dạng phù hợp; hãy yêu cầu text/turtle, application/rdf+xml hoặc application/ld+json.',
      en: 'Not acceptable; ask for text/turtle, application/rdf+xml or application/ld+json.',
    },
    undefined,
    {},
    { available: FORMATS.map((f) => CONTENT_TYPES[f].split(';')[0]) },
  );

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** `modified_since`: an ISO 8601 date or date-time; without an offset it is read as UTC. */
export function parseModifiedSince(raw: string): Date {
  // A literal "+" in a query string arrives as a space.
  const s = raw.trim().replace(/ (\d{2}:?\d{2})$/, '+$1');
  const m = ISO_RE.exec(s);
  const bad = () =>
    badRequest(
      'invalid_modified_since',
      {
        vi: 'modified_since phải là ngày hoặc thời điểm ISO 8601, ví dụ 2024-05-01 hoặc 2024-05-01T08:00:00+07:00.',
        en: 'modified_since must be an ISO 8601 date or date-time, e.g. 2024-05-01 or 2024-05-01T08:00:00+07:00.',
      },
      'modified_since',
    );
  if (!m) throw bad();
  const [, y, mo, d, h = '00', mi = '00', sec = '00', zone] = m;
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (day.getUTCFullYear() !== Number(y) || day.getUTCMonth() !== Number(mo) - 1 || day.getUTCDate() !== Number(d)) throw bad();
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) throw bad();
  const withZone = m[4] === undefined ? `${s}T00:00:00Z` : zone ? s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2') : `${s}Z`;
  const at = new Date(withZone);
  if (Number.isNaN(at.getTime())) throw bad();
  return at;
}

function parsePage(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 1;
  const n = /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1) throw badRequest('invalid_page', { vi: 'page phải là số nguyên dương.', en: 'page must be a positive integer.' }, 'page');
  return n;
}

interface CatalogQuery {
  page: number;
  modifiedSince: Date | undefined;
  q: string;
  fq: string[];
  /** The query as given (for hydra page links). */
  raw: [string, string][];
}

function parseCatalogQuery(query: unknown): CatalogQuery {
  const qs = (query ?? {}) as Record<string, string | string[] | undefined>;
  const one = (k: string): string | undefined => {
    const v = qs[k];
    return Array.isArray(v) ? v[v.length - 1] : v;
  };
  const many = (k: string): string[] => {
    const v = qs[k];
    return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((x) => x.trim()).filter(Boolean);
  };
  const since = one('modified_since');
  const q = (one('q') ?? '').trim();
  const fq = many('fq');
  const raw: [string, string][] = [];
  if (q) raw.push(['q', q]);
  for (const f of fq) raw.push(['fq', f]);
  if (since) raw.push(['modified_since', since]);
  return { page: parsePage(one('page')), modifiedSince: since ? parseModifiedSince(since) : undefined, q: q === '*:*' ? '' : q, fq, raw };
}

async function catalogDatasets(db: Db, viewer: Viewer, signedIn: boolean, cq: CatalogQuery): Promise<Pick<CatalogPage, 'datasets' | 'total' | 'modified'>> {
  if (cq.q || cq.fq.length) {
    // Free text and filters go through the search engine (same access rule: includePrivate only for signed-in callers).
    const fq = [...cq.fq, ...(cq.modifiedSince ? [`metadata_modified:[${cq.modifiedSince.toISOString()} TO *]`] : [])];
    const res = await searchDatasets(
      db,
      viewer,
      searchParams({
        q: cq.q,
        fq,
        rows: PAGE_SIZE,
        start: (cq.page - 1) * PAGE_SIZE,
        sort: 'metadata_modified desc',
        facetLimit: -1,
        includePrivate: signedIn,
      }),
    );
    const datasets = await loadFullByIds(db, res.ids);
    const latest = datasets.map((d) => d.dataset.metadata_modified.getTime());
    return { datasets, total: res.count, modified: latest.length ? new Date(Math.max(...latest)) : undefined };
  }
  let base = db
    .withTables<CatalogTables>()
    .selectFrom('dataset as d')
    .where(readableWhere(viewer, { includeNonPublic: signedIn, includeDrafts: false }));
  if (cq.modifiedSince) base = base.where('d.metadata_modified', '>=', cq.modifiedSince);
  const [stats, rows] = await Promise.all([
    base.select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('d.metadata_modified').as('m')]).executeTakeFirstOrThrow(),
    base
      .select('d.id')
      .orderBy('d.metadata_modified', 'desc')
      .orderBy('d.id')
      .limit(PAGE_SIZE)
      .offset((cq.page - 1) * PAGE_SIZE)
      .execute(),
  ]);
  return {
    datasets: await loadFullByIds(
      db,
      rows.map((r) => r.id),
    ),
    total: Number(stats.n),
    modified: stats.m ? new Date(stats.m as Date) : undefined,
  };
}

/** The paged catalog the caller may read: anonymous → public datasets; signed in → everything they may read. */
export async function catalogRdf(
  db: Db,
  p: Principal,
  query: unknown,
  format: RdfFormat,
  baseUrl: string,
  path: string,
): Promise<{ contentType: string; body: string }> {
  const cq = parseCatalogQuery(query);
  const viewer = await viewerOf(db, p);
  const [found, org] = await Promise.all([catalogDatasets(db, viewer, !!p.user, cq), findOrganization(db, PROVINCE.slug)]);
  const pageUrl = (page: number) => `${baseUrl}${path}?${new URLSearchParams([...cq.raw, ['page', String(page)]]).toString()}`;
  const graph = catalogGraph(
    { ...found, page: cq.page, pageUrl, publisher: org ? { slug: org.slug, name: org.name, name_en: org.name_en, kind: org.kind } : PROVINCE },
    baseUrl,
  );
  return serialize(graph, format);
}

function send(req: FastifyRequest, reply: FastifyReply, out: { contentType: string; body: string }, negotiated: boolean) {
  if (negotiated) void reply.header('vary', 'Accept');
  // What a signed-in caller reads may be non-public: keep it out of shared caches.
  if (req.principal.user) void reply.header('cache-control', 'private, no-store');
  return reply.type(out.contentType).send(out.body);
}

/**
 * DCAT-AP 3 endpoints in the style of ckanext-dcat (what harvesters expect): the paged catalog at
 * /catalog.{ttl,rdf,jsonld} and /catalog (content negotiation), and /dataset/{id}.{ttl,rdf,jsonld}.
 * /dataset/{name} itself is the portal's HTML page, which calls `datasetRdf` when Accept asks for RDF.
 */
export async function dcatRoutes(app: App, ctx: ModuleContext): Promise<void> {
  const { db } = ctx;
  const baseUrl = ctx.config.baseUrl;
  for (const format of FORMATS) {
    app.get(`/catalog.${format}`, { schema: { hide: true } }, async (req, reply) =>
      send(req, reply, await catalogRdf(db, req.principal, req.query, format, baseUrl, `/catalog.${format}`), false),
    );
    app.get(`/dataset/:id.${format}`, { schema: { hide: true } }, async (req, reply) =>
      send(req, reply, await datasetRdf(db, req.principal, (req.params as { id: string }).id, format, baseUrl), false),
    );
  }
  app.get('/catalog', { schema: { hide: true } }, async (req, reply) => {
    const format = negotiateRdf(req.headers.accept);
    if (!format) throw notAcceptable();
    return send(req, reply, await catalogRdf(db, req.principal, req.query, format, baseUrl, '/catalog'), true);
  });
}
