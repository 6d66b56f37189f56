import fs from 'node:fs';
import type { Command } from 'commander';
import { refuse } from './output.js';
import { csvCell } from '../platform/text/index.js';
import {
  candidatePeriods,
  detectSeries,
  forecast,
  formatTime,
  PHYSICAL_RANGES,
  readSeriesCsv,
  SeriesError,
  timeAt,
  type NamedSeries,
} from '../modules/analytics/index.js';

/** Numbers as CSV writes them: up to 8 significant digits, no exponent for ordinary values. */
const num = (v: number) => String(Number(v.toPrecision(8)));

function readFile(file: string): NamedSeries[] | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    refuse(`cannot read ${file}`);
    return undefined;
  }
  try {
    return readSeriesCsv(text);
  } catch (e) {
    if (e instanceof SeriesError) return void refuse(`${file}: ${e.message}`);
    throw e;
  }
}

function positiveInt(what: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new RangeError(`${what}: "${raw}" is not a whole number ≥ 1`);
  return Number(raw);
}

/** `tinhso forecast` and `tinhso anomalies`: the analytics module's forecasts and anomaly flags over a series file, for scripting and checks. */
export function registerAnalytics(program: Command): void {
  program
    .command('forecast')
    .requiredOption('--file <csv>', 'series,time,value (ISO times at a regular step per series; an empty value is missing)')
    .requiredOption('--horizon <h>', 'steps to forecast after each series’ last time')
    .option(
      '--season <s>',
      'the seasonal period in steps (detected when not given: a day or a week of hourly values, a week of daily ones, a year of monthly ones)',
    )
    .option('--level <percent>', 'the prediction interval’s level', '95')
    .description('print CSV series,time,mean,lower,upper: H rows per series; the model chosen for each series (and why a simpler one, if so) goes to stderr')
    .action((o: { file: string; horizon: string; season?: string; level: string }) => {
      let horizon: number;
      let season: number | undefined;
      const level = Number(o.level);
      try {
        horizon = positiveInt('--horizon', o.horizon)!;
        season = positiveInt('--season', o.season);
        if (!(level > 0 && level < 100)) throw new RangeError(`--level: "${o.level}" is not a percentage between 0 and 100`);
      } catch (e) {
        return refuse((e as Error).message);
      }
      const all = readFile(o.file);
      if (!all) return;
      const out = ['series,time,mean,lower,upper'];
      for (const s of all) {
        try {
          const f = forecast(s.values, { horizon, season, periods: candidatePeriods(s.step), levels: [level] }, s.name);
          const band = f.intervals[0]!;
          const last = s.values.length - 1;
          for (let j = 0; j < horizon; j++)
            out.push([csvCell(s.name), formatTime(timeAt(s, last + 1 + j), s.style), num(f.mean[j]!), num(band.lower[j]!), num(band.upper[j]!)].join(','));
          const chosen = f.evaluation
            ? `model ${f.model} (MASE ${f.evaluation.scores[0]!.mase.toFixed(3)} at ${f.evaluation.origins.length} rolling origins), season ${f.season}`
            : f.note!.en;
          process.stderr.write(`series "${s.name}": ${chosen}\n`);
        } catch (e) {
          if (e instanceof SeriesError) return refuse(`${o.file}: ${e.message}`);
          throw e;
        }
      }
      process.stdout.write(`${out.join('\n')}\n`);
    });

  program
    .command('anomalies')
    .requiredOption('--file <csv>', 'series,time,value (the same input as forecast)')
    .option('--range <min:max>', 'the physical range of the values (outside it: kind range)')
    .option('--parameter <name>', `a known parameter whose physical range applies (${Object.keys(PHYSICAL_RANGES).join(', ')})`)
    .description('print CSV series,time,kind,score: one row per flagged point; kind is spike, stuck, drift, gap or range; score 0–1')
    .action((o: { file: string; range?: string; parameter?: string }) => {
      let range: { min: number; max: number } | undefined;
      if (o.range !== undefined) {
        const m = /^(-?\d+(?:\.\d+)?):(-?\d+(?:\.\d+)?)$/.exec(o.range);
        if (!m || Number(m[1]) >= Number(m[2])) return refuse(`--range: "${o.range}" is not MIN:MAX with MIN < MAX (e.g. 0:1000)`);
        range = { min: Number(m[1]), max: Number(m[2]) };
      } else if (o.parameter !== undefined) {
        const known = PHYSICAL_RANGES[o.parameter.toLowerCase()];
        if (!known) return refuse(`--parameter: "${o.parameter}" is not one of ${Object.keys(PHYSICAL_RANGES).join(', ')}`);
        range = { min: known.min, max: known.max };
      }
      const all = readFile(o.file);
      if (!all) return;
      const out = ['series,time,kind,score'];
      for (const s of all) {
        const times = s.values.map((_, i) => timeAt(s, i));
        // Calendar steps (months) have no fixed length: a wait longer than one and a half of the longest month is a gap.
        const stepMs = s.step.kind === 'fixed' ? s.step.ms : s.step.months * 31 * 86_400_000;
        const { flags } = detectSeries(times, s.values, { stepMs, range });
        for (const f of flags) out.push([csvCell(s.name), formatTime(f.at, s.style), f.kind, String(f.score)].join(','));
      }
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
