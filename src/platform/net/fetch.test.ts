import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Outbound, OutboundError } from './fetch.js';
import { isPublicAddress } from './policy.js';

/** Two local servers: A answers and can redirect; B counts every request that reaches it. */
let a: http.Server;
let b: http.Server;
let portA = 0;
let portB = 0;
let hitsB = 0;

const listen = (s: http.Server, host: string) => new Promise<number>((r) => s.listen(0, host, () => r((s.address() as AddressInfo).port)));

beforeAll(async () => {
  b = http.createServer((_req, res) => {
    hitsB++;
    res.end('secret');
  });
  portB = await listen(b, '127.0.0.1');
  a = http.createServer((req, res) => {
    if (req.url?.startsWith('/to-b')) return void res.writeHead(302, { location: `http://127.0.0.1:${portB}/` }).end();
    if (req.url?.startsWith('/to-other-loopback')) return void res.writeHead(302, { location: `http://127.0.0.2:${portB}/` }).end();
    if (req.url?.startsWith('/to-metadata')) return void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    res.end('public page');
  });
  portA = await listen(a, '127.0.0.1');
});
afterAll(() => {
  a.close();
  b.close();
});

const req = { accept: '*/*', maxBytes: 1024, timeoutMs: 5000 };

describe('outbound requests', () => {
  it('classifies addresses: only public unicast passes', () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fc00::1',
      '::ffff:127.0.0.1',
      '224.0.0.1',
    ])
      expect(isPublicAddress(ip), ip).toBe(false);
    for (const ip of ['8.8.8.8', '203.113.131.1', '2001:4860:4860::8888']) expect(isPublicAddress(ip), ip).toBe(true);
  });

  it('refuses loopback, private and link-local targets by literal or by name, before connecting, with one message', async () => {
    const net = new Outbound({ allow: [] });
    try {
      for (const url of [
        `http://127.0.0.1:${portB}/`,
        `http://localhost:${portB}/`,
        `http://localhost.:${portB}/`, // resolved by DNS, refused on the answer
        `http://[::1]:${portB}/`,
        `http://[::ffff:127.0.0.1]:${portB}/`,
        'http://169.254.169.254/latest/meta-data/',
        'file:///etc/passwd',
      ]) {
        const e = await net.get(url, req).catch((x: unknown) => x);
        expect(e, url).toBeInstanceOf(OutboundError);
        expect((e as Error).message).toMatch(/^cannot reach /);
      }
      expect(hitsB).toBe(0);
      // A closed port on an allowed host reads the same as a refused address: no port-scan oracle.
      const open = new Outbound({ allow: ['127.0.0.1:1'] });
      const closed = await open.get('http://127.0.0.1:1/', req).catch((x: Error) => x.message);
      await open.close();
      expect(closed).toBe('cannot reach http://127.0.0.1:1');
    } finally {
      await net.close();
    }
  });

  it('follows redirects only to targets the policy allows, checking every hop', async () => {
    const net = new Outbound({ allow: [`127.0.0.1:${portA}`] });
    try {
      expect((await net.get(`http://127.0.0.1:${portA}/`, req)).body.toString()).toBe('public page');
      for (const path of ['/to-b', '/to-other-loopback', '/to-metadata']) {
        const e = await net.get(`http://127.0.0.1:${portA}${path}`, req).catch((x: unknown) => x);
        expect(e, path).toBeInstanceOf(OutboundError);
      }
      expect(hitsB).toBe(0);
      const both = new Outbound({ allow: [`127.0.0.1:${portA}`, `127.0.0.1:${portB}`] });
      expect((await both.get(`http://127.0.0.1:${portA}/to-b`, req)).body.toString()).toBe('secret');
      await both.close();
      expect(hitsB).toBe(1);
    } finally {
      await net.close();
    }
  });

  it('caps the body size', async () => {
    const net = new Outbound({ allow: ['127.0.0.1'] });
    await expect(net.get(`http://127.0.0.1:${portA}/`, { ...req, maxBytes: 4 })).rejects.toThrow(/more than 4 bytes/);
    await net.close();
  });
});
