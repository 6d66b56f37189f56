import type { App } from '../../platform/http/index.js';
import type { Db } from '../../platform/db/index.js';
import { html } from '../../platform/http/index.js';
import { listOrganizations } from '../../modules/organizations/index.js';
import { adminUnitCounter } from '../admin-unit-counts.js';
import { AREAS } from '../areas.js';
import type { Assets } from '../assets.js';
import { layout } from '../layout.js';
import { homeCatalog } from './catalog/index.js';
import { sendHtml, viewOf } from '../view.js';

/** `api` is the root app, asked for the public admin-units API via inject. */
export async function homePage(app: App, { db, assets, api }: { db: Db; assets: Assets; api: App }): Promise<void> {
  const unitCounts = adminUnitCounter(api);
  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    const v = viewOf(req, assets);
    const [orgs, units, catalog] = await Promise.all([listOrganizations(db), unitCounts(), homeCatalog(db, v)]);
    const num = (n: number | null) => (n === null ? v.t('unknown') : n.toLocaleString(v.lang === 'vi' ? 'vi-VN' : 'en-GB'));
    const body = html`<section class="hero">
        <h1>${v.t('homeTitle')}</h1>
        <p class="lead">${v.t('homeIntro')}</p>
        ${catalog.search}
      </section>
      ${catalog.themes}
      <section aria-labelledby="stats-h">
        <h2 id="stats-h">${v.t('homeStats')}</h2>
        <ul class="stats">
          ${catalog.stats}
          <li>
            <a href="/organizations"
              ><span class="stat-number" data-stat="organizations">${num(orgs.length)}</span> <span class="stat-label">${v.t('statOrgs')}</span></a
            >
          </li>
          <li>
            <span class="stat-number" data-stat="districts">${num(units?.districts ?? null)}</span> <span class="stat-label">${v.t('statDistricts')}</span>
          </li>
          <li><span class="stat-number" data-stat="communes">${num(units?.communes ?? null)}</span> <span class="stat-label">${v.t('statCommunes')}</span></li>
        </ul>
        <p class="note">${v.t('statUnitsNote')}</p>
      </section>
      ${catalog.lists}
      <section aria-labelledby="areas-h">
        <h2 id="areas-h">${v.t('homeAreas')}</h2>
        <ul class="cards">
          ${AREAS.map(
            (a) =>
              html`<li class="card">
                <h3><a href="${a.path}">${a.title[v.lang]}</a></h3>
                <p>${a.summary[v.lang]}</p>
                ${a.live ? '' : html`<p class="badge">${v.t('comingSoon')}</p>`}
              </li>`,
          )}
          <li class="card">
            <h3><a href="/organizations">${v.t('organizations')}</a></h3>
            <p>${v.t('orgTreeIntro')}</p>
          </li>
        </ul>
      </section>`;
    return sendHtml(reply, layout(v, { title: v.t('siteName'), description: v.t('homeIntro'), body }));
  });
}
