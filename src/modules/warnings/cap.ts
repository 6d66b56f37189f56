import type { Station } from '../sensors/index.js';
import type { AlertRow, RuleRow } from './tables.js';

/** CAP 1.2 (OASIS Common Alerting Protocol) of one alert; written by hand because it is one flat element tree, escaped here. */
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** CAP's dateTime: seconds, an explicit offset (Vietnam's), no fraction. */
const capTime = (d: Date) => {
  const w = new Date(d.getTime() + 7 * 3_600_000);
  return `${w.toISOString().slice(0, 19)}+07:00`;
};
const SEVERITY: Record<RuleRow['severity'], string> = { minor: 'Minor', moderate: 'Moderate', severe: 'Severe', extreme: 'Extreme' };
const EVENT: Record<RuleRow['kind'], [string, string]> = {
  threshold: ['Ô nhiễm không khí vượt ngưỡng', 'Air pollution above threshold'],
  rate: ['Ô nhiễm không khí tăng nhanh', 'Air pollution rising fast'],
  forecast: ['Dự báo ô nhiễm không khí vượt ngưỡng', 'Air pollution forecast above threshold'],
  fault: ['Sự cố thiết bị quan trắc', 'Monitoring equipment fault'],
};

/** The CAP identifier of an alert's message: its opening, or its all-clear. */
export const capIdentifier = (host: string, alert: AlertRow, resolved: boolean) => `urn:tinhso:${host}:warning:${alert.id}${resolved ? ':all-clear' : ''}`;

export function capXml(baseUrl: string, alert: AlertRow, rule: RuleRow, station: Station | undefined, sender: string): string {
  const base = baseUrl.replace(/\/$/, '');
  const host = new URL(base).host.replace(/[^A-Za-z0-9.-]/g, '-');
  const resolved = alert.state === 'resolved';
  const sent = resolved ? alert.resolved_at! : alert.opened_at;
  const forecast = rule.kind === 'forecast';
  const name = station?.name ?? `#${alert.thing_id}`;
  const coords = station?.geometry.coordinates;
  const area = (lang: 'vi' | 'en') =>
    `<area><areaDesc>${esc(lang === 'vi' ? `Khu vực trạm quan trắc ${name}` : `Area of monitoring station ${name}`)}</areaDesc>${
      coords && coords.length >= 2 ? `<circle>${coords[1]},${coords[0]} 5</circle>` : ''
    }</area>`;
  const info = (lang: 'vi' | 'en') => {
    const [eventVi, eventEn] = EVENT[rule.kind];
    const event = lang === 'vi' ? eventVi : eventEn;
    const detail = lang === 'vi' ? alert.detail : alert.detail_en;
    return `<info><language>${lang === 'vi' ? 'vi-VN' : 'en-US'}</language><category>${rule.kind === 'fault' ? 'Infra' : 'Env'}</category><event>${esc(event)}</event><responseType>${
      resolved ? 'AllClear' : 'Monitor'
    }</responseType><urgency>${resolved ? 'Past' : forecast ? 'Expected' : 'Immediate'}</urgency><severity>${SEVERITY[rule.severity]}</severity><certainty>${
      resolved ? 'Observed' : forecast ? 'Likely' : 'Observed'
    }</certainty><senderName>${esc(sender)}</senderName><headline>${esc(`${resolved ? (lang === 'vi' ? 'Hết cảnh báo: ' : 'All clear: ') : ''}${rule.name} — ${name}`)}</headline><description>${esc(
      detail,
    )}</description><web>${esc(`${base}/warnings/${alert.id}`)}</web>${area(lang)}</info>`;
  };
  const references = resolved ? `<references>${esc(`${host},${capIdentifier(host, alert, false)},${capTime(alert.opened_at)}`)}</references>` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>${esc(capIdentifier(host, alert, resolved))}</identifier><sender>${esc(host)}</sender><sent>${capTime(
    sent,
  )}</sent><status>Actual</status><msgType>${resolved ? 'Update' : 'Alert'}</msgType><scope>Public</scope>${references}${info('vi')}${info('en')}</alert>
`;
}
