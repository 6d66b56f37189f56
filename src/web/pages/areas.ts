import { html, type App } from '../../platform/http/index.js';
import { AREAS } from '../areas.js';
import type { Assets } from '../assets.js';
import { layout } from '../layout.js';
import { sendHtml, viewOf } from '../view.js';

/** One honest "coming soon" page per area of the main navigation. */
export async function areaPages(app: App, { assets }: { assets: Assets }): Promise<void> {
  for (const area of AREAS.filter((a) => !a.live)) {
    app.get(area.path, { schema: { hide: true } }, async (req, reply) => {
      const v = viewOf(req, assets);
      const body = html`<article class="area">
        <p class="badge">${v.t('comingSoon')}</p>
        <h1>${area.title[v.lang]}</h1>
        <p class="lead">${area.summary[v.lang]}</p>
        <ul class="offers">
          ${area.offers.map((o) => html`<li>${o[v.lang]}</li>`)}
        </ul>
        <p class="note">${v.t('comingNote')} <a href="/api/docs">${v.t('footerApi')}</a></p>
      </article>`;
      return sendHtml(reply, layout(v, { title: area.title[v.lang], description: area.summary[v.lang], body }));
    });
  }
}
