import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerClientCert } from '../../src/modules/exchange/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { freePort } from '../helpers/net.js';
import { applyFile, B_SUB, C_SUB, registryFile, SERVICE, startProvider } from './helpers.js';

/** A self-signed P-256 certificate and its key, made by openssl. */
function selfSigned(dir: string, name: string): { cert: string; key: string } {
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${name}`],
    {
      stdio: 'ignore',
    },
  );
  return { cert: fs.readFileSync(cert, 'utf8'), key: fs.readFileSync(key, 'utf8') };
}

describe('exchange gateway over mutual TLS', () => {
  let t: TestApp;
  let base: string;
  let provider: Awaited<ReturnType<typeof startProvider>>;
  let dir: string;
  let registered: { cert: string; key: string };
  let unknown: { cert: string; key: string };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xr-tls-'));
    selfSigned(dir, 'gateway');
    registered = selfSigned(dir, 'cong-du-lieu');
    unknown = selfSigned(dir, 'la');
    provider = await startProvider();
    const port = await freePort();
    t = await createTestApp({ exchangeTls: { port, certFile: path.join(dir, 'gateway.crt'), keyFile: path.join(dir, 'gateway.key') } });
    base = `https://127.0.0.1:${port}`;
    const reg = registryFile(provider.url);
    await applyFile(t, reg.yaml, reg.dir);
    await registerClientCert(t.db.db, B_SUB, registered.cert, 'cong-du-lieu.crt');
    await new Promise((r) => setTimeout(r, 1200));
  });
  afterAll(async () => {
    await t?.close();
    await provider?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const tlsCall = async (p: string, client: string, id: { cert: string; key: string }) => {
    const dispatcher = new Agent({ connect: { cert: id.cert, key: id.key, rejectUnauthorized: false } });
    try {
      const r = await request(`${base}${p}`, { headers: { 'x-road-client': client }, dispatcher });
      return { status: r.statusCode, error: r.headers['x-road-error'], body: await r.body.text() };
    } finally {
      await dispatcher.close();
    }
  };

  it('takes a registered client certificate as the credential of its subsystem', async () => {
    const ok = await tlsCall(`/r1/${SERVICE}/stations/NT03`, B_SUB, registered);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ ma_tram: 'NT03' });
  });

  it('refuses an unregistered certificate, and a registered one naming another client', async () => {
    expect(await tlsCall(`/r1/${SERVICE}/stations/NT03`, B_SUB, unknown)).toMatchObject({ status: 401, error: 'Server.ClientProxy.AuthenticationFailed' });
    expect(await tlsCall(`/r1/${SERVICE}/stations/NT03`, C_SUB, registered)).toMatchObject({ status: 403, error: 'Server.ClientProxy.ClientIdentityMismatch' });
    expect((await tlsCall('/dataset', B_SUB, registered)).status).toBe(404);
  });
});
