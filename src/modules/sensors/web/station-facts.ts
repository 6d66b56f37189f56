import { html, type Html } from '../../../platform/http/index.js';
import { num, type ShellKey, type View } from '../../../platform/web/index.js';
import type { StationMeta } from '../stations/service.js';
import type { SENSORS_MESSAGES } from './messages.js';

type SensorView = View<keyof typeof SENSORS_MESSAGES | ShellKey>;

/** What the station is: its code, kind, mode, operator, administrative unit and place; an edit link for its unit's editors. */
export function stationFacts(v: SensorView, s: StationMeta, mayEdit: boolean): Html {
  const coord = (x: number | null) => (x === null ? '' : num(v, x, { maximumFractionDigits: 6 }));
  return html`<section aria-labelledby="st-facts" class="station-facts">
    <h2 id="st-facts">${v.t('stnFacts')}</h2>
    <dl class="facts">
      ${
        s.code
          ? html`<dt>${v.t('stnCode')}</dt>
              <dd data-station-code>${s.code}</dd>`
          : ''
      }
      <dt>${v.t('stnKind')}</dt>
      <dd data-station-kind="${s.kind}">${s.kind === 'water' ? v.t('stnKindWater') : v.t('stnKindAir')}</dd>
      ${
        s.mode
          ? html`<dt>${v.t('stnMode')}</dt>
              <dd>${s.mode === 'periodic' ? v.t('stnModePeriodic') : v.t('stnModeAutomatic')}</dd>`
          : ''
      }
      ${
        s.operator
          ? html`<dt>${v.t('stnOperator')}</dt>
              <dd>${s.operator}</dd>`
          : ''
      }
      ${
        s.adminUnit
          ? html`<dt>${v.t('stnAdminUnit')}</dt>
              <dd data-admin-unit="${s.adminUnit.code}">${s.adminUnit.name} (${s.adminUnit.code})</dd>`
          : ''
      }
      ${
        s.longitude !== null
          ? html`<dt>${v.t('stnLongitude')}, ${v.t('stnLatitude')}</dt>
              <dd>${coord(s.longitude)}; ${coord(s.latitude)}</dd>`
          : ''
      }
    </dl>
    ${mayEdit ? html`<p><a class="button" href="/environment/stations/${String(s.id)}/edit">${v.t('stnEdit')}</a></p>` : ''}
  </section>`;
}
