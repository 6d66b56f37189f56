import type { FastifyRequest } from 'fastify';
import { html, type App, type Html } from '../http/index.js';
import { layout, navEntries } from './layout.js';
import type { Stat } from './shell-parts.js';
import { num, sendHtml, viewOf, type View } from './view.js';

/** Where the shell puts the figures among the modules' sections (sections order below it come first). */
const STATS_ORDER = 50;

async function statsBlock(v: View, req: FastifyRequest): Promise<Html> {
  const widgets = v.shell.homeWidgets.flatMap((w) => (w.kind === 'stats' ? [w] : [])).sort((a, b) => a.order - b.order);
  const stats: Stat[] = (await Promise.all(widgets.map((w) => w.stats(v, req)))).flat();
  if (stats.length === 0) return html``;
  const notes = [...new Set(stats.flatMap((s) => (s.note ? [v.msg(s.note)] : [])))];
  const item = (s: Stat) => {
    const inner = html`<span class="stat-number" data-stat="${s.id}">${s.value === null ? v.t('unknown') : num(v, s.value)}</span>
      <span class="stat-label">${v.msg(s.label)}</span>`;
    return html`<li>${s.href ? html`<a href="${s.href}">${inner}</a>` : inner}</li>`;
  };
  return html`<section aria-labelledby="stats-h">
    <h2 id="stats-h">${v.t('homeStats')}</h2>
    <ul class="stats">
      ${stats.map(item)}
    </ul>
    ${notes.map((n) => html`<p class="note">${n}</p>`)}
  </section>`;
}

/** One card per area of the main navigation that describes itself. */
function areaCards(v: View): Html {
  const areas = navEntries(v, 'main').filter((e) => e.summary);
  if (areas.length === 0) return html``;
  return html`<section aria-labelledby="areas-h">
    <h2 id="areas-h">${v.t('homeAreas')}</h2>
    <ul class="cards">
      ${areas.map(
        (a) =>
          html`<li class="card">
            <h3><a href="${a.path}">${v.msg(a.title)}</a></h3>
            <p>${a.summary ? v.msg(a.summary) : ''}</p>
            ${a.comingSoon ? html`<p class="badge">${v.t('comingSoon')}</p>` : ''}
          </li>`,
      )}
    </ul>
  </section>`;
}

/** The home page: a hero, then the modules' sections and figures, then a card per area. */
export async function homePage(app: App): Promise<void> {
  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    const v = viewOf(req);
    const widgets = [...v.shell.homeWidgets].sort((a, b) => a.order - b.order);
    const hero = await Promise.all(widgets.flatMap((w) => (w.kind === 'hero' ? [w.render(v, req)] : [])));
    const sections = widgets.flatMap((w) => (w.kind === 'section' ? [w] : []));
    const [before, stats, after] = await Promise.all([
      Promise.all(sections.filter((s) => s.order < STATS_ORDER).map((s) => s.render(v, req))),
      statsBlock(v, req),
      Promise.all(sections.filter((s) => s.order >= STATS_ORDER).map((s) => s.render(v, req))),
    ]);
    const body = html`<section class="hero">
        <h1>${v.t('homeTitle')}</h1>
        <p class="lead">${v.t('homeIntro')}</p>
        ${hero}
      </section>
      ${before} ${stats} ${after} ${areaCards(v)}`;
    return sendHtml(reply, layout(v, { title: v.t('siteName'), description: v.t('homeIntro'), body }));
  });
}
