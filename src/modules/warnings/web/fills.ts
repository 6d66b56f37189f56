import { ANONYMOUS } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { html } from '../../../platform/http/index.js';
import { fill, viewOf, type SlotFill } from '../../../platform/web/index.js';
import { formatViDateTime } from '../../../platform/text/index.js';
import { ENVIRONMENT_SECTIONS, STATION_SECTIONS, stationList } from '../../sensors/index.js';
import { listAlerts, type AlertListItem } from '../alerts.js';
import { SEVERITIES } from '../tables.js';
import { SEVERITY_LABEL, WARNINGS_MESSAGES, type WarningsView } from './messages.js';

const LIVE = '/api/v1/warnings/alerts?open=true';

/** The public warnings in force, as a banner list: on the air quality page (every station) and on a station's page (its own). */
export function warningsFills(db: Db): SlotFill[] {
  /** Always there (hidden while empty), so the page script can bring in warnings that open later (`data-warnings-live`). */
  const banner = async (v: WarningsView, alerts: AlertListItem[], live: string) => {
    const names = new Map((await stationList(db, [...new Set(alerts.map((a) => a.thing_id))])).map((s) => [s.id, s.name]));
    const labels = Object.fromEntries(SEVERITIES.map((s) => [s, v.msg(SEVERITY_LABEL[s])]));
    return html`<section
      class="alert alert-warning warnings-now"
      role="status"
      aria-labelledby="wr-now"
      data-warnings-live="${live}"
      data-severity-labels="${JSON.stringify(labels)}"
      ${alerts.length ? '' : html` hidden`}
    >
      <h2 id="wr-now">${v.t('wrOpen')}</h2>
      <ul>
        ${alerts.map(
          (a) =>
            html`<li data-alert="${a.id}">
              <span class="badge severity-${a.severity}">${labels[a.severity]}</span>
              <a href="/warnings/${a.id}">${a.rule_name}</a> — ${names.get(a.thing_id) ?? `#${a.thing_id}`}: ${v.lang === 'en' ? a.detail_en : a.detail}
              <span class="muted">(${formatViDateTime(a.opened_at)})</span>
            </li>`,
        )}
      </ul>
      <p><a href="/warnings">${v.t('wrTitle')}</a> · <a href="/warnings/feed.atom">Atom</a> · <a href="/warnings/feed.rss">RSS</a></p>
    </section>`;
  };
  // Public warnings only: these pages are the same for every visitor.
  const open = (station?: number) => listAlerts(db, ANONYMOUS, { open: true, limit: 20, ...(station ? { station } : {}) });
  return [
    fill(ENVIRONMENT_SECTIONS, 10, async (_shell, req) => banner(viewOf(req, WARNINGS_MESSAGES), await open(), LIVE)),
    fill(STATION_SECTIONS, 10, async (_shell, req, { thingId }) => banner(viewOf(req, WARNINGS_MESSAGES), await open(thingId), `${LIVE}&station=${thingId}`)),
  ];
}
