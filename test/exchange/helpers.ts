import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { applyRegistry, createClientToken } from '../../src/modules/exchange/index.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.js';
import { secretBoxOf } from '../../src/platform/crypto/index.js';
import type { TestApp } from '../helpers/app.js';

export const A = 'VN-NT/GOV/000.00.15.H58';
export const SERVICE = `${A}/quan-trac/tram-quan-trac`;
export const B_SUB = 'VN-NT/GOV/000.00.20.H58/cong-du-lieu';
export const C_SUB = 'VN-NT/GOV/000.00.20.H58/thu-nghiem';
/** A subsystem only the rate-limit test calls (3 calls a minute). */
export const LIMITED_SUB = 'VN-NT/GOV/000.00.20.H58/gioi-han';

/** What the provider saw of the last request. */
export interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A small provider (the station service of the Department of Natural Resources and Environment):
 * JSON answers, an echo, its own error, a redirect, a slow answer.
 */
export async function startProvider(): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const body = Buffer.concat(parts);
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const url = req.url!;
      if (url.startsWith('/api/stations/') && !url.includes('/observations')) {
        res.writeHead(200, { 'content-type': 'application/json', server: 'provider/1.0', 'x-provider': 'yes', 'set-cookie': 'a=b' });
        res.end(JSON.stringify({ ma_tram: url.split('/')[3]!.split('?')[0], ten: 'Trạm Phan Rang', pm25: 21.5 }));
      } else if (url.startsWith('/api/stations/')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('[]');
      } else if (url === '/api/echo') {
        res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/octet-stream' });
        res.end(body);
      } else if (url === '/api/teapot') {
        res.writeHead(418, { 'content-type': 'application/json' });
        res.end('{"loi":"provider error"}');
      } else if (url === '/api/moved') {
        res.writeHead(302, { location: 'http://10.1.2.3/elsewhere' });
        res.end();
      } else if (url.startsWith('/api/slow')) {
        setTimeout(
          () => {
            res.writeHead(200, { 'content-type': 'text/plain' });
            res.end('slow');
          },
          Number(new URL(url, 'http://x').searchParams.get('ms') ?? 1500),
        );
      } else {
        res.writeHead(404);
        res.end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

export const OPENAPI = `openapi: 3.0.3
info:
  title: Trạm quan trắc
  version: "1.0"
paths:
  /stations/{id}:
    get:
      summary: Một trạm quan trắc
      parameters:
        - name: id
          in: path
          required: true
          schema: { type: string }
      responses:
        "200": { description: OK }
  /stations/{id}/observations:
    get:
      summary: Số liệu của trạm
      responses:
        "200": { description: OK }
`;

/** The registry file, with the provider's address; written to a folder with its OpenAPI file. */
export function registryFile(providerUrl: string, extra = ''): { dir: string; file: string; yaml: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xr-reg-'));
  fs.writeFileSync(path.join(dir, 'tram-quan-trac.yaml'), OPENAPI);
  const yaml = `instance: VN-NT
members:
  - class: GOV
    code: 000.00.15.H58
    name: Sở Tài nguyên và Môi trường
    subsystems:
      - code: quan-trac
        services:
          - code: tram-quan-trac
            url: ${providerUrl}/api/
            openapi: ./tram-quan-trac.yaml
            timeout_ms: 1000
          - code: echo
            url: ${providerUrl}/api/echo
            log_bodies: true
            durable_log: true
          - code: tat
            url: http://127.0.0.1:9/
            timeout_ms: 1500
  - class: GOV
    code: 000.00.20.H58
    name: Sở Khoa học và Công nghệ
    subsystems:
      - code: cong-du-lieu
      - code: thu-nghiem
        rate_per_minute: 3
      - code: gioi-han
        rate_per_minute: 3
access:
  - service: ${SERVICE}
    clients: [${B_SUB}]
    endpoints: ["GET /stations/*", "GET /teapot", "GET /moved", "GET /slow"]
  - service: ${A}/quan-trac/echo
    clients: [VN-NT/GOV/000.00.20.H58]
  - service: ${A}/quan-trac/tat
    clients: [${B_SUB}]
${extra}`;
  const file = path.join(dir, 'registry.yaml');
  fs.writeFileSync(file, yaml);
  return { dir, file, yaml };
}

export async function applyFile(t: TestApp, yaml: string, dir: string) {
  const { parse } = await import('yaml');
  const box = secretBoxOf(t.config);
  return applyRegistry(t.db.db, () => box, parse(yaml), { baseDir: dir, actor: SYSTEM_ACTOR });
}

export const tokenFor = async (t: TestApp, client: string) => (await createClientToken(t.db.db, client, 'test')).token;

/** A call through the gateway (no redirects followed). */
export async function call(
  base: string,
  p: string,
  o: { token?: string; client?: string; method?: string; body?: string | Buffer; headers?: Record<string, string> } = {},
) {
  const res = await request(`${base}${p}`, {
    method: (o.method ?? 'GET') as 'GET',
    headers: { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...(o.client ? { 'x-road-client': o.client } : {}), ...o.headers },
    body: o.body,
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

/** A GET with the path exactly as written (undici, like browsers, resolves "%2e%2e" before sending). */
export function rawGet(base: string, p: string, headers: Record<string, string>): Promise<{ status: number; error: string | undefined }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    http
      .get({ host: u.hostname, port: u.port, path: p, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, error: res.headers['x-road-error'] as string | undefined }));
      })
      .on('error', reject);
  });
}
