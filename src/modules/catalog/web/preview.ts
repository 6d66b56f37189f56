import { parseNumber } from '../../../platform/text/index.js';
import { type ResourceRow } from '../tables.js';
import { html, raw, type Html } from '../../../platform/http/index.js';
import { PREVIEW_LIMITS, readCsvHead, readHead, readXlsxHead, TabularLimitError } from '../../../platform/tabular/index.js';
import type { FileStore } from '../../../platform/storage/index.js';
import { num } from '../../../platform/web/index.js';
import { type CView } from './messages.js';

export const PREVIEW_ROWS = 50;
const CHART_ROWS = 1000;
const CSV_HEAD_BYTES = 512 * 1024;
/** Spreadsheets larger than this on disk are not previewed (their first sheet is read from memory). */
export const XLSX_PREVIEW_MAX_BYTES = 20 * 1024 * 1024;
const GEOJSON_MAX_BYTES = 8 * 1024 * 1024;
const MAX_COORDS = 100_000;

/** UTF-8 with or without BOM; anything else is refused with null (GeoJSON is UTF-8 by RFC 7946). */
export function decodeUtf8(buf: Buffer, truncated: boolean): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buf, { stream: truncated });
  } catch {
    return null;
  }
}

// --- Series detection ----------------------------------------------------------------------

/** A date-like cell as a sortable time: yyyy, yyyy-mm, yyyy-mm-dd, dd/mm/yyyy, mm/yyyy. */
export function parseWhen(s: string): number | null {
  const t = s.trim();
  let m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?$/.exec(t);
  if (m) return Date.UTC(Number(m[1]), Number(m[2] ?? 1) - 1, Number(m[3] ?? 1));
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  if (m) return Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1]));
  m = /^(\d{1,2})\/(\d{4})$/.exec(t);
  if (m) return Date.UTC(Number(m[2]), Number(m[1]) - 1, 1);
  return null;
}

interface Series {
  x: string;
  y: string;
  points: { t: number; label: string; value: number }[];
}

const mostly = (cells: string[], ok: (s: string) => boolean): boolean => {
  const filled = cells.filter((c) => c.trim() !== '');
  return filled.length >= 2 && filled.filter(ok).length / filled.length >= 0.9;
};

/** The first date column and the first other numeric column, if the table has both. */
export function findSeries(rows: string[][]): Series | null {
  const [header, ...body] = rows;
  if (!header || body.length < 2) return null;
  const col = (i: number) => body.map((r) => r[i] ?? '');
  const isYear = (s: string) => /^\d{4}$/.test(s.trim());
  const dateCol = header.findIndex(
    (_, i) =>
      mostly(col(i), (s) => parseWhen(s) !== null) && !(mostly(col(i), isYear) && !/năm|year|date|ngày|thời gian|time|month|tháng/i.test(header[i] ?? '')),
  );
  if (dateCol < 0) return null;
  const valueCol = header.findIndex((_, i) => i !== dateCol && mostly(col(i), (s) => parseNumber(s) !== null));
  if (valueCol < 0) return null;
  const points = body
    .map((r) => ({ t: parseWhen(r[dateCol] ?? ''), label: (r[dateCol] ?? '').trim(), value: parseNumber(r[valueCol] ?? '') }))
    .filter((p): p is { t: number; label: string; value: number } => p.t !== null && p.value !== null && Number.isFinite(p.value))
    .sort((a, b) => a.t - b.t);
  if (points.length < 2) return null;
  return { x: header[dateCol] ?? '', y: header[valueCol] ?? '', points };
}

const fmt = (v: CView, n: number) => num(v, n, { maximumFractionDigits: 2 });

