import { html, type Html } from '../http/index.js';

export interface ChartPoint {
  label: string;
  value: number;
  /** A bar's own fill (an index band's colour); the stylesheet's otherwise. */
  color?: string;
}

/** A point of a forecast chart: observed (`value`) or forecast (`mean` with its 80 % and 95 % intervals); `flag` marks it (a QC flag). */
export interface BandPoint {
  label: string;
  value?: number;
  mean?: number;
  lo80?: number;
  hi80?: number;
  lo95?: number;
  hi95?: number;
  flag?: string;
}

const W = 760;
const H = 320;
const PAD = { top: 16, right: 16, bottom: 72, left: 72 };

/** 0, 1, 2, 2.5, 5 × 10^k steps: about five gridlines over [0, max]. */
function niceStep(max: number): number {
  const raw = max / 5 || 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * p;
}

/** The plot area for `count` groups over these values: the scales, and the gridlines and labels as SVG around `marks`. */
function frame(values: number[], labels: string[], format: (n: number) => string) {
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const step = niceStep(hi - lo);
  const top = Math.ceil(hi / step) * step || step;
  const bottom = Math.floor(lo / step) * step;
  const iw = W - PAD.left - PAD.right;
  const ih = H - PAD.top - PAD.bottom;
  const y = (v: number) => PAD.top + ih - ((v - bottom) / (top - bottom)) * ih;
  const band = iw / Math.max(1, labels.length);
  const x = (i: number) => PAD.left + band * i + band / 2;
  const ticks: number[] = [];
  for (let t = bottom; t <= top + step / 2; t += step) ticks.push(t);
  const labelEvery = Math.max(1, Math.ceil(labels.length / 24));
  const svg = (title: string, marks: Html) =>
    html`<svg class="chart" viewBox="0 0 ${String(W)} ${String(H)}" role="img" aria-label="${title}" xmlns="http://www.w3.org/2000/svg">
      ${ticks.map(
        (t) =>
          html`<line class="chart-grid" x1="${String(PAD.left)}" x2="${String(W - PAD.right)}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" />
            <text class="chart-tick" x="${String(PAD.left - 6)}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${format(t)}</text>`,
      )}
      ${marks}
      ${labels.map((l, i) =>
        i % labelEvery === 0
          ? html`<text class="chart-label" transform="translate(${x(i).toFixed(1)},${String(H - PAD.bottom + 12)}) rotate(40)" text-anchor="start"
              >${l.length > 18 ? `${l.slice(0, 17)}…` : l}</text
            >`
          : '',
      )}
    </svg>`;
  return { x, y, band, svg };
}

/**
 * A bar or line chart of grouped values as inline SVG, drawn on the server so that it shows
 * without the page script and prints. Hand-written because the charts are this simple (at most
 * a few hundred groups, one series): a client charting library would add a bundle and a
 * JavaScript-only view for what a few rectangles say; the numbers are also in the table below.
 */
export function chartSvg(points: ChartPoint[], o: { kind: 'bar' | 'line'; title: string; format: (n: number) => string }): Html {
  const { x, y, band, svg } = frame(
    points.map((p) => p.value),
    points.map((p) => p.label),
    o.format,
  );
  const marks =
    o.kind === 'bar'
      ? points.map((p, i) => {
          const y0 = y(Math.max(0, p.value));
          const h = Math.abs(y(p.value) - y(0));
          return html`<rect
            class="chart-bar"
            x="${(x(i) - band * 0.4).toFixed(1)}"
            y="${y0.toFixed(1)}"
            width="${(band * 0.8).toFixed(1)}"
            height="${h.toFixed(1)}"
            style="${p.color && /^#[0-9a-f]{6}$/i.test(p.color) ? `fill:${p.color}` : ''}"
            ><title>${p.label}: ${o.format(p.value)}</title></rect
          >`;
        })
      : html`<polyline class="chart-line" fill="none" points="${points.map((p, i) => `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ')}" />
          ${points.map((p, i) => html`<circle class="chart-dot" cx="${x(i).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="3"><title>${p.label}: ${o.format(p.value)}</title></circle>`)}`;
  return svg(o.title, html`${marks}`);
}

/**
 * Observed values as a line, then the forecast's mean as a dashed line inside its 95 % and 80 %
 * intervals as shaded bands; flagged points are marked with their flag. The same frame as `chartSvg`.
 */
export function forecastChartSvg(points: BandPoint[], o: { title: string; format: (n: number) => string }): Html {
  const values = points.flatMap((p) => [p.value, p.mean, p.lo95, p.hi95].filter((v): v is number => typeof v === 'number'));
  const { x, y, svg } = frame(
    values,
    points.map((p) => p.label),
    o.format,
  );
  const idx = points.map((p, i) => ({ p, i }));
  const observed = idx.filter(({ p }) => p.value !== undefined);
  const ahead = idx.filter(({ p }) => p.mean !== undefined);
  const area = (lo: 'lo80' | 'lo95', hi: 'hi80' | 'hi95') =>
    [
      ...ahead.map(({ p, i }) => `${x(i).toFixed(1)},${y(p[hi]!).toFixed(1)}`),
      ...[...ahead].reverse().map(({ p, i }) => `${x(i).toFixed(1)},${y(p[lo]!).toFixed(1)}`),
    ].join(' ');
  const line = (list: typeof idx, key: 'value' | 'mean') => list.map(({ p, i }) => `${x(i).toFixed(1)},${y(p[key]!).toFixed(1)}`).join(' ');
  const marks = html`${
    ahead.length
      ? html`<polygon class="chart-band95" points="${area('lo95', 'hi95')}" />
          <polygon class="chart-band80" points="${area('lo80', 'hi80')}" />
          <polyline class="chart-forecast" fill="none" points="${line(ahead, 'mean')}" />`
      : ''
  }
  ${observed.length ? html`<polyline class="chart-line" fill="none" points="${line(observed, 'value')}" />` : ''}
  ${idx.map(({ p, i }) =>
    p.value !== undefined && p.flag
      ? html`<circle class="chart-flag" cx="${x(i).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="5"
          ><title>${p.label}: ${o.format(p.value)} — ${p.flag}</title></circle
        >`
      : p.mean !== undefined
        ? html`<circle class="chart-dot chart-dot-forecast" cx="${x(i).toFixed(1)}" cy="${y(p.mean).toFixed(1)}" r="2"
            ><title>${p.label}: ${o.format(p.mean)} (${o.format(p.lo95!)}–${o.format(p.hi95!)})</title></circle
          >`
        : '',
  )}`;
  return svg(o.title, marks);
}
