import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { applyFile, B_SUB, tokenFor } from './helpers.js';

const GB = 1024 ** 3;
const CHUNK = Buffer.alloc(256 * 1024, 'dữ liệu quan trắc;');

/** `total` bytes, one reused chunk at a time (nothing held). */
const bytes = (total: number) => {
  let left = total;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, CHUNK.length);
      left -= n;
      this.push(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n));
    },
  });
};

/**
 * 1 GB up and 1 GB down through the gateway with flat memory: neither buffered nor spooled.
 * (The provider counts what it receives and answers with as much.)
 */
describe('exchange gateway streaming', () => {
  let t: TestApp;
  let base: string;
  let provider: http.Server;
  let received = 0;

  beforeAll(async () => {
    provider = http.createServer((req, res) => {
      req.on('data', (c: Buffer) => (received += c.length));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(GB) });
        bytes(GB).pipe(res);
      });
    });
    await new Promise<void>((r) => provider.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/`;
    t = await createTestApp();
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    await applyFile(
      t,
      `instance: VN-NT
members:
  - class: GOV
    code: 000.00.15.H58
    name: Sở Tài nguyên và Môi trường
    subsystems:
      - code: quan-trac
        services:
          - code: luu-tru
            url: ${url}
            timeout_ms: 60000
  - class: GOV
    code: 000.00.20.H58
    name: Sở Khoa học và Công nghệ
    subsystems:
      - code: cong-du-lieu
access:
  - service: VN-NT/GOV/000.00.15.H58/quan-trac/luu-tru
    clients: [${B_SUB}]
`,
      '.',
    );
    await new Promise((r) => setTimeout(r, 1200));
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((r) => provider?.close(r));
  });

  it('passes a 1 GB request and a 1 GB response with flat memory', { timeout: 180_000 }, async () => {
    const token = await tokenFor(t, B_SUB);
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    try {
      const res = await request(`${base}/r1/VN-NT/GOV/000.00.15.H58/quan-trac/luu-tru/upload`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'x-road-client': B_SUB, 'content-type': 'application/octet-stream', 'content-length': String(GB) },
        body: bytes(GB),
        headersTimeout: 120_000,
        bodyTimeout: 120_000,
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-road-request-hash']).toBeTruthy();
      let down = 0;
      for await (const c of res.body) down += (c as Buffer).length;
      expect(down).toBe(GB);
      expect(received).toBe(GB);
    } finally {
      clearInterval(sampler);
    }
    // Client, gateway and provider share this process: 2 GB moved, a few chunks in flight at a time.
    expect(peak - before).toBeLessThan(150 * 1024 * 1024);
  });
});
