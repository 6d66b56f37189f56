import type { Db } from '../../platform/db/index.js';
import { formatViDateTime } from '../../platform/text/index.js';
import { forecastPeaks, stationList, stationRecent, streamFaults } from '../sensors/index.js';
import type { RuleRow } from './tables.js';

/** What a rule sees at a station now: a value (null when the station's data cannot tell) and its words. */
export interface Measure {
  value: number | null;
  vi: string;
  en: string;
}

const HOUR = 3_600_000;
const LABEL: Record<string, string> = { aqi: 'VN_AQI', pm25: 'PM2.5', pm10: 'PM10', o3: 'O₃', no2: 'NO₂', so2: 'SO₂', co: 'CO' };
const fmt = (v: number) => (Math.round(v * 10) / 10).toLocaleString('vi-VN');
const when = (at: number) => formatViDateTime(new Date(at));
const unknown: Measure = { value: null, vi: '', en: '' };

/** The stations a rule covers: its own, or every monitoring station. */
export async function stationsOf(db: Db, rule: RuleRow): Promise<number[]> {
  if (rule.thing_id !== null) return [rule.thing_id];
  return (await stationList(db)).map((s) => s.id);
}

/** The value a rule compares with its threshold at one station, from the sensors module's data. */
export async function measure(db: Db, rule: RuleRow, thingId: number, now = Date.now()): Promise<Measure> {
  const label = LABEL[rule.parameter]!;
  const pick = (h: { aqi: number | null; values: Record<string, number | undefined> }) =>
    rule.parameter === 'aqi' ? h.aqi : (h.values[rule.parameter] ?? null);
  if (rule.kind === 'threshold' || rule.kind === 'rate') {
    const { hours, stale } = await stationRecent(db, thingId, rule.kind === 'rate' ? rule.window_hours : 1, now);
    const last = hours[hours.length - 1];
    const v = last ? pick(last) : null;
    if (stale || !last || v === null) return unknown;
    if (rule.kind === 'threshold')
      return {
        value: v,
        vi: `${label} ${fmt(v)} lúc ${when(last.at)} (ngưỡng ${fmt(rule.threshold)})`,
        en: `${label} ${fmt(v)} at ${when(last.at)} (threshold ${fmt(rule.threshold)})`,
      };
    const first = hours.find((h) => h.at >= last.at - rule.window_hours * HOUR && pick(h) !== null);
    if (!first || first === last) return unknown;
    const rise = v - pick(first)!;
    return {
      value: rise,
      vi: `${label} tăng ${fmt(rise)} trong ${rule.window_hours} giờ, lên ${fmt(v)} lúc ${when(last.at)} (ngưỡng ${fmt(rule.threshold)})`,
      en: `${label} rose ${fmt(rise)} in ${rule.window_hours} h, to ${fmt(v)} at ${when(last.at)} (threshold ${fmt(rule.threshold)})`,
    };
  }
  if (rule.kind === 'forecast') {
    const target = rule.parameter === 'pm25' ? 'pm25' : 'aqi';
    const [peak] = await forecastPeaks(db, target, rule.window_hours, [thingId]);
    // A forecast older than three hours no longer speaks for the next hours.
    if (!peak || now - peak.basedOn.getTime() > 3 * HOUR) return unknown;
    const at = Date.parse(peak.at);
    return {
      value: peak.peak,
      vi: `${label} dự báo đạt ${fmt(peak.peak)} lúc ${when(at)}, trong ${rule.window_hours} giờ tới (ngưỡng ${fmt(rule.threshold)})`,
      en: `${label} forecast to reach ${fmt(peak.peak)} at ${when(at)}, within the next ${rule.window_hours} h (threshold ${fmt(rule.threshold)})`,
    };
  }
  const faults = await streamFaults(db, rule.window_hours, [thingId], now);
  const words = {
    stuck: ['giá trị đứng yên', 'stuck value'],
    range: ['giá trị ngoài ngưỡng vật lý', 'value outside the physical range'],
    silent: ['không có dữ liệu', 'no data'],
  };
  return {
    value: faults.length ? 1 : 0,
    vi: faults.map((f) => `${f.name}: ${words[f.kind][0]} từ ${when(Date.parse(f.since))}`).join('; '),
    en: faults.map((f) => `${f.name}: ${words[f.kind][1]} since ${when(Date.parse(f.since))}`).join('; '),
  };
}
