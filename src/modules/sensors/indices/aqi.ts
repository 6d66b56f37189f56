import { lerp, roundHalfUp } from './round.js';

/** The pollutants of VN_AQI, in the order ties are broken for the dominant one. */
export const AQI_POLLUTANTS = ['pm25', 'pm10', 'o3', 'no2', 'so2', 'co'] as const;
export type Pollutant = (typeof AQI_POLLUTANTS)[number];
export type Concentrations = Partial<Record<Pollutant, number | null>>;

const I = [0, 50, 100, 150, 200, 300, 400, 500];

/**
 * Bảng 2 of QĐ 1459/QĐ-TCMT: the breakpoints BPᵢ (µg/m³, CO too) of each pollutant at the index
 * values I. O3 has a 1-hour and an 8-hour table; the 8-hour one stops at 300 (400 µg/m³).
 */
export const BREAKPOINTS: Record<Pollutant | 'o3_8h', readonly number[]> = {
  o3: [0, 160, 200, 300, 400, 800, 1000, 1200],
  o3_8h: [0, 100, 120, 170, 210, 400],
  co: [0, 10000, 30000, 45000, 60000, 90000, 120000, 150000],
  so2: [0, 125, 350, 550, 800, 1600, 2100, 2630],
  no2: [0, 100, 200, 700, 1200, 2350, 3100, 3850],
  pm10: [0, 50, 150, 250, 350, 420, 500, 600],
  pm25: [0, 25, 50, 80, 150, 250, 350, 500],
};

/**
 * The sub-index of one concentration (formula 3): linear between the breakpoints around it.
 * Above the table's last breakpoint the index is that of the last one (500, or 300 for O3 8 h):
 * the decision's scale ends there. Unrounded; null for a missing or negative value.
 */
export function subIndex(table: keyof typeof BREAKPOINTS, c: number | null | undefined): number | null {
  if (typeof c !== 'number' || !Number.isFinite(c) || c < 0) return null;
  const bp = BREAKPOINTS[table];
  for (let i = 0; i < bp.length - 1; i++) if (c <= bp[i + 1]!) return lerp(c, bp[i]!, I[i]!, bp[i + 1]!, I[i + 1]!);
  return I[bp.length - 1]!;
}

export interface AqiResult {
  aqi: number;
  dominant: Pollutant;
  /** Each pollutant's sub-index, rounded half up (absent pollutants left out). */
  sub_indices: Partial<Record<Pollutant, number>>;
}

/** The index from sub-indices: their maximum rounded half up; null unless PM10 or PM2.5 has one (the decision's rule). */
export function combine(subs: Partial<Record<Pollutant, number | null>>): AqiResult | null {
  if (subs.pm25 == null && subs.pm10 == null) return null;
  let dominant: Pollutant | undefined;
  const sub_indices: AqiResult['sub_indices'] = {};
  for (const p of AQI_POLLUTANTS) {
    const v = subs[p];
    if (v == null) continue;
    sub_indices[p] = roundHalfUp(v);
    if (dominant === undefined || v > subs[dominant]!) dominant = p;
  }
  return { aqi: roundHalfUp(subs[dominant!]!), dominant: dominant!, sub_indices };
}

/**
 * The hourly index AQIʰ: SO2, CO, NO2 and O3 (1-hour table) from their 1-hour means, PM10 and
 * PM2.5 from their NowCasts (give the NowCast, see nowcast.ts). Null when neither PM is given.
 */
export function hourlyAqi(c: Concentrations): AqiResult | null {
  const subs: Partial<Record<Pollutant, number | null>> = {};
  for (const p of AQI_POLLUTANTS) subs[p] = subIndex(p, c[p]);
  return combine(subs);
}
