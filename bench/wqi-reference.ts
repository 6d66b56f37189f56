import fs from 'node:fs';
import path from 'node:path';
import { computeWqi, labRows, readLabFile, WqiDataError } from '../src/modules/sensors/index.js';
import { record } from './lib.js';

/**
 * VN_WQI against a third party's results: the 2,696 Mekong surface-water samples of
 * ../shared/data/water_quality (tranxuanthuy/vnwqi_calculator; no licence, so read from there and
 * never copied), each with the WQI that project computed. Counts the samples where ours agrees
 * (to 1e-6) three ways: (a) our implementation of the decision as it stands, metals read as the
 * reference read them (mg/L); (b) the same with the reference's two departures from the decision
 * reproduced in the input — it leaves Heptachlor out of group II, and it takes Hg's "< 0.001" as
 * "≤ 0.001" (a sample at exactly 0.001 mg/L scores 100 there, 75 in the decision's table) — which
 * explains every difference if (b) reaches all samples; (c) the metals converted from the µg/L the
 * file's unit row names (the values, e.g. As 0.02, read as mg/L are the plausible ones).
 */
const FILE = path.resolve('../shared/data/water_quality/vnwqi_dss1_with_wqi.csv');
/** The same samples as the programme published them, without the WQI column: what an operator would import. */
const RAW = path.resolve('../shared/data/water_quality/vnwqi_dss1_mekong_surface_water.csv');
const COLUMNS: Record<string, string> = {
  pH: 'pH',
  Aldrin: 'Aldrin',
  BHC: 'BHC',
  Dieldrin: 'Dieldrin',
  DDTs: 'DDTs',
  As: 'As',
  Cd: 'Cd',
  Pb: 'Pb',
  Cr6: 'Cr6',
  Cu: 'Cu',
  Zn: 'Zn',
  Hg: 'Hg',
  DO: 'DO',
  T: 'T',
  BOD5: 'BOD5',
  COD: 'COD',
  TOC: 'TOC',
  'N-NH4': 'N_NH4',
  'N-NO3': 'N_NO3',
  'N-NO2': 'N_NO2',
  'P-PO4': 'P_PO4',
  Coliform: 'Coliform',
  'E.coli': 'Ecoli',
};
const METALS = ['As', 'Cd', 'Pb', 'Cr6', 'Cu', 'Zn', 'Hg'];

export async function run(): Promise<void> {
  if (!fs.existsSync(FILE)) throw new Error(`${FILE} is not here: this check reads the shared data set in place`);
  const lines = fs
    .readFileSync(FILE, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter(Boolean);
  const head = lines[0]!.split(',');
  const rows = lines.slice(2).map((l) => l.split(','));
  const num = (r: string[], c: string) => {
    const v = r[head.indexOf(c)];
    return v === undefined || v === '' ? undefined : Number(v);
  };
  const variants: Record<string, (r: string[]) => Record<string, number | undefined>> = {
    decision: (r) => {
      const s: Record<string, number | undefined> = {};
      for (const [k, c] of Object.entries(COLUMNS)) s[k] = num(r, c);
      const h = num(r, 'Heptachlor');
      const he = num(r, 'Heptachlorepoxide');
      s.Heptachlor = h === undefined && he === undefined ? undefined : (h ?? 0) + (he ?? 0);
      return s;
    },
    referenceDepartures: (r) => {
      const s = variants.decision!(r);
      delete s.Heptachlor;
      if (s.Hg === 0.001) s.Hg = 0.000999;
      return s;
    },
    metalsFromMicrograms: (r) => {
      const s = variants.decision!(r);
      for (const m of METALS) if (s[m] !== undefined) s[m] = s[m]! / 1000;
      return s;
    },
  };
  // (d) The platform's own laboratory-file reader on the raw file (title, units row, typos and all), metals read as mg/L
  // through its unit override, as an operator would import this file: it should agree where (a) does.
  const lab = readLabFile(await labRows(fs.readFileSync(RAW), 'dss1.csv'), {
    As: 'mg/L',
    Cd: 'mg/L',
    Pb: 'mg/L',
    Cr6: 'mg/L',
    Cu: 'mg/L',
    Zn: 'mg/L',
    Hg: 'mg/L',
  });
  const labSamples = lab.samples;
  const position = new Map(rows.map((r, i) => [r, i]));
  variants.labFile = (r) => labSamples[position.get(r)!]!.values;
  const results: Record<string, unknown> = { samples: rows.length, labFileSamples: labSamples.length };
  const t0 = performance.now();
  for (const [name, build] of Object.entries(variants)) {
    let agree = 0;
    let refused = 0;
    const diffs: number[] = [];
    for (const r of rows) {
      const theirs = num(r, 'WQI')!;
      try {
        const d = Math.abs(computeWqi(build(r)).wqi_exact - theirs);
        diffs.push(d);
        if (d < 1e-6) agree++;
      } catch (e) {
        if (!(e instanceof WqiDataError)) throw e;
        refused++;
      }
    }
    diffs.sort((a, b) => a - b);
    results[name] = { agree, refused, medianDiff: diffs[Math.floor(diffs.length / 2)], maxDiff: diffs.at(-1) };
  }
  results.samplesPerSecond = Math.round((rows.length * Object.keys(variants).length) / ((performance.now() - t0) / 1000));
  record('wqi-reference', results);
}
