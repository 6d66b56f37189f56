import { cleanText } from '../../../platform/text/index.js';
import type { DatasetInput, ResourceInput } from '../input.js';
import { licenseById } from '../licenses.js';
import type { Outbound } from '../../../platform/net/index.js';
import { fetchJson, FetchError } from './fetch.js';
import type { RemoteDataset, RemotePage } from './remote.js';

const ROWS = 1000;

interface CkanPackage {
  id: string;
  name: string;
  title?: string | null;
  notes?: string | null;
  url?: string | null;
  version?: string | null;
  license_id?: string | null;
  author?: string | null;
  author_email?: string | null;
  maintainer?: string | null;
  maintainer_email?: string | null;
  metadata_modified?: string | null;
  tags?: { name: string }[];
  groups?: { name: string }[];
  extras?: { key: string; value: unknown }[];
  resources?: Omit<ResourceInput, 'id' | 'url_type'>[];
  organization?: { name?: string; title?: string } | null;
  // Tỉnh Số's own fields, when the source is another Tỉnh Số instance
  title_en?: string | null;
  notes_en?: string | null;
  access_level?: string;
  spatial_codes?: string[];
  bbox?: number[] | null;
  temporal_start?: string | null;
  temporal_end?: string | null;
  update_frequency?: string | null;
  contact_name?: string | null;
  contact_email?: string | null;
  harvest_source_id?: string | null;
}

interface CkanEnvelope<T> {
  success: boolean;
  result: T;
  error?: { message?: string };
}

/** CKAN's metadata_modified is UTC without a zone. */
const parseCkanDate = (s: string | null | undefined): Date | null => (s ? new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`) : null);

const opt = (s: string | null | undefined): string | null => (s ? cleanText(s) || null : null);
const isDate = (s: unknown): s is string => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s);

/** Datasets another catalogue itself harvested are left to their origin (no harvest loops). */
function isHarvestedElsewhere(p: CkanPackage): boolean {
  if (p.harvest_source_id) return true;
  return (p.extras ?? []).some((e) => ['harvest_object_id', 'harvest_source_id', 'harvest_url'].includes(e.key));
}

export function mapCkanPackage(p: CkanPackage, base: string, knownGroups: Set<string>): RemoteDataset {
  const resources: ResourceInput[] = (p.resources ?? []).map((r) => ({
    name: opt(r.name),
    description: opt(r.description),
    url: r.url ?? '',
    format: opt(r.format),
    mimetype: r.mimetype ?? null,
    size: typeof r.size === 'number' ? r.size : null,
    hash: r.hash ?? null,
  }));
  const extras = (p.extras ?? []).map((e) => ({ key: String(e.key), value: typeof e.value === 'string' ? e.value : JSON.stringify(e.value) }));
  if (p.organization?.title) extras.push({ key: 'source_organization', value: p.organization.title });
  if (p.license_id && !licenseById(p.license_id)) extras.push({ key: 'source_license_id', value: p.license_id });
  const input: DatasetInput = {
    title: opt(p.title) ?? p.name,
    title_en: opt(p.title_en),
    notes: opt(p.notes),
    notes_en: opt(p.notes_en),
    url: p.url || null,
    version: opt(p.version),
    license_id: p.license_id && licenseById(p.license_id) ? p.license_id : null,
    author: opt(p.author),
    author_email: p.author_email && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(p.author_email) ? p.author_email : null,
    maintainer: opt(p.maintainer),
    maintainer_email: p.maintainer_email && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(p.maintainer_email) ? p.maintainer_email : null,
    tags: [...new Set((p.tags ?? []).map((t) => cleanText(t.name)).filter((t) => t.length >= 1 && t.length <= 100))],
    groups: (p.groups ?? []).filter((g) => knownGroups.has(g.name)).map((g) => ({ name: g.name })),
    extras,
    resources,
    spatial_codes: (p.spatial_codes ?? []).filter((c) => /^\d{2,5}$/.test(c)),
    bbox: Array.isArray(p.bbox) && p.bbox.length === 4 ? p.bbox : null,
    temporal_start: isDate(p.temporal_start) ? p.temporal_start : null,
    temporal_end: isDate(p.temporal_end) ? p.temporal_end : null,
    update_frequency: opt(p.update_frequency),
    contact_name: opt(p.contact_name),
    contact_email: p.contact_email && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(p.contact_email) ? p.contact_email : null,
    access_level: 'public',
  };
  return { originalId: p.id, name: p.name, url: `${base}/dataset/${encodeURIComponent(p.name)}`, modified: parseCkanDate(p.metadata_modified), input };
}

/**
 * Pages through a CKAN catalogue with package_search (public datasets, oldest change first so a
 * cut-off run can resume), optionally only those modified since a date.
 */
export async function* ckanPages(
  net: Outbound,
  sourceUrl: string,
  opts: { fq: string | null; since: Date | null; knownGroups: Set<string> },
): AsyncGenerator<RemotePage> {
  const base = sourceUrl.replace(/\/+$/, '').replace(/\/api(\/3)?(\/action)?$/, '');
  const fq = [opts.fq, opts.since ? `metadata_modified:[${opts.since.toISOString()} TO *]` : null].filter(Boolean).join(' AND ');
  for (let start = 0; ; start += ROWS) {
    const params = new URLSearchParams({ rows: String(ROWS), start: String(start), sort: 'metadata_modified asc', include_private: 'false', facet: 'false' });
    if (fq) params.set('fq', fq);
    const env = await fetchJson<CkanEnvelope<{ count: number; results: CkanPackage[] }>>(net, `${base}/api/3/action/package_search?${params}`);
    if (!env.success) throw new FetchError(`package_search failed: ${env.error?.message ?? 'unknown error'}`);
    const own = env.result.results.filter((p) => !isHarvestedElsewhere(p));
    yield { datasets: own.map((p) => mapCkanPackage(p, base, opts.knownGroups)), skipped: env.result.results.length - own.length, total: env.result.count };
    if (env.result.results.length < ROWS || start + ROWS >= env.result.count) break;
  }
}
