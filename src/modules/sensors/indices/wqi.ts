import { lerp, roundHalfUp } from './round.js';

/**
 * A parameter's scale: the concentrations (ascending) at which its quality value q is 100, 75,
 * 50, 25, 10, linear in between. At or below the first, q = 100 ("<a": strictly below, and at a
 * the next point's q); at or above the last, 10 (">b": strictly above, and at b the point before's q).
 */
interface Scale {
  points: readonly (readonly [number, number])[];
  lowStrict?: boolean;
  highStrict?: boolean;
}

/** The five concentrations of a row of the table, at q = 100, 75, 50, 25, 10. */
const falling = (bps: readonly [number, number, number, number, number], o: { lowStrict?: boolean; highStrict?: boolean } = {}): Scale => ({
  points: bps.map((b, i) => [b, [100, 75, 50, 25, 10][i]!] as const),
  ...o,
});

/** Bảng 1 and 2 of QĐ 1460/QĐ-TCMT: mg/L; Coliform and E. coli in MPN/100 mL. */
const SCALES: Record<string, Scale> = {
  BOD5: falling([4, 6, 15, 25, 50]),
  COD: falling([10, 15, 30, 50, 150]),
  TOC: falling([4, 6, 15, 25, 50]),
  'N-NH4': falling([0.3, 0.3, 0.6, 0.9, 5], { lowStrict: true }),
  'N-NO3': falling([2, 5, 10, 15, 15], { highStrict: true }),
  'N-NO2': {
    points: [
      [0.05, 100],
      [0.05, 10],
    ],
    highStrict: true,
  },
  'P-PO4': falling([0.1, 0.2, 0.3, 0.5, 4]),
  Coliform: falling([2500, 5000, 7500, 10000, 10000], { highStrict: true }),
  'E.coli': falling([20, 50, 100, 200, 200], { highStrict: true }),
  As: falling([0.01, 0.02, 0.05, 0.1, 0.1], { highStrict: true }),
  Cd: falling([0.005, 0.005, 0.008, 0.01, 0.1], { lowStrict: true }),
  Pb: falling([0.02, 0.02, 0.04, 0.05, 0.5], { lowStrict: true }),
  Cr6: falling([0.01, 0.02, 0.04, 0.05, 0.1]),
  Cu: falling([0.1, 0.2, 0.5, 1.0, 2]),
  Zn: falling([0.5, 1.0, 1.5, 2.0, 3]),
  Hg: falling([0.001, 0.001, 0.0015, 0.002, 0.01], { lowStrict: true }),
};

/** Pesticides (µg/L): 100 at or below the limit, 10 above it. */
const PESTICIDE_LIMITS: Record<string, number> = { Aldrin: 0.1, BHC: 0.02, Dieldrin: 0.1, DDTs: 1.0, Heptachlor: 0.2 };

/** Bảng 3 (DO, as % saturation) and Bảng 4 (pH): q between the points, 10 outside them. */
const DO_PERCENT: readonly (readonly [number, number])[] = [
  [20, 25],
  [50, 50],
  [75, 75],
  [88, 100],
  [112, 100],
  [125, 75],
  [150, 50],
  [200, 25],
];
const PH: readonly (readonly [number, number])[] = [
  [5.5, 50],
  [6, 100],
  [8.5, 100],
  [9, 50],
];

export const WQI_GROUPS = {
  I: ['pH'],
  II: ['Aldrin', 'BHC', 'Dieldrin', 'DDTs', 'Heptachlor'],
  III: ['As', 'Cd', 'Pb', 'Cr6', 'Cu', 'Zn', 'Hg'],
  IV: ['DO', 'BOD5', 'COD', 'TOC', 'N-NH4', 'N-NO3', 'N-NO2', 'P-PO4'],
  V: ['Coliform', 'E.coli'],
} as const;
export type WqiGroup = keyof typeof WQI_GROUPS;
/** Every key a sample may have: the parameters and the temperature T (°C) that DO needs. */
export const WQI_KEYS = [...Object.values(WQI_GROUPS).flat(), 'T'] as readonly string[];

function onScale(s: Scale, c: number): number {
  const first = s.points[0]!;
  const last = s.points.at(-1)!;
  if (s.lowStrict ? c < first[0] : c <= first[0]) return 100;
  if (s.highStrict ? c > last[0] : c >= last[0]) return last[1];
  for (let i = 0; i < s.points.length - 1; i++) {
    const [x0, q0] = s.points[i]!;
    const [x1, q1] = s.points[i + 1]!;
    if (x1 > x0 && c >= x0 && c <= x1) return lerp(c, x0, q0, x1, q1);
  }
  return last[1];
}

