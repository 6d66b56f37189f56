import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { record, ROOT, waitHealthy } from './lib.js';

/**
 * Authenticated JSON reads through the whole app against a bare Fastify route returning a
 * constant, in the same run, with the same load (autocannon, 20 connections, 10 s each).
 */
async function load(url: string, headers: Record<string, string> = {}) {
  const r = await autocannon({ url, connections: 20, duration: 10, headers });
  return {
    reqPerSec: Math.round(r.requests.average),
    p50ms: r.latency.p50,
    p90ms: r.latency.p90,
    p97_5ms: r.latency.p97_5,
    p99ms: r.latency.p99,
    errors: r.errors,
    non2xx: r.non2xx,
  };
}

export async function run(): Promise<void> {
  const bare = Fastify();
  bare.get('/bare', async () => ({ status: 'ok', items: [{ id: 1, name: 'Sở Khoa học và Công nghệ' }] }));
  await bare.listen({ port: 18181, host: '127.0.0.1' });

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-bench-'));
  fs.chmodSync(dataDir, 0o755);
  const port = 18082;
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/tinhso.js'), 'start', '--demo', '--port', String(port), '--data-dir', dataDir], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  try {
    await waitHealthy(`http://127.0.0.1:${port}`);
    const tokenOut = await new Promise<string>((resolve, reject) => {
      const c = spawn(
        process.execPath,
        [path.join(ROOT, 'bin/tinhso.js'), 'token', 'create', '--email', 'khcn@ninhthuan.tinhso.vn', '--data-dir', dataDir, '--name', 'bench'],
        { cwd: ROOT },
      );
      let out = '';
      c.stdout.on('data', (d: Buffer) => (out += d.toString()));
      c.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`token create exited ${code}`))));
    });
    const token = tokenOut.trim().split('\n').pop()!;
    const auth = { authorization: `Bearer ${token}` };
    const bareResult = await load('http://127.0.0.1:18181/bare');
    // The platform's own cost: token auth, hooks, security headers, schema serialisation.
    const me = await load(`http://127.0.0.1:${port}/api/v1/auth/me`, auth);
    // A read that also queries the database (organization with parents and children).
    const org = await load(`http://127.0.0.1:${port}/api/v1/organizations/so-khcn`, auth);
    const ratio = (r: { reqPerSec: number }) => Math.round((r.reqPerSec / bareResult.reqPerSec) * 100) / 100;
    record('api-read', { bare: bareResult, authMe: { ...me, ratio: ratio(me) }, orgDetail: { ...org, ratio: ratio(org) }, budget: { ratio: 0.3 } });
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    await bare.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
