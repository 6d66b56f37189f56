import fs from 'node:fs';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The gateway over TLS, asking every client for a certificate (mutual TLS). The certificate is not
 * checked against a CA: its SHA-256 fingerprint must be registered for the client it names
 * (`tinhso exchange cert`), as X-Road registers its members' certificates. Only `/r1/` is served
 * here; the portal stays on the main listener.
 */
export async function listenTls(
  opts: { port: number; certFile: string; keyFile: string; host: string },
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<https.Server> {
  const server = https.createServer(
    { cert: fs.readFileSync(opts.certFile), key: fs.readFileSync(opts.keyFile), requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' },
    (req, res) => {
      if (req.url?.startsWith('/r1/')) return handle(req, res);
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"type":"Client.BadRequest","message":"Only /r1/ is served on this port."}');
    },
  );
  server.headersTimeout = 20_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return server;
}
