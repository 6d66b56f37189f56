import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pm25Stream, stationThing } from '../helpers/stations.js';
import { killed, killOrphanedPostgres, startServer, tinhsoIn } from './server.js';

/**
 * Observations published with mosquitto_pub at QoS 1 while the real server is killed with `kill -9` and
 * started again: mosquitto_pub reconnects and resends what was not acknowledged (DUP set), and at the end
 * every line is stored exactly once — none lost (a PUBACK sent before the commit loses the messages in
 * flight at the kill), none twice. (A message committed and killed before its PUBACK, resent, is rare
 * here; test/sensors/mqtt.test.ts sends that redelivery itself.)
 */
const PORT = 18483;
const MQTT_PORT = 18883;
const BASE = `http://127.0.0.1:${PORT}`;
let dataDir: string;
let token: string;

const tinhso = (...args: string[]) => tinhsoIn(dataDir, ...args);
const start = () => startServer(dataDir, PORT, MQTT_PORT);
const call = async (method: string, url: string, body?: unknown) => {
  const r = await fetch(`${BASE}${url}`, {
    method,
    headers: { authorization: token, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: r.status, json: (await r.json().catch(() => null)) as Record<string, unknown> & { value?: Record<string, unknown>[] } };
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-mqtt-kill-'));
  fs.chmodSync(dataDir, 0o755);
  expect(tinhso('user', 'create', '--email', 'quantrac@example.org', '--password', 'mat-khau-rat-dai', '--name', 'Quan trắc', '--sysadmin').status).toBe(0);
  const t = tinhso('token', 'create', '--email', 'quantrac@example.org');
  expect(t.status, t.stderr).toBe(0);
  token = t.stdout.trim().split('\n').at(-1)!;
});
afterAll(() => {
  killOrphanedPostgres(dataDir);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('stores every line mosquitto_pub sent at QoS 1 exactly once across kill -9 of the server', { timeout: 240_000 }, async () => {
  let server = await start();
  const n = 3000;
  let pub: ReturnType<typeof spawn> | undefined;
  try {
    const thing = await call('POST', '/v1.1/Things', stationThing('Trạm Phan Rang', { datastreams: [pm25Stream('Phan Rang')] }));
    expect(thing.status).toBe(201);
    const ds = (await call('GET', `/v1.1/Things(${String(thing.json['@iot.id'])})/Datastreams`)).json.value![0]!['@iot.id'] as number;

    let out = '';
    const child = spawn(
      'mosquitto_pub',
      [
        '-h',
        '127.0.0.1',
        '-p',
        String(MQTT_PORT),
        '-q',
        '1',
        '-l',
        '-i',
        'tram-phan-rang',
        '-u',
        'tram',
        '-P',
        token,
        '-t',
        `v1.1/Datastreams(${ds})/Observations`,
        '-d',
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    pub = child;
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('close', r));
    const line = (i: number) => `${JSON.stringify({ phenomenonTime: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(), result: i })}\n`;
    // All lines at once; the server is killed while it takes them in (after some hundreds acknowledged) and started again.
    child.stdin.write(Array.from({ length: n }, (_, i) => line(i)).join(''));
    const acked = () => out.split('received PUBACK').length - 1;
    for (let i = 0; i < 600 && acked() < 400; i++) await sleep(10);
    expect(acked()).toBeGreaterThanOrEqual(400);
    expect(acked()).toBeLessThan(n);
    await killed(server);
    server = await start();
    child.stdin.end();
    expect(await exited, out.slice(-2000)).toBe(0);
    expect(out).toMatch(/sending PUBLISH \(d1/); // it did resend after the restart

    const counted = (await call('GET', `/v1.1/Datastreams(${ds})/Observations?$count=true&$top=1`)).json['@iot.count'];
    expect(counted).toBe(n);
    const all: number[] = [];
    for (let skip = 0; skip < n; skip += 1000) {
      const page = (await call('GET', `/v1.1/Datastreams(${ds})/Observations?$select=result&$orderby=result&$top=1000&$skip=${skip}`)).json.value!;
      all.push(...page.map((o) => o.result as number));
    }
    expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
  } finally {
    pub?.kill('SIGKILL');
    await killed(server);
    killOrphanedPostgres(dataDir);
  }
});
