import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { capConnections } from './connection-cap.js';

describe('connection cap', () => {
  it('closes connections beyond the per-address cap and serves the others', async () => {
    const server = http.createServer((_req, res) => res.end('ok'));
    capConnections(server, 3);
    const port = await new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as AddressInfo).port)));
    const sockets: net.Socket[] = [];
    const closed: boolean[] = [];
    try {
      for (let i = 0; i < 5; i++) {
        const s = net.connect(port, '127.0.0.1');
        const idx = i;
        closed[idx] = false;
        s.on('close', () => (closed[idx] = true));
        s.on('error', () => undefined);
        await new Promise((r) => s.once('connect', r));
        sockets.push(s);
      }
      await new Promise((r) => setTimeout(r, 200));
      expect(closed).toEqual([false, false, false, true, true]);
      // The held connections still get answers.
      const answer = await new Promise<string>((resolve) => {
        sockets[0]!.once('data', (d) => resolve(d.toString()));
        sockets[0]!.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      });
      expect(answer).toMatch(/200 OK[\s\S]*ok$/);
      // Once one closes, a new one is accepted.
      sockets[1]!.destroy();
      await new Promise((r) => setTimeout(r, 100));
      const again = net.connect(port, '127.0.0.1');
      let againClosed = false;
      again.on('close', () => (againClosed = true));
      await new Promise((r) => again.once('connect', r));
      await new Promise((r) => setTimeout(r, 100));
      expect(againClosed).toBe(false);
      again.destroy();
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
    }
  });
});
