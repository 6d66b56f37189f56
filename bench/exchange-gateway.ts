import { execSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { request } from 'undici';
import { record, ROOT, sleep, treeRssMiB, waitHealthy } from './lib.js';

/**
 * The exchange gateway (message log on) next to Debian nginx `proxy_pass` with keepalive, in front
 * of the same providers, in the same run: a small Fastify JSON service (its own process) and a
 * static file (served by nginx). autocannon at 32 connections, 10 s each; added latency at one
 * connection as p50 of 3,000 sequential calls (gateway minus direct).
 */
const PROVIDER = 18301;
const NGINX = 18302;
const STATIC = 18303;
const APP = 18304;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENT = 'VN-NT/GOV/000.00.20.H58/cong-du-lieu';

async function load(url: string, headers: Record<string, string> = {}) {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
  return { reqPerSec: Math.round(r.requests.average), p50ms: r.latency.p50, p99ms: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

/** p50 and p95 (µs) of sequential calls on one keep-alive connection. */
async function sequential(url: string, headers: Record<string, string>, n = 3000) {
  const times: number[] = [];
  for (let i = 0; i < n + 200; i++) {
    const t0 = process.hrtime.bigint();
    const r = await request(url, { headers });
    await r.body.arrayBuffer();
    if (i >= 200) times.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return { p50us: Math.round(times[Math.floor(n / 2)]!), p95us: Math.round(times[Math.floor(n * 0.95)]!) };
}

const cli = (dataDir: string, ...args: string[]) =>
  new Promise<string>((resolve, reject) => {
    const c = spawn(process.execPath, [path.join(ROOT, 'bin/tinhso.js'), ...args, '--data-dir', dataDir], { cwd: ROOT, env: { ...process.env } });
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => process.stderr.write(d));
    c.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`tinhso ${args.join(' ')} exited ${code}`))));
  });

export async function run(): Promise<void> {
  // The gateway as `npm start` runs it: the compiled build, not the sources through tsx.
  execSync('node scripts/build-if-needed.mjs', { cwd: ROOT, stdio: 'inherit' });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-xr-bench-'));
  fs.chmodSync(work, 0o755);
  const children: ChildProcess[] = [];
  try {
    // Provider (Fastify JSON) in its own process.
    const provider = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/exchange-provider.ts'), String(PROVIDER)], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    children.push(provider);
    await new Promise((r) => provider.once('message', r));
    // nginx: a static file, and proxy_pass with keepalive to the provider.
    fs.mkdirSync(path.join(work, 'www/api/files'), { recursive: true });
    fs.writeFileSync(path.join(work, 'www/api/files/tram.json'), JSON.stringify({ ma_tram: 'NT01', ten: 'Trạm quan trắc Phan Rang', pm25: 21.5 }));
    fs.writeFileSync(
      path.join(work, 'nginx.conf'),
      `worker_processes 1;
daemon off;
pid ${work}/nginx.pid;
error_log ${work}/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  upstream provider { server 127.0.0.1:${PROVIDER}; keepalive 64; }
  upstream files { server 127.0.0.1:${STATIC}; keepalive 64; }
  server { listen 127.0.0.1:${STATIC}; root ${work}/www; }
  server {
    listen 127.0.0.1:${NGINX};
    location /json/ { proxy_pass http://provider/; proxy_http_version 1.1; proxy_set_header Connection ""; }
    location /static/ { proxy_pass http://files/; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
`,
    );
    const nginx = spawn('/usr/sbin/nginx', ['-c', path.join(work, 'nginx.conf'), '-p', work], { stdio: 'inherit' });
    children.push(nginx);
    // Tỉnh Số with the registry: the JSON service and the static file as two services.
    const dataDir = path.join(work, 'data');
    fs.writeFileSync(
      path.join(work, 'registry.yaml'),
      `instance: VN-NT
members:
  - class: GOV
    code: 000.00.15.H58
    name: Sở Tài nguyên và Môi trường
    subsystems:
      - code: quan-trac
        services:
          - code: tram
            url: http://127.0.0.1:${PROVIDER}/api/
          - code: tep
            url: http://127.0.0.1:${STATIC}/api/files/
  - class: GOV
    code: 000.00.20.H58
    name: Sở Khoa học và Công nghệ
    subsystems:
      - code: cong-du-lieu
access:
  - service: VN-NT/GOV/000.00.15.H58/quan-trac/tram
    clients: [${CLIENT}]
  - service: VN-NT/GOV/000.00.15.H58/quan-trac/tep
    clients: [${CLIENT}]
`,
    );
    const env = { ...process.env, LOG_LEVEL: 'warn', TINHSO_OUTBOUND_ALLOW: '127.0.0.1' };
    const app = spawn(process.execPath, [path.join(ROOT, 'bin/tinhso.js'), 'start', '--port', String(APP), '--data-dir', dataDir], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env,
    });
    children.push(app);
    await waitHealthy(`http://127.0.0.1:${APP}`);
    await cli(dataDir, 'exchange', 'apply', path.join(work, 'registry.yaml'));
    const token = (await cli(dataDir, 'exchange', 'token', 'create', '--client', CLIENT)).trim().split('\n').pop()!;
    await sleep(1500);
    const xr = { authorization: `Bearer ${token}`, 'x-road-client': CLIENT };
    const gw = `http://127.0.0.1:${APP}/r1/VN-NT/GOV/000.00.15.H58/quan-trac`;
    const check = await request(`${gw}/tram/stations/NT01`, { headers: xr });
    if (check.statusCode !== 200) throw new Error(`gateway answered ${check.statusCode}: ${await check.body.text()}`);
    await check.body.dump();

    const rssBefore = treeRssMiB(app.pid!);
    const json = {
      direct: await load(`http://127.0.0.1:${PROVIDER}/api/stations/NT01`),
      nginx: await load(`http://127.0.0.1:${NGINX}/json/api/stations/NT01`),
      gateway: await load(`${gw}/tram/stations/NT01`, xr),
    };
    const files = {
      direct: await load(`http://127.0.0.1:${STATIC}/api/files/tram.json`),
      nginx: await load(`http://127.0.0.1:${NGINX}/static/api/files/tram.json`),
      gateway: await load(`${gw}/tep/tram.json`, xr),
    };
    const rssAfter = treeRssMiB(app.pid!);
    const oneDirect = await sequential(`http://127.0.0.1:${PROVIDER}/api/stations/NT01`, {});
    const oneGateway = await sequential(`${gw}/tram/stations/NT01`, xr);
    const logged = Number((await cli(dataDir, 'exchange', 'log', 'verify')).match(/(\d+) records/)?.[1] ?? 0);
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    record('exchange-gateway', {
      connections: CONNECTIONS,
      seconds: SECONDS,
      json: { ...json, gatewayVsNginx: ratio(json.gateway.reqPerSec, json.nginx.reqPerSec), nginxVsDirect: ratio(json.nginx.reqPerSec, json.direct.reqPerSec) },
      staticFile: { ...files, gatewayVsNginx: ratio(files.gateway.reqPerSec, files.nginx.reqPerSec) },
      oneConnection: { direct: oneDirect, gateway: oneGateway, addedP50us: oneGateway.p50us - oneDirect.p50us },
      messageLog: { recordsVerified: logged },
      appRssMiB: { before: rssBefore, after: rssAfter },
      budget: { gatewayVsNginx: 0.8, addedP50us: 2000 },
    });
  } finally {
    for (const c of children.reverse()) c.kill('SIGTERM');
    await sleep(1000);
    fs.rmSync(work, { recursive: true, force: true });
  }
}
