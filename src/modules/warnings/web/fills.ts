import { ANONYMOUS } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { html } from '../../../platform/http/index.js';
import { fill, viewOf, type SlotFill } from '../../../platform/web/index.js';
import { formatViDateTime } from '../../../platform/text/index.js';
import { ENVIRONMENT_SECTIONS, STATION_SECTIONS, stationList } from '../../sensors/index.js';
import { listAlerts, type AlertListItem } from '../alerts.js';
import type { Severity } from '../tables.js';
import { SEVERITY_LABEL, WARNINGS_MESSAGES, type WarningsView } from './messages.js';

/** The public warnings in force, as a banner list: on the air quality page (every station) and on a station's page (its own). */
export function warningsFills(db: Db): SlotFill[] {
  const banner = async (v: WarningsView, alerts: AlertListItem[]) => {
    if (!alerts.length) return html``;
    const names = new Map((await stationList(db, [...new Set(alerts.map((a) => a.thing_id))])).map((s) => [s.id, s.name]));
    return html`<section class="alert alert-warning warnings-now" role="status" aria-labelledby="wr-now">
      <h2 id="wr-now">${v.t('wrOpen')}</h2>
      <ul>
        ${alerts.map(
          (a) =>
            html`<li data-alert="${a.id}">
              <span class="badge severity-${a.severity}">${v.msg(SEVERITY_LABEL[a.severity as Severity])}</span>
              <a href="/warnings/${a.id}">${a.rule_name}</a> — ${names.get(a.thing_id) ?? `#${a.thing_id}`}: ${v.lang === 'en' ? a.detail_en : a.detail}
              <span class="muted">(${formatViDateTime(a.opened_at)})</span>
            </li>`,
        )}
      </ul>
      <p><a href="/warnings">${v.t('wrTitle')}</a> · <a href="/warnings/feed.atom">Atom</a> · <a href="/warnings/feed.rss">RSS</a></p>
    </section>`;
  };
  // Public warnings only: these pages are the same for every visitor.
  const open = () => listAlerts(db, ANONYMOUS, { open: true, limit: 20 });
  return [
    fill(ENVIRONMENT_SECTIONS, 10, async (_shell, req) => banner(viewOf(req, WARNINGS_MESSAGES), await open())),
    fill(STATION_SECTIONS, 10, async (_shell, req, { thingId }) =>
      banner(
        viewOf(req, WARNINGS_MESSAGES),
        (await open()).filter((a) => a.thing_id === thingId),
      ),
    ),
  ];
}
