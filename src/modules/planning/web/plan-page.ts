import type { Db } from '../../../platform/db/index.js';
import { html, type App, type Html } from '../../../platform/http/index.js';
import { dataTable, layout, num, sendHtml, viewOf } from '../../../platform/web/index.js';
import { getPlan } from '../plan/service.js';
import { publishedProgress } from '../reports/progress.js';
import { PLANNING_MESSAGES, TASK_STATUS_LABEL, type PlanningView } from './messages.js';
import { TASK_STATUSES } from '../tables.js';

type Plan = Awaited<ReturnType<typeof getPlan>>;

function unitsOf(v: PlanningView, plan: Plan, taskId: string): Html {
  const rows = plan.assignments.filter((a) => a.task_id === taskId);
  const names = (role: 'lead' | 'coordinate', open: boolean) =>
    rows
      .filter((a) => a.role === role && (a.valid_to === null) === open)
      .map((a) => plan.orgs.get(a.org_id))
      .filter((o) => o !== undefined)
      .map((o) => html`<a href="/organization/${o.slug}">${o.name}</a>`);
  const join = (items: Html[]) => items.flatMap((x, i) => (i ? [html`, `, x] : [x]));
  const lead = names('lead', true);
  const coord = names('coordinate', true);
  const former = [...names('lead', false), ...names('coordinate', false)];
  return html`<p class="units">
    ${lead.length ? html`<strong>${v.t('planLeadUnit')}:</strong> ${join(lead)}` : ''}${coord.length ? html`<br /><strong>${v.t('planCoordinate')}:</strong> ${join(coord)}` : ''}${
      former.length ? html`<br /><span class="muted">${v.t('planFormerly')}: ${join(former)}</span>` : ''
    }
  </p>`;
}

/** /plan: the plan as the public sees it (tasks by group with their units, indicators and targets, published progress). */
export async function planPage(app: App, db: Db): Promise<void> {
  app.get('/plan', { schema: { hide: true } }, async (req, reply) => {
    const v = viewOf(req, PLANNING_MESSAGES);
    const plan = await getPlan(db);
    const progress = await publishedProgress(db, plan.plan.id);
    const years = [...new Set(plan.targets.map((t) => t.year))].sort();
    const thisYear = new Date().getFullYear();
    const body = html`<article class="plan">
      <h1>${v.lang === 'en' && plan.plan.title_en ? plan.plan.title_en : plan.plan.title}</h1>
      <p class="lead">${v.t('planLead')}</p>
      <p>${plan.plan.decision_ref ?? ''}</p>
      <p>
        ${v.user ? html`<a class="button" href="/plan/reports">${v.t('planReportsLink')}</a>` : ''}
        <a class="button secondary" href="/plan/proposals/new">${v.t('prNew')}</a> <a href="/plan/experts">${v.t('prExperts')}</a>
      </p>
      <section aria-labelledby="progress-h">
        <h2 id="progress-h">${progress ? v.t('planProgress', { year: progress.year }) : v.t('planProgress', { year: thisYear })}</h2>
        ${
          progress
            ? dataTable({
                columns: [v.t('planGroups'), ...TASK_STATUSES.map((s) => v.msg(TASK_STATUS_LABEL[s]))],
                rows: plan.groups.map(
                  (g) =>
                    html`<tr>
                      <th scope="row">${g.title}</th>
                      ${TASK_STATUSES.map((s) => html`<td>${num(v, progress.byGroup.get(g.id)?.[s] ?? 0)}</td>`)}
                    </tr>`,
                ),
              })
            : html`<p>${v.t('planNoProgress')}</p>`
        }
      </section>
      <section aria-labelledby="groups-h">
        <h2 id="groups-h">${v.t('planGroups')}</h2>
        ${plan.groups.map(
          (g) =>
            html`<section class="plan-group" aria-labelledby="g-${g.code}">
              <h3 id="g-${g.code}">${g.code}. ${v.lang === 'en' && g.title_en ? g.title_en : g.title}</h3>
              <ol class="tasks">
                ${plan.tasks
                  .filter((t) => t.group_id === g.id)
                  .map(
                    (t) =>
                      html`<li id="task-${t.ref}">
                        <p><span class="badge">${t.ref}</span> <q lang="vi">${t.text}</q></p>
                        ${unitsOf(v, plan, t.id)}
                      </li>`,
                  )}
              </ol>
            </section>`,
        )}
      </section>
      <section aria-labelledby="ind-h">
        <h2 id="ind-h">${v.t('planIndicators')}</h2>
        ${dataTable({
          columns: [
            v.t('planIndicator'),
            v.t('planUnit'),
            v.t('planResponsible'),
            ...years.map((y) => v.t('planTarget', { year: y })),
            v.t('planComputed', { year: thisYear }),
          ],
          rows: plan.indicators.map((i) => {
            const resp = i.responsible_org_id ? plan.orgs.get(i.responsible_org_id) : undefined;
            const computed = plan.computed.find((c) => c.indicator_id === i.id && c.year === thisYear);
            return html`<tr>
              <th scope="row">${i.code} · ${v.lang === 'en' && i.name_en ? i.name_en : i.name}</th>
              <td>${v.lang === 'en' && i.unit_en ? i.unit_en : i.unit}</td>
              <td>${resp?.name ?? '—'}</td>
              ${years.map((y) => {
                const t = plan.targets.find((x) => x.indicator_id === i.id && x.year === y);
                return html`<td>${t ? num(v, Number(t.target)) : '—'}</td>`;
              })}
              <td>${computed ? num(v, Number(computed.value)) : '—'}</td>
            </tr>`;
          }),
        })}
      </section>
    </article>`;
    return sendHtml(reply, layout(v, { title: v.t('planTitle'), description: v.t('planLead'), body }));
  });
}
