import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { record } from './lib.js';
import { startAppBench } from './app-lib.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 200_000);
const BATCH = 10_000;
const MQTT_CLIENTS = Number(process.env.BENCH_MQTT_CLIENTS ?? 4);

/** A time per row, a minute apart from 1 January 2026, so rows spread over months (partitions). */
const timeOf = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();

/**
 * SensorThings ingest: the same number of observations (BENCH_ROWS) written (1) through
 * `POST /v1.1/CreateObservations` in data arrays of 10,000 rows, two requests at a time, and (2) over MQTT
 * at QoS 1 by mosquitto_pub processes (BENCH_MQTT_CLIENTS, 100 in flight each) — each to a Datastream of its
 * own — next to (3) psql `\copy` of the same rows straight into sta_observation on the same server. Rows
 * are counted afterwards: every acknowledged observation must be there, once.
 */
export async function run(): Promise<void> {
  const mqttPort = 18890 + Math.floor(Math.random() * 100);
  const { dir, base, token, client, adminUrl, stop } = await startAppBench('tinhso-bench-sta-', mqttPort);
  const results: Record<string, unknown> = { rows: ROWS, mqttClients: MQTT_CLIENTS };
  try {
    const call = async (method: string, url: string, body?: unknown) => {
      const r = await fetch(`${base}${url}`, { method, headers: { authorization: token, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${await r.text()}`);
      return r.json() as Promise<Record<string, unknown> & { value: Record<string, unknown>[] }>;
    };
    const streams = MQTT_CLIENTS + 2;
    const thing = await call('POST', '/v1.1/Things', {
      name: 'Trạm bench',
      description: 'Trạm quan trắc không khí tự động',
      Locations: [
        { name: 'Phan Rang', description: 'Vị trí trạm', encodingType: 'application/geo+json', location: { type: 'Point', coordinates: [108.99, 11.56] } },
      ],
      Datastreams: Array.from({ length: streams }, (_, k) => ({
        name: `PM2.5 #${k}`,
        description: 'Bụi mịn PM2.5',
        unitOfMeasurement: { name: 'microgram per cubic metre', symbol: 'µg/m³', definition: 'http://qudt.org/vocab/unit/MicroGM-PER-M3' },
        observationType: 'http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement',
        Sensor: { name: 'BAM-1020', description: 'Beta attenuation monitor', encodingType: 'application/pdf', metadata: 'https://example.org/bam.pdf' },
        ObservedProperty: { name: 'PM2.5', definition: 'http://vocabs.lter-europe.net/EnvThes/22602', description: 'Bụi mịn' },
      })),
    });
    const ids = (await call('GET', `/v1.1/Things(${String(thing['@iot.id'])})/Datastreams?$orderby=id`)).value.map((d) => d['@iot.id'] as number);
    const [dsHttp, dsCopy, ...dsMqtt] = ids as [number, number, ...number[]];

    // (1) CreateObservations.
    const t1 = performance.now();
    let created = 0;
    const batches = Array.from({ length: Math.ceil(ROWS / BATCH) }, (_, b) => b);
    const postBatch = async (b: number) => {
      const dataArray = [];
      for (let i = b * BATCH; i < Math.min(ROWS, (b + 1) * BATCH); i++) dataArray.push([timeOf(i), (i % 500) / 10]);
      const r = await fetch(`${base}/v1.1/CreateObservations`, {
        method: 'POST',
        headers: { authorization: token, 'content-type': 'application/json' },
        body: JSON.stringify([{ Datastream: { '@iot.id': dsHttp }, components: ['phenomenonTime', 'result'], dataArray }]),
      });
      const links = (await r.json()) as string[];
      created += links.filter((l) => !l.startsWith('error')).length;
    };
    for (let b = 0; b < batches.length; b += 2) await Promise.all(batches.slice(b, b + 2).map(postBatch));
    const httpSeconds = (performance.now() - t1) / 1000;
    results.createObservations = { seconds: +httpSeconds.toFixed(2), perSecond: Math.round(created / httpSeconds), acknowledged: created };

    // (2) MQTT QoS 1: mosquitto_pub -l, each client its share of the rows to its own Datastream.
    const per = Math.ceil(ROWS / MQTT_CLIENTS);
    const files = dsMqtt.map((ds, k) => {
      const f = path.join(dir, `mqtt-${k}.txt`);
      const lines: string[] = [];
      for (let i = k * per; i < Math.min(ROWS, (k + 1) * per); i++) lines.push(JSON.stringify({ phenomenonTime: timeOf(i), result: (i % 500) / 10 }));
      fs.writeFileSync(f, `${lines.join('\n')}\n`);
      return { f, ds, n: lines.length };
    });
    const t2 = performance.now();
    const codes = await Promise.all(
      files.map(
        ({ f, ds }, k) =>
          new Promise<number | null>((resolve) => {
            const child = spawn(
              'mosquitto_pub',
              [
                '-h',
                '127.0.0.1',
                '-p',
                String(mqttPort),
                '-q',
                '1',
                '-M',
                '100',
                '-l',
                '-i',
                `bench-${k}`,
                '-u',
                'bench',
                '-P',
                token,
                '-t',
                `v1.1/Datastreams(${ds})/Observations`,
              ],
              { stdio: [fs.openSync(f, 'r'), 'ignore', 'inherit'] },
            );
            child.once('close', resolve);
          }),
      ),
    );
    const mqttSeconds = (performance.now() - t2) / 1000;
    const mqttCount = Number(
      (await client.query<{ n: string }>('select count(*) as n from sta_observation where datastream_id = any($1)', [dsMqtt])).rows[0]!.n,
    );
    const distinct = Number(
      (
        await client.query<{ n: string }>(
          'select count(distinct (datastream_id, phenomenon_time_start)) as n from sta_observation where datastream_id = any($1)',
          [dsMqtt],
        )
      ).rows[0]!.n,
    );
    results.mqtt = {
      seconds: +mqttSeconds.toFixed(2),
      perSecond: Math.round(ROWS / mqttSeconds),
      publishersExit: codes,
      stored: mqttCount,
      distinct,
      lost: ROWS - distinct,
      duplicated: mqttCount - distinct,
    };

    // (3) Baseline: psql \copy of the same rows into the same table (partitioned, indexed) on the same server.
    const foi = Number((await client.query<{ id: string }>('select id from sta_feature limit 1')).rows[0]?.id ?? 0);
    const csv = path.join(dir, 'copy.csv');
    const lines: string[] = [];
    for (let i = 0; i < ROWS; i++) lines.push(`${dsCopy},${foi},${timeOf(i)},${(i % 500) / 10},${(i % 500) / 10}`);
    fs.writeFileSync(csv, `${lines.join('\n')}\n`);
    const t3 = performance.now();
    execFileSync('psql', [
      adminUrl,
      '-q',
      '-c',
      `\\copy sta_observation (datastream_id, feature_id, phenomenon_time_start, result, result_number) from '${csv}' with (format csv)`,
    ]);
    const copySeconds = (performance.now() - t3) / 1000;
    results.copy = { seconds: +copySeconds.toFixed(2), perSecond: Math.round(ROWS / copySeconds) };
    const httpCount = Number((await client.query<{ n: string }>('select count(*) as n from sta_observation where datastream_id = $1', [dsHttp])).rows[0]!.n);
    results.createObservations = { ...(results.createObservations as object), stored: httpCount, lost: created - httpCount };
    results.budget = {
      createObservationsPerSecond: 50_000,
      mqttPerSecond: 10_000,
      createObservationsMet: (results.createObservations as { perSecond: number }).perSecond >= 50_000,
      mqttMet: (results.mqtt as { perSecond: number }).perSecond >= 10_000,
    };
  } finally {
    await stop();
  }
  record('sensors-ingest', results);
}