/** A line chart as inline SVG, with a title and a text description for screen readers. */
export function chartSvg(v: CView, s: Series, id: string): Html {
  const W = 640;
  const H = 260;
  const L = 70;
  const R = 16;
  const T = 16;
  const B = 40;
  const ts = s.points.map((p) => p.t);
  const vs = s.points.map((p) => p.value);
  const [t0, t1] = [Math.min(...ts), Math.max(...ts)];
  const [v0raw, v1raw] = [Math.min(...vs), Math.max(...vs)];
  const v0 = Math.min(0, v0raw);
  const v1 = v1raw === v0 ? v0 + 1 : v1raw;
  const x = (t: number) => L + (t1 === t0 ? 0.5 : (t - t0) / (t1 - t0)) * (W - L - R);
  const y = (val: number) => T + (1 - (val - v0) / (v1 - v0)) * (H - T - B);
  const d = s.points.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const first = s.points[0]!;
  const last = s.points[s.points.length - 1]!;
  const title = v.t('previewChart', { x: s.x, y: s.y });
  const desc = v.t('previewChartDesc', { n: s.points.length, from: first.label, to: last.label, min: fmt(v, v0raw), max: fmt(v, v1raw) });
  const ticks = [v0, (v0 + v1) / 2, v1];
  return html`<figure class="chart">
    <svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}-title ${id}-desc" class="chart-svg" xmlns="http://www.w3.org/2000/svg">
      <title id="${id}-title">${title}</title>
      <desc id="${id}-desc">${desc}</desc>
      ${ticks.map(
        (tk) =>
          html`<line x1="${L}" x2="${W - R}" y1="${y(tk).toFixed(1)}" y2="${y(tk).toFixed(1)}" class="chart-grid" /><text
              x="${L - 6}"
              y="${(y(tk) + 4).toFixed(1)}"
              text-anchor="end"
              class="chart-label"
              >${fmt(v, tk)}</text
            >`,
      )}
      <text x="${L}" y="${H - 12}" class="chart-label">${first.label}</text>
      <text x="${W - R}" y="${H - 12}" text-anchor="end" class="chart-label">${last.label}</text>
      <path d="${d}" class="chart-line" fill="none" />
      ${s.points.length <= 120 ? s.points.map((p) => html`<circle cx="${x(p.t).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="3" class="chart-dot" />`) : ''}
    </svg>
    <figcaption>${title}. ${desc}</figcaption>
  </figure>`;
}

// --- GeoJSON -------------------------------------------------------------------------------

type Pos = number[];
interface Geometry {
  type: string;
  coordinates?: unknown;
  geometries?: Geometry[];
}

function geometriesOf(g: unknown): Geometry[] {
  if (!g || typeof g !== 'object') return [];
  const o = g as { type?: string; features?: unknown[]; geometry?: unknown; geometries?: Geometry[] };
  if (o.type === 'FeatureCollection' && Array.isArray(o.features)) return o.features.flatMap(geometriesOf);
  if (o.type === 'Feature') return geometriesOf(o.geometry);
  if (o.type === 'GeometryCollection' && Array.isArray(o.geometries)) return o.geometries.flatMap(geometriesOf);
  return typeof o.type === 'string' ? [o as Geometry] : [];
}

const isPos = (p: unknown): p is Pos => Array.isArray(p) && p.length >= 2 && typeof p[0] === 'number' && typeof p[1] === 'number';

/** The GeoJSON's geometries drawn as an inline SVG map (equirectangular, north up). */
export function geojsonSvg(v: CView, text: string, name: string, id: string): Html | null {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  const featureCount = (doc as { features?: unknown[] }).features?.length ?? 1;
  const geoms = geometriesOf(doc);
  const lines: { kind: 'point' | 'line' | 'area'; rings: Pos[][] }[] = [];
  let coords = 0;
  const take = (ring: unknown): Pos[] => {
    if (!Array.isArray(ring)) return [];
    const out = ring.filter(isPos);
    coords += out.length;
    return out;
  };
  for (const g of geoms) {
    if (coords > MAX_COORDS) break;
    const c = g.coordinates as unknown[];
    switch (g.type) {
      case 'Point':
        if (isPos(c)) lines.push({ kind: 'point', rings: [[c]] });
        break;
      case 'MultiPoint':
        lines.push({ kind: 'point', rings: [take(c)] });
        break;
      case 'LineString':
        lines.push({ kind: 'line', rings: [take(c)] });
        break;
      case 'MultiLineString':
      case 'Polygon':
        lines.push({ kind: g.type === 'Polygon' ? 'area' : 'line', rings: (c ?? []).map(take) });
        break;
      case 'MultiPolygon':
        for (const poly of (c ?? []) as unknown[][]) lines.push({ kind: 'area', rings: (poly ?? []).map(take) });
        break;
    }
  }
  const all = lines.flatMap((l) => l.rings.flat());
  if (all.length === 0) return null;
  const lons = all.map((p) => p[0]!);
  const lats = all.map((p) => p[1]!);
  const [w, e, s, n] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const k = Math.cos((((s + n) / 2) * Math.PI) / 180);
  const W = 640;
  const spanX = Math.max((e - w) * k, 1e-6);
  const spanY = Math.max(n - s, 1e-6);
  const H = Math.round(Math.min(480, Math.max(160, (W * spanY) / spanX)));
  const pad = 12;
  const scale = Math.min((W - 2 * pad) / spanX, (H - 2 * pad) / spanY);
  const ox = (W - spanX * scale) / 2;
  const oy = (H - spanY * scale) / 2;
  const px = (p: Pos) => `${(ox + (p[0]! - w) * k * scale).toFixed(1)},${(oy + (n - p[1]!) * scale).toFixed(1)}`;
  const shapes = lines.map((l) => {
    if (l.kind === 'point') return l.rings[0]!.map((p) => `<circle cx="${px(p).split(',')[0]}" cy="${px(p).split(',')[1]}" r="4" class="map-point"/>`).join('');
    const d = l.rings.map((r) => (r.length ? `M${r.map(px).join('L')}${l.kind === 'area' ? 'Z' : ''}` : '')).join(' ');
    return `<path d="${d}" class="${l.kind === 'area' ? 'map-area' : 'map-line'}" fill-rule="evenodd"/>`;
  });
  const bbox = [w, s, e, n].map((x) => x.toFixed(4)).join(', ');
  const title = v.t('previewMap', { name });
  const desc = v.t('previewMapDesc', { n: featureCount, bbox });
  return html`<figure class="map-preview">
    <svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}-title ${id}-desc" class="map-svg" xmlns="http://www.w3.org/2000/svg">
      <title id="${id}-title">${title}</title>
      <desc id="${id}-desc">${desc}</desc>
      ${raw(shapes.join(''))}
    </svg>
    <figcaption>${desc}</figcaption>
  </figure>`;
}

// --- Resource preview ----------------------------------------------------------------------

export type PreviewKind = 'csv' | 'xlsx' | 'geojson' | null;

export function previewKind(r: ResourceRow): PreviewKind {
  const f = (r.format ?? '').toUpperCase();
  const name = (r.name ?? r.url ?? '').toLowerCase();
  if (f === 'CSV' || f === 'TSV' || name.endsWith('.csv')) return 'csv';
  if (f === 'XLSX' || f === 'XLS' || name.endsWith('.xlsx')) return 'xlsx';
  if (f === 'GEOJSON' || name.endsWith('.geojson')) return 'geojson';
  if (f === 'JSON' && /geo/.test(name)) return 'geojson';
  return null;
}

function tableHtml(v: CView, rows: string[][], caption: string): Html {
  const [header = [], ...body] = rows;
  const width = Math.max(header.length, ...body.map((r) => r.length));
  const cells = (r: string[]) => Array.from({ length: width }, (_, i) => r[i] ?? '');
  return html`<div class="table-wrap preview-table" tabindex="0" role="region" aria-label="${caption}">
    <table>
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          ${cells(header).map((h) => html`<th scope="col">${h}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${body.map(
          (r) =>
            html`<tr>
              ${cells(r).map((c) => html`<td>${c}</td>`)}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

const unavailable = (v: CView) => html`<p class="note">${v.t('previewUnavailable')}</p>`;

/**
 * The preview block of one uploaded resource (table, chart, map or a note why there is none).
 * Reading is bounded (platform/tabular) and stops when `signal` aborts (the reader left).
 */
export async function resourcePreview(v: CView, files: FileStore, r: ResourceRow, signal?: AbortSignal): Promise<Html> {
  const kind = previewKind(r);
  if (!kind || !r.storage_key || r.url_type !== 'upload') return html``;
  if (!(await files.exists(r.storage_key))) return unavailable(v);
  const name = r.name ?? r.url ?? '';
  const id = `pv-${r.id.slice(0, 8)}`;
  const table = (rows: string[][], shown: string[][]) => {
    const series = findSeries(rows);
    return html`${series ? chartSvg(v, series, id) : ''}${tableHtml(v, shown, v.t('previewRows', { n: shown.length - 1, name }))}`;
  };
  if (kind === 'xlsx') {
    if ((r.size ?? 0) > XLSX_PREVIEW_MAX_BYTES) return unavailable(v);
    const { buf, truncated } = await readHead(files.open(r.storage_key), XLSX_PREVIEW_MAX_BYTES + 1);
    if (truncated) return unavailable(v);
    // A damaged workbook, or one past a limit, gets the note instead of a table.
    const rows = await readXlsxHead(buf, { ...PREVIEW_LIMITS, maxRows: PREVIEW_ROWS + 1, signal }).catch(() => []);
    return rows.length === 0 ? unavailable(v) : table(rows, rows);
  }
  if (kind === 'geojson') {
    const { buf, truncated } = await readHead(files.open(r.storage_key), GEOJSON_MAX_BYTES);
    const text = truncated ? null : decodeUtf8(buf, false);
    const svg = text === null ? null : geojsonSvg(v, text.replace(/^\uFEFF/, ''), name, id);
    return svg ?? unavailable(v);
  }
  const head = await readCsvHead(files.open(r.storage_key), { ...PREVIEW_LIMITS, maxRows: CHART_ROWS + 1, maxBytes: CSV_HEAD_BYTES, signal }).catch(
    (e: unknown) => {
      if (e instanceof TabularLimitError) return null;
      throw e;
    },
  );
  if (!head || head.rows.length === 0) return unavailable(v);
  const note = head.encoding === 'windows-1258' ? html`<p class="note">${v.t('previewEncoding')}</p>` : html``;
  return html`${note}${table(head.rows, head.rows.slice(0, PREVIEW_ROWS + 1))}`;
}
