import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** Open connections one client address may hold at once. */
export const MAX_CONNECTIONS_PER_IP = 64;
/** Time a client has to send its request headers (slow-header clients are cut off). */
export const HEADERS_TIMEOUT_MS = 20_000;

/**
 * Caps what one address can hold open: connections beyond MAX_CONNECTIONS_PER_IP are closed at
 * once, and headers must arrive within HEADERS_TIMEOUT_MS, so a few slow clients cannot exhaust
 * the server. (Behind a reverse proxy every connection comes from the proxy: the proxy's own
 * limits apply there, and the cap here is per proxy address.)
 */
export function capConnections(server: Server, maxPerIp = MAX_CONNECTIONS_PER_IP): void {
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const ip = socket.remoteAddress ?? '';
    const n = (open.get(ip) ?? 0) + 1;
    if (n > maxPerIp) {
      socket.destroy();
      return;
    }
    open.set(ip, n);
    socket.once('close', () => {
      const left = (open.get(ip) ?? 1) - 1;
      if (left <= 0) open.delete(ip);
      else open.set(ip, left);
    });
  });
}
