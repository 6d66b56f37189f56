import { AQI_POLLUTANTS, combine, subIndex, type AqiResult, type Concentrations, type Pollutant } from './aqi.js';

/** One hourly mean of each pollutant, at an instant with its UTC offset (an hour is named by its end: 01:00 is 00:00–01:00). */
export interface HourRow extends Concentrations {
  /** Milliseconds since the epoch of the hour's end. */
  at: number;
  /** The local clock's offset from UTC in minutes (+420 for Vietnam). */
  offsetMinutes: number;
}

export interface DailyAqi {
  /** yyyy-mm-dd, the local day of hours 01:00 … 24:00. */
  date: string;
  aqi: number | null;
  dominant?: AqiResult['dominant'];
  sub_indices?: AqiResult['sub_indices'];
  /** How many hourly values of each pollutant the day had. */
  hours: Partial<Record<Pollutant, number>>;
  note?: string;
}

const HOUR = 3_600_000;
/** The 8-hour running mean of O3 needs 6 of its 8 hours (75 %, the usual completeness rule; the decision sets none). */
const MIN_HOURS_8H = 6;

/** The local day an hour belongs to: the day runs 01:00–24:00, so the hour ending at 00:00 is the previous day's last. */
export const dayOf = (r: { at: number; offsetMinutes: number }): string => new Date(r.at + r.offsetMinutes * 60_000 - HOUR).toISOString().slice(0, 10);

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const value = (r: HourRow, p: Pollutant) => (typeof r[p] === 'number' && Number.isFinite(r[p]) && r[p]! >= 0 ? (r[p] as number) : undefined);

/**
 * The daily index AQIᵈ of each day (QĐ 1459/QĐ-TCMT): PM10 and PM2.5 from the day's 24-hour
 * mean; SO2, NO2 and CO from the day's largest 1-hour value; O3 the larger of the sub-indices of
 * the largest 1-hour value (1-hour table) and of the largest 8-hour running mean (8-hour table —
 * left out when that mean exceeds 400 µg/m³, past the table). The 8-hour means end at each hour
 * of the day and may reach back into the day before. AQIᵈ is the largest sub-index, rounded half
 * up, and exists only when PM10 or PM2.5 does.
 */
export function dailyAqi(rows: readonly HourRow[]): DailyAqi[] {
  const o3At = new Map<number, number>();
  for (const r of rows) {
    const v = value(r, 'o3');
    if (v !== undefined) o3At.set(Math.round(r.at / HOUR), v);
  }
  const days = new Map<string, HourRow[]>();
  for (const r of rows) {
    const d = dayOf(r);
    const list = days.get(d);
    if (list) list.push(r);
    else days.set(d, [r]);
  }
  return [...days.keys()].sort().map((date) => {
    const day = days.get(date)!;
    const hours: DailyAqi['hours'] = {};
    const subs: Partial<Record<Pollutant, number | null>> = {};
    for (const p of AQI_POLLUTANTS) {
      const vs = day.map((r) => value(r, p)).filter((v): v is number => v !== undefined);
      if (!vs.length) continue;
      hours[p] = vs.length;
      if (p === 'pm25' || p === 'pm10') subs[p] = subIndex(p, mean(vs));
      else if (p !== 'o3') subs[p] = subIndex(p, Math.max(...vs));
      else {
        let best8: number | undefined;
        for (const r of day) {
          const end = Math.round(r.at / HOUR);
          const window = Array.from({ length: 8 }, (_, k) => o3At.get(end - k)).filter((v): v is number => v !== undefined);
          if (window.length >= MIN_HOURS_8H) best8 = Math.max(best8 ?? 0, mean(window));
        }
        const one = subIndex('o3', Math.max(...vs))!;
        const eight = best8 !== undefined && best8 <= 400 ? subIndex('o3_8h', best8)! : undefined;
        subs.o3 = eight === undefined ? one : Math.max(one, eight);
      }
    }
    const r = combine(subs);
    return r ? { date, ...r, hours } : { date, aqi: null, hours, note: 'no PM10 or PM2.5 that day: the decision computes no AQI without one' };
  });
}

/**
 * Parses an ISO 8601 local time with its offset (`2026-11-14T24:00+07:00`, `…T13:00:00Z`) into
 * the instant and the offset, or null. 24:00 is the end of the day.
 */
export function parseOffsetTime(s: string): { at: number; offsetMinutes: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|([+-])(\d{2}):?(\d{2}))$/.exec(s.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, se] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || h > 24 || mi > 59 || se > 59 || (h === 24 && (mi || se))) return null;
  const base = Date.UTC(y, mo - 1, d);
  if (new Date(base).getUTCDate() !== d) return null;
  const offsetMinutes = m[7] === 'Z' ? 0 : (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10]));
  return { at: base + ((h * 60 + mi) * 60 + se) * 1000 - offsetMinutes * 60_000, offsetMinutes };
}
