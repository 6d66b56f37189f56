import fs from 'node:fs';
import type { Command } from 'commander';
import { refuse } from './output.js';
import {
  AQI_POLLUTANTS,
  aqiCategory,
  computeWqi,
  dailyAqi,
  hex,
  hourlyAqi,
  HoursCsvError,
  nowcast,
  readHoursCsv,
  WQI_KEYS,
  WqiDataError,
  wqiCategory,
  type Category,
  type Concentrations,
} from '../modules/sensors/index.js';

const print = (v: unknown) => process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
const band = (c: Category) => ({ key: c.key, name: c.name, color: hex(c), rgb: c.rgb, meaning: c.meaning, ...(c.advice ? { advice: c.advice } : {}) });

/** A concentration as typed: 35.2 or 35,2; never negative. */
function concentration(what: string, raw: string): number {
  const v = Number(raw.trim().replace(/^(\d+),(\d+)$/, '$1.$2'));
  if (!/^\d+([.,]\d+)?$/.test(raw.trim()) || !Number.isFinite(v)) throw new RangeError(`${what}: "${raw}" is not a concentration (a number ≥ 0, e.g. 35.2)`);
  return v;
}

/** `tinhso aqi …` and `tinhso wqi`: Vietnam's air and water quality indices (QĐ 1459 and 1460/QĐ-TCMT) for scripting and checks. */
export function registerIndices(program: Command): void {
  const aqi = program.command('aqi').description('VN_AQI (QĐ 1459/QĐ-TCMT): NowCast, hourly and daily indices');
  aqi
    .command('nowcast')
    .argument('<hours>', 'C1,C2,…,C12: hourly PM10 or PM2.5 means in µg/m³, the most recent hour first; an empty field is a missing hour')
    .description('print the NowCast of the last 12 hours; an error when fewer than 2 of the 3 most recent hours exist')
    .action((list: string) => {
      try {
        const fields = list.split(',');
        if (fields.length > 12) throw new RangeError(`${fields.length} hours given: the NowCast takes the last 12`);
        const hours = fields.map((f, i) => (f.trim() === '' ? null : concentration(`C${i + 1}`, f)));
        const v = nowcast(hours);
        if (v === null) return refuse('no NowCast: at least 2 of the 3 most recent hours (C1, C2, C3) are needed');
        process.stdout.write(`${Math.round(v * 1000) / 1000}\n`);
      } catch (e) {
        refuse((e as Error).message);
      }
    });
  const hourly = aqi
    .command('hourly')
    .description('print the hourly VN_AQI as JSON: sub-indices, aqi, dominant pollutant, category (PM values are NowCasts; µg/m³, CO too)');
  for (const p of AQI_POLLUTANTS)
    hourly.option(`--${p} <value>`, `${p.toUpperCase().replace('PM25', 'PM2.5')} ${p.startsWith('pm') ? 'NowCast' : '1-hour mean'}, µg/m³`);
  hourly.action((o: Record<string, string | undefined>) => {
    try {
      const c: Concentrations = {};
      for (const p of AQI_POLLUTANTS) if (o[p] !== undefined) c[p] = concentration(`--${p}`, o[p]);
      const r = hourlyAqi(c);
      if (!r) return refuse('VN_AQI needs PM2.5 or PM10 (--pm25 or --pm10)');
      print({ ...r, category: band(aqiCategory(r.aqi)) });
    } catch (e) {
      refuse((e as Error).message);
    }
  });
  aqi
    .command('daily')
    .requiredOption('--file <csv>', 'hourly means: time,pm25,pm10,o3,no2,so2,co (ISO times with their offset; an hour is named by its end)')
    .description('print a JSON list with one object per day (date, aqi, sub-indices, dominant, hours per pollutant); the day runs 01:00–24:00')
    .action((o: { file: string }) => {
      try {
        const days = dailyAqi(readHoursCsv(fs.readFileSync(o.file, 'utf8')));
        print(days.map((d) => (d.aqi === null ? d : { ...d, category: band(aqiCategory(d.aqi)) })));
      } catch (e) {
        if (e instanceof HoursCsvError || (e as NodeJS.ErrnoException).code === 'ENOENT') return refuse(`${o.file}: ${(e as Error).message}`);
        refuse((e as Error).message);
      }
    });
  program
    .command('wqi')
    .requiredOption('--json <file>', 'one sample: {"pH": 7.2, "T": 28, "DO": 6.1, "BOD5": 5, …} (mg/L; pesticides µg/L; Coliform, E.coli MPN/100 mL)')
    .option('--organic', 'formula 5: the aggregate weighted for organic pollution')
    .description('print VN_WQI (QĐ 1460/QĐ-TCMT) of a surface-water sample as JSON: each parameter’s index, the groups and the overall wqi')
    .action((o: { json: string; organic?: boolean }) => {
      try {
        const raw = JSON.parse(fs.readFileSync(o.json, 'utf8')) as unknown;
        if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new RangeError('the sample must be one JSON object keyed by parameter name');
        const sample: Record<string, number> = {};
        for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
          if (!WQI_KEYS.includes(k)) throw new RangeError(`"${k}" is not a VN_WQI parameter (${WQI_KEYS.join(', ')})`);
          if (v === null || v === '') continue;
          if (typeof v !== 'number' || !Number.isFinite(v) || (v < 0 && k !== 'T'))
            throw new RangeError(`${k}: ${JSON.stringify(v)} is not a measured value (a number ≥ 0)`);
          sample[k] = v;
        }
        const r = computeWqi(sample, { organic: o.organic });
        print({ ...r, category: band(wqiCategory(r.wqi)) });
      } catch (e) {
        if (e instanceof WqiDataError || e instanceof SyntaxError || e instanceof RangeError) return refuse((e as Error).message);
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return refuse(`cannot read ${o.json}`);
        throw e;
      }
    });
}
