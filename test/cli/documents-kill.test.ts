import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { killed, killOrphanedPostgres, startServer, tinhsoIn } from './server.js';

/**
 * Documents sent while the real server is killed with `kill -9`: every send it acknowledged (201)
 * is still in the outbox after the restart and reaches its recipient exactly once.
 */
const PORT = 18482;
const BASE = `http://127.0.0.1:${PORT}`;
let dataDir: string;
let token: string;

const tinhso = (...args: string[]) => tinhsoIn(dataDir, ...args);
const start = () => startServer(dataDir, PORT);

const call = async (method: string, url: string, body?: unknown) => {
  const r = await fetch(`${BASE}${url}`, {
    method,
    headers: { authorization: token, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: r.status, json: (await r.json().catch(() => null)) as Record<string, unknown> };
};

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-doc-kill-'));
  fs.chmodSync(dataDir, 0o755);
  expect(tinhso('user', 'create', '--email', 'vanthu@example.org', '--password', 'mat-khau-rat-dai', '--name', 'Văn thư', '--sysadmin').status).toBe(0);
  const t = tinhso('token', 'create', '--email', 'vanthu@example.org');
  expect(t.status, t.stderr).toBe(0);
  token = t.stdout.trim().split('\n').at(-1)!;
});
afterAll(() => {
  killOrphanedPostgres(dataDir);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('loses no acknowledged send across kill -9, and delivers each exactly once', { timeout: 240_000 }, async () => {
  let server = await start();
  try {
    const me = (await call('GET', '/api/v1/auth/me')).json as { user: { id: string } };
    for (const [slug, code] of [
      ['so-tnmt', '000.00.15.H58'],
      ['so-khcn', '000.00.20.H58'],
    ] as const) {
      const org = (await call('GET', `/api/v1/organizations/${slug}`)).json as { id: string };
      expect((await call('PATCH', `/api/v1/organizations/${org.id}`, { organCode: code })).status).toBe(200);
      expect((await call('PUT', `/api/v1/organizations/${org.id}/members/${me.user.id}`, { role: 'editor' })).status).toBe(204);
    }
    const send = (i: number) =>
      call('POST', '/api/v1/documents/orgs/so-tnmt/outbox', {
        to: ['000.00.20.H58'],
        code_number: String(100 + i),
        code_notation: 'STNMT',
        promulgation_date: '14/11/2026',
        doc_type: '1.18',
        subject: `Công văn số ${100 + i} về số liệu quan trắc`,
      }).catch(() => ({ status: 0, json: {} as Record<string, unknown> }));
    // Sends in flight, five at a time; the server is killed while they are.
    const acknowledged: string[] = [];
    let i = 0;
    const sender = (async () => {
      while (i < 200) {
        const batch = await Promise.all([0, 1, 2, 3, 4].map(() => send(i++)));
        for (const r of batch) if (r.status === 201) acknowledged.push(String(r.json.document_id));
        if (batch.some((r) => r.status === 0)) return;
      }
    })();
    while (acknowledged.length < 15) await new Promise((r) => setTimeout(r, 10));
    await killed(server);
    await sender;
    expect(acknowledged.length).toBeGreaterThanOrEqual(15);
    server = await start();
    // Every acknowledged document is in the outbox and reaches the recipient's inbox, once.
    const until = Date.now() + 60_000;
    let inbox: { document_id: string }[] = [];
    for (;;) {
      inbox = (await call('GET', '/api/v1/documents/orgs/so-khcn/inbox?after=0&limit=500')).json.items as { document_id: string }[];
      if (acknowledged.every((d) => inbox.some((x) => x.document_id === d)) || Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const outbox = (await call('GET', '/api/v1/documents/orgs/so-tnmt/outbox?after=0&limit=500')).json.items as { document_id: string }[];
    for (const d of acknowledged) {
      expect(
        outbox.filter((x) => x.document_id === d),
        `outbox ${d}`,
      ).toHaveLength(1);
      expect(
        inbox.filter((x) => x.document_id === d),
        `inbox ${d} (${inbox.length} in the inbox, ${outbox.length} sent)`,
      ).toHaveLength(1);
    }
    expect(new Set(inbox.map((x) => x.document_id)).size).toBe(inbox.length);
  } finally {
    await killed(server);
  }
});
