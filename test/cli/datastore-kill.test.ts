import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { killed, killOrphanedPostgres, startServer, tinhsoAsync, tinhsoIn } from './server.js';

/** A datastore load interrupted by `kill -9` of the real server: the previous version survives and the load can be run again. */
const PORT = 18481;
const BASE = `http://127.0.0.1:${PORT}`;
let dataDir: string;
let token: string;

const tinhso = (...args: string[]) => tinhsoIn(dataDir, ...args);
const start = () => startServer(dataDir, PORT);

const api = async (action: string, params: Record<string, unknown>) => {
  const r = await fetch(`${BASE}/api/3/action/${action}`, {
    method: 'POST',
    headers: { authorization: token, 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return (await r.json()) as { success: boolean; result: Record<string, unknown> & { records?: Record<string, unknown>[] } };
};

async function upload(action: string, fields: Record<string, string>, body: Buffer): Promise<string> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set('upload', new Blob([new Uint8Array(body)], { type: 'text/csv' }), 'so-lieu.csv');
  const r = (await (await fetch(`${BASE}/api/3/action/${action}`, { method: 'POST', headers: { authorization: token }, body: form })).json()) as {
    result: { id: string };
  };
  return r.result.id;
}

const loads = async (rid: string) =>
  (
    (await (await fetch(`${BASE}/api/v1/datastore/${rid}/loads`, { headers: { authorization: token } })).json()) as {
      loads: { status: string; version: number | null }[];
    }
  ).loads;

async function waitFor(rid: string, ok: (l: { status: string }[]) => boolean, ms = 60_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const l = await loads(rid);
    if (ok(l)) return l;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out: ${JSON.stringify(await loads(rid))}`);
}

const rows = (n: number) =>
  Buffer.from(['ma,ten,so_luong', ...Array.from({ length: n }, (_, i) => `${i + 1},Xã ${i % 97},${(i * 7) % 1000}`)].join('\n') + '\n');

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-kill-'));
  fs.chmodSync(dataDir, 0o755);
  expect(tinhso('user', 'create', '--email', 'ds@example.org', '--password', 'mat-khau-rat-dai', '--name', 'DS', '--sysadmin').status).toBe(0);
  const t = tinhso('token', 'create', '--email', 'ds@example.org');
  expect(t.status, t.stderr).toBe(0);
  token = t.stdout.trim().split('\n').at(-1)!;
});
afterAll(() => {
  killOrphanedPostgres(dataDir);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('keeps the previous version after kill -9 during a load, and loads again on request', { timeout: 180_000 }, async () => {
  let server = await start();
  try {
    const pkg = await api('package_create', { name: 'so-lieu-kill', title: 'Số liệu', owner_org: 'so-khcn' });
    expect(pkg.success).toBe(true);
    const rid = await upload('resource_create', { package_id: String(pkg.result.id) }, rows(10));
    await waitFor(rid, (l) => l[0]?.status === 'loaded');
    await upload('resource_update', { id: rid }, rows(600_000));
    await waitFor(rid, (l) => l.length === 2 && l[0]!.status === 'running');
    await new Promise((r) => setTimeout(r, 400));
    await killed(server);
    server = await start();
    const after = await api('datastore_search', { resource_id: rid, limit: 0 });
    expect(after.result.total).toBe(10);
    const info = await api('datastore_info', { id: rid });
    expect((info.result.meta as { version: number }).version).toBe(1);
    const again = await fetch(`${BASE}/api/v1/datastore/${rid}/loads`, { method: 'POST', headers: { authorization: token } });
    expect(again.status).toBe(202);
    const done = await waitFor(rid, (l) => l.length === 3 && l[0]!.status !== 'queued' && l[0]!.status !== 'running', 120_000);
    expect(done[0]!.status).toBe('loaded');
    expect(done[1]!.status).toBe('failed');
    expect((await api('datastore_search', { resource_id: rid, limit: 0 })).result.total).toBe(600_000);
    // The command line loads it again beside the running server, with a progress bar (%, MB, ETA, rows) on stderr.
    const cli = await tinhsoAsync(['datastore', 'load', rid, '--data-dir', dataDir]);
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/^loaded 600000 rows as version 3 \(load [0-9a-f-]{36}\)$/m);
    expect(cli.stderr, cli.stderr).toMatch(/100% \| [\d.]+\/[\d.]+ MB \| ETA \S+ \| 600000 dòng \/ rows/);
    expect((await loads(rid))[0]).toMatchObject({ status: 'loaded', version: 3 });
  } finally {
    await killed(server);
  }
});