const between = (points: readonly (readonly [number, number])[], c: number): number => {
  if (c < points[0]![0] || c > points.at(-1)![0]) return 10;
  for (let i = 0; i < points.length - 1; i++) {
    const [x0, q0] = points[i]!;
    const [x1, q1] = points[i + 1]!;
    if (c >= x0 && c <= x1) return lerp(c, x0, q0, x1, q1);
  }
  return 10;
};

/** Saturated dissolved oxygen (mg/L) at T °C (formula 2 of the decision). */
export const doSaturation = (t: number): number => 14.652 - 0.41022 * t + 0.007991 * t ** 2 - 0.000077774 * t ** 3;

/** One parameter's index WQI_SI; DO needs the temperature. */
export function parameterIndex(name: string, c: number, temperature?: number): number {
  if (name === 'pH') return between(PH, c);
  if (name === 'DO') {
    if (temperature === undefined) throw new RangeError('DO needs the water temperature T (°C) for its saturation');
    return between(DO_PERCENT, (c / doSaturation(temperature)) * 100);
  }
  if (name in PESTICIDE_LIMITS) return c <= PESTICIDE_LIMITS[name]! ? 100 : 10;
  const s = SCALES[name];
  if (!s) throw new RangeError(`${name} is not a VN_WQI parameter`);
  return onScale(s, c);
}

export interface WqiResult {
  /** VN_WQI rounded half up. */
  wqi: number;
  /** Unrounded. */
  wqi_exact: number;
  /** Each parameter's index WQI_SI (two decimals). */
  parameters: Record<string, number>;
  /** The groups measured, and the factor each put into the formula. */
  groups: Partial<Record<WqiGroup, number>>;
  formula: 3 | 5;
  notes: string[];
}

export class WqiDataError extends Error {}

const round2 = (x: number) => Math.round(x * 100) / 100;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const geomean = (xs: number[]) => xs.reduce((a, b) => a * b, 1) ** (1 / xs.length);

/**
 * VN_WQI of a surface-water sample (QĐ 1460/QĐ-TCMT, formula 3; formula 5 — organic pollution
 * weighted — when `organic`). Values in mg/L, pesticides in µg/L, microbes in MPN/100 mL. Needs
 * at least 3 of the 5 groups, and group IV with at least 3 parameters: otherwise a WqiDataError
 * says what is missing. A group not measured leaves its factor out.
 */
export function computeWqi(sample: Readonly<Record<string, number | undefined>>, opts: { organic?: boolean } = {}): WqiResult {
  const parameters: Record<string, number> = {};
  const notes: string[] = [];
  const byGroup: Partial<Record<WqiGroup, number[]>> = {};
  for (const [group, names] of Object.entries(WQI_GROUPS) as [WqiGroup, readonly string[]][]) {
    for (const name of names) {
      const c = sample[name];
      if (c === undefined) continue;
      if (name === 'DO' && sample.T === undefined) {
        notes.push('DO left out: it needs the water temperature T (°C)');
        continue;
      }
      const q = parameterIndex(name, c, sample.T);
      parameters[name] = round2(q);
      (byGroup[group] ??= []).push(q);
    }
  }
  const measured = Object.keys(byGroup) as WqiGroup[];
  const iv = byGroup.IV ?? [];
  if (iv.length < 3)
    throw new WqiDataError(`group IV (organics and nutrients) needs at least 3 parameters, the sample has ${iv.length}: VN_WQI cannot be computed`);
  if (measured.length < 3) throw new WqiDataError(`at least 3 of the 5 groups are needed, the sample has ${measured.length} (${measured.join(', ')})`);
  const groups: WqiResult['groups'] = {};
  let w = 1;
  if (byGroup.I) w *= groups.I = byGroup.I[0]! / 100;
  if (byGroup.II) w *= groups.II = geomean(byGroup.II) / 100;
  if (byGroup.III) w *= groups.III = geomean(byGroup.III) / 100;
  const ivMean = mean(iv);
  const vMean = byGroup.V ? mean(byGroup.V) : undefined;
  groups.IV = ivMean;
  if (vMean !== undefined) groups.V = vMean;
  const last = vMean === undefined ? ivMean : opts.organic ? (ivMean ** 2 * vMean) ** (1 / 3) : (ivMean * vMean) ** 0.5;
  const exact = w * last;
  return { wqi: roundHalfUp(exact), wqi_exact: exact, parameters, groups, formula: opts.organic ? 5 : 3, notes };
}
