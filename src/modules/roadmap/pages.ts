import { html, type App } from '../../platform/http/index.js';
import { layout, sendHtml, viewOf } from '../../platform/web/index.js';
import { AREAS } from './areas.js';
import { ROADMAP_MESSAGES } from './messages.js';

/** One honest "coming soon" page per announced area. */
export async function areaPages(app: App): Promise<void> {
  for (const area of AREAS) {
    app.get(area.path, { schema: { hide: true } }, async (req, reply) => {
      const v = viewOf(req, ROADMAP_MESSAGES);
      const body = html`<article class="area">
        <p class="badge">${v.t('comingSoon')}</p>
        <h1>${v.msg(area.title)}</h1>
        <p class="lead">${v.msg(area.summary)}</p>
        <ul class="offers">
          ${area.offers.map((o) => html`<li>${v.msg(o)}</li>`)}
        </ul>
        <p class="note">${v.t('comingNote')} <a href="/api/docs">${v.t('footerApi')}</a></p>
      </article>`;
      return sendHtml(reply, layout(v, { title: v.msg(area.title), description: v.msg(area.summary), body }));
    });
  }
}
