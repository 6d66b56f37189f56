import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type * as Sensors from '../src/modules/sensors/index.js';
import { built, record } from './lib.js';
import { startAppBench } from './app-lib.js';

const TOTAL = Number(process.env.BENCH_ROWS ?? 10_000_000);
const STREAMS = 10;
const ITER = Number(process.env.BENCH_ITER ?? 200);
const MINUTE = 60_000;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return +s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(2);
};
async function timed(n: number, f: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f();
    ms.push(performance.now() - t);
  }
  return { p50: pct(ms, 50), p95: pct(ms, 95) };
}

/**
 * SensorThings reads over 10 million stored observations (BENCH_ROWS; ten Datastreams of one station,
 * a reading a minute for about two years each, loaded by COPY): through the API — the last 24 hours of one
 * Datastream, `$count` of one Datastream's observations — and the daily VN_AQI of the station over a year
 * (the station page's computation), each next to the bare SQL of the same answer on the same server.
 */
export async function run(): Promise<void> {
  const sensors = await built<typeof Sensors>('modules/sensors/index.js');
  const { dir, base, token, client, adminUrl, db, stop } = await startAppBench('tinhso-bench-staq-', 'off');
  const results: Record<string, unknown> = { rows: TOTAL, streams: STREAMS, iterations: ITER };
  try {
    const per = Math.ceil(TOTAL / STREAMS);
    const end = Math.floor(Date.now() / MINUTE) * MINUTE;
    const start = end - per * MINUTE;
    const made = await fetch(`${base}/v1.1/Things`, {
      method: 'POST',
      headers: { authorization: token, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Trạm bench',
        description: 'Trạm quan trắc không khí tự động',
        Locations: [
          { name: 'Phan Rang', description: 'Vị trí trạm', encodingType: 'application/geo+json', location: { type: 'Point', coordinates: [108.99, 11.56] } },
        ],
        Datastreams: Array.from({ length: STREAMS }, (_, k) => ({
          name: k === 0 ? 'PM2.5' : `Thông số ${k}`,
          description: 'Bench',
          unitOfMeasurement: { name: 'microgram per cubic metre', symbol: 'µg/m³', definition: 'http://qudt.org/vocab/unit/MicroGM-PER-M3' },
          observationType: 'http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement',
          Sensor: { name: 'BAM-1020', description: 'Beta attenuation monitor', encodingType: 'application/pdf', metadata: 'https://example.org/bam.pdf' },
          ObservedProperty: { name: k === 0 ? 'PM2.5' : `Thông số ${k}`, definition: 'http://example.org/p', description: 'Bench' },
          // The first observation makes the FeatureOfInterest and the partition of its month.
          Observations: [{ phenomenonTime: new Date(start - MINUTE).toISOString(), result: 1 }],
        })),
      }),
    });
    const thing = ((await made.json()) as { '@iot.id': number })['@iot.id'];
    const ids = (await client.query<{ id: string }>('select id from sta_datastream where thing_id = $1 order by id', [thing])).rows.map((r) => Number(r.id));
    const foi = Number((await client.query<{ id: string }>('select id from sta_feature limit 1')).rows[0]!.id);
    // Every month the rows fall in gets its partition, as the writers make them.
    const months: string[] = [];
    for (let m = new Date(new Date(start).setUTCDate(1)); m.getTime() <= end; m.setUTCMonth(m.getUTCMonth() + 1)) months.push(m.toISOString());
    const { Partitions } = await built<{ Partitions: new () => { ensure(db: unknown, t: Date[]): Promise<void> } }>('modules/sensors/sta/partitions.js');
    await new Partitions().ensure(
      db.db,
      months.map((m) => new Date(m)),
    );
    const t0 = performance.now();
    for (const [k, ds] of ids.entries()) {
      const csv = path.join(dir, `obs-${k}.csv`);
      const out = fs.createWriteStream(csv);
      for (let i = 0; i < per; i++) {
        const t = new Date(start + i * MINUTE).toISOString();
        const v = (20 + 15 * Math.sin(i / 720) + (i % 7)).toFixed(1);
        if (!out.write(`${ds},${foi},${t},${v},${v}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
      }
      await new Promise<void>((r) => out.end(r));
      execFileSync('psql', [
        adminUrl,
        '-q',
        '-c',
        `\\copy sta_observation (datastream_id, feature_id, phenomenon_time_start, result, result_number) from '${csv}' with (format csv)`,
      ]);
      fs.rmSync(csv);
    }
    await client.query('analyze sta_observation');
    results.loadSeconds = +((performance.now() - t0) / 1000).toFixed(1);
    const ds = ids[0]!;
    const since = new Date(end - 24 * 60 * MINUTE).toISOString();
    const get = async (url: string) => {
      const r = await fetch(`${base}${url}`);
      if (!r.ok) throw new Error(`${url}: ${r.status}`);
      return r.json();
    };
    // Warm both paths once.
    await get(`/v1.1/Datastreams(${ds})/Observations?$filter=phenomenonTime ge ${since}&$top=1440&$orderby=phenomenonTime`);
    results.last24h = {
      api: await timed(ITER, () =>
        get(`/v1.1/Datastreams(${ds})/Observations?$filter=phenomenonTime ge ${since}&$top=1440&$orderby=phenomenonTime&$select=phenomenonTime,result`),
      ),
      sql: await timed(ITER, () =>
        client.query(
          'select phenomenon_time_start, result from sta_observation where datastream_id = $1 and phenomenon_time_start >= $2 order by phenomenon_time_start limit 1440',
          [ds, since],
        ),
      ),
      rows: ((await get(`/v1.1/Datastreams(${ds})/Observations?$filter=phenomenonTime ge ${since}&$top=1440&$select=result`)) as { value: unknown[] }).value
        .length,
    };
    results.count = {
      api: await timed(Math.min(ITER, 30), () => get(`/v1.1/Datastreams(${ds})/Observations?$count=true&$top=0`)),
      sql: await timed(Math.min(ITER, 30), () => client.query('select count(*) from sta_observation where datastream_id = $1', [ds])),
      counted: ((await get(`/v1.1/Datastreams(${ds})/Observations?$count=true&$top=0`)) as { '@iot.count': number })['@iot.count'],
    };
    const yearAgo = new Date(end - 365 * 24 * 60 * MINUTE);
    results.dailyAqiYear = {
      fn: await timed(Math.min(ITER, 20), () => sensors.stationDailyAqi(db.db, thing, yearAgo, new Date(end))),
      sqlHourlyMeans: await timed(Math.min(ITER, 20), () =>
        client.query(
          `select date_trunc('hour', phenomenon_time_start), avg(result_number) from sta_observation where datastream_id = $1 and phenomenon_time_start >= $2 group by 1`,
          [ds, yearAgo],
        ),
      ),
      days: (await sensors.stationDailyAqi(db.db, thing, yearAgo, new Date(end))).length,
    };
    results.budget = { last24hP95Ms: 10, countMs: 50, dailyAqiYearMs: 100 };
  } finally {
    await stop();
  }
  record('sensors-query', results);
}
