import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { A, applyFile, B_SUB, C_SUB, call, LIMITED_SUB, rawGet, registryFile, SERVICE, startProvider, tokenFor } from './helpers.js';

const settle = () => new Promise((r) => setTimeout(r, 1200));

describe('exchange gateway (X-Road REST protocol)', () => {
  let t: TestApp;
  let base: string;
  let provider: Awaited<ReturnType<typeof startProvider>>;
  let bToken: string;
  let cToken: string;

  beforeAll(async () => {
    provider = await startProvider();
    t = await createTestApp();
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const reg = registryFile(provider.url);
    const first = await applyFile(t, reg.yaml, reg.dir);
    expect(first.changes).toContain(`+ service ${SERVICE} → ${provider.url}/api/`);
    expect((await applyFile(t, reg.yaml, reg.dir)).changes).toEqual([]);
    bToken = await tokenFor(t, B_SUB);
    cToken = await tokenFor(t, C_SUB);
    await settle();
  });
  afterAll(async () => {
    await t?.close();
    await provider?.close();
  });

  it('calls a granted endpoint with the X-Road headers, passing user headers and dropping the platform’s', async () => {
    const r = await call(base, `/r1/${SERVICE}/stations/NT01?lang=vi`, {
      token: bToken,
      client: B_SUB,
      headers: { 'x-road-id': 'msg-0001', 'x-custom': 'gia tri', cookie: 'tinhso_session=secret', 'x-road-userid': 'VN123' },
    });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ ma_tram: 'NT01', ten: 'Trạm Phan Rang', pm25: 21.5 });
    expect(r.headers['x-road-id']).toBe('msg-0001');
    expect(r.headers['x-road-client']).toBe(B_SUB);
    expect(r.headers['x-road-service']).toBe(SERVICE);
    expect(r.headers['x-road-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(Buffer.from(String(r.headers['x-road-request-hash']), 'base64')).toHaveLength(64);
    expect(r.headers['x-provider']).toBe('yes');
    expect(r.headers.server).toBeUndefined();
    expect(r.headers['set-cookie']).toBeUndefined();
    const seen = provider.seen.at(-1)!;
    expect(seen.url).toBe('/api/stations/NT01?lang=vi');
    expect(seen.headers['x-road-client']).toBe(B_SUB);
    expect(seen.headers['x-road-id']).toBe('msg-0001');
    expect(seen.headers['x-road-userid']).toBe('VN123');
    expect(seen.headers['x-custom']).toBe('gia tri');
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.headers.cookie).toBeUndefined();
  });

  it('denies by default: an endpoint, a method or a client not granted', async () => {
    const obs = await call(base, `/r1/${SERVICE}/stations/NT01/observations`, { token: bToken, client: B_SUB });
    expect(obs.status).toBe(403);
    expect(obs.headers['x-road-error']).toBe('Server.ServerProxy.AccessDenied');
    expect(obs.json()).toMatchObject({ type: 'Server.ServerProxy.AccessDenied', detail: obs.headers['x-road-request-id'] });
    expect((await call(base, `/r1/${SERVICE}/stations/NT01`, { token: bToken, client: B_SUB, method: 'DELETE' })).status).toBe(403);
    const other = await call(base, `/r1/${SERVICE}/stations/NT01`, { token: cToken, client: C_SUB });
    expect(other.status).toBe(403);
    // A member-level grant covers each of its subsystems.
    expect((await call(base, `/r1/${A}/quan-trac/echo`, { token: cToken, client: C_SUB, method: 'POST', body: 'x' })).status).toBe(200);
  });

  it('refuses a missing credential, another client’s identity and malformed identifiers', async () => {
    const none = await call(base, `/r1/${SERVICE}/stations/NT01`, { client: B_SUB });
    expect([none.status, none.headers['x-road-error']]).toEqual([401, 'Server.ClientProxy.AuthenticationFailed']);
    const bad = await call(base, `/r1/${SERVICE}/stations/NT01`, { token: 'xr_not-a-token', client: B_SUB });
    expect(bad.status).toBe(401);
    const spoof = await call(base, `/r1/${SERVICE}/stations/NT01`, { token: cToken, client: B_SUB });
    expect([spoof.status, spoof.headers['x-road-error']]).toEqual([403, 'Server.ClientProxy.ClientIdentityMismatch']);
    const noClient = await call(base, `/r1/${SERVICE}/stations/NT01`, { token: bToken });
    expect([noClient.status, noClient.headers['x-road-error']]).toEqual([400, 'Client.InvalidClientIdentifier']);
    const badClient = await call(base, `/r1/${SERVICE}/stations/NT01`, { token: bToken, client: 'VN-NT/GOV' });
    expect(badClient.status).toBe(400);
    const shortPath = await call(base, `/r1/VN-NT/GOV/000.00.15.H58`, { token: bToken, client: B_SUB });
    expect([shortPath.status, shortPath.headers['x-road-error']]).toEqual([400, 'Client.InvalidServiceIdentifier']);
    const h = { authorization: `Bearer ${bToken}`, 'x-road-client': B_SUB };
    expect(await rawGet(base, `/r1/${SERVICE}/stations/%2e%2e/secret`, h)).toEqual({ status: 400, error: 'Client.BadRequest' });
    expect(await rawGet(base, `/r1/${SERVICE}/stations/../../x`, h)).toEqual({ status: 400, error: 'Client.BadRequest' });
    expect(await rawGet(base, `/r1/${SERVICE}/stations/a%2Fb`, h)).toEqual({ status: 400, error: 'Client.BadRequest' });
    const unknown = await call(base, `/r1/${A}/quan-trac/khong-co/x`, { token: bToken, client: B_SUB });
    expect([unknown.status, unknown.headers['x-road-error']]).toEqual([404, 'Server.ServerProxy.UnknownService']);
    const en = await call(base, `/r1/${A}/quan-trac/khong-co/x`, { token: bToken, client: B_SUB, headers: { 'accept-language': 'en' } });
    expect(String(en.json().message)).toMatch(/^No service/);
  });

  it('passes the provider’s own errors and redirects untouched, and reports a down or slow provider within the timeout', async () => {
    const teapot = await call(base, `/r1/${SERVICE}/teapot`, { token: bToken, client: B_SUB });
    expect([teapot.status, teapot.text, teapot.headers['x-road-error']]).toEqual([418, '{"loi":"provider error"}', undefined]);
    const moved = await call(base, `/r1/${SERVICE}/moved`, { token: bToken, client: B_SUB });
    expect([moved.status, moved.headers.location]).toEqual([302, 'http://10.1.2.3/elsewhere']);
    const down = await call(base, `/r1/${A}/quan-trac/tat/x`, { token: bToken, client: B_SUB });
    expect([down.status, down.headers['x-road-error']]).toEqual([500, 'Server.ServerProxy.NetworkError']);
    expect(String(down.json().message)).toMatch(/ECONNREFUSED/);
    const started = Date.now();
    const slow = await call(base, `/r1/${SERVICE}/slow?ms=3000`, { token: bToken, client: B_SUB });
    expect([slow.status, slow.headers['x-road-error']]).toEqual([500, 'Server.ServerProxy.Timeout']);
    expect(Date.now() - started).toBeLessThan(2900);
  });

  it('streams a request body through and echoes it, and keeps the bodies of a service that logs them', async () => {
    const body = Buffer.from(JSON.stringify({ ten: 'Hồ Sông Trâu', gia_tri: [1, 2, 3] }));
    const r = await call(base, `/r1/${A}/quan-trac/echo`, {
      token: bToken,
      client: B_SUB,
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-road-id': 'echo-1' },
    });
    expect(r.status).toBe(200);
    expect(r.text).toBe(body.toString());
    // durable_log: the record was committed before the response was released.
    const { rows } = await sql<{ seq: string }>`select seq from xr_message_log where message_id = 'echo-1'`.execute(t.db.db);
    expect(rows).toHaveLength(1);
    // The bodies are attached once the response has streamed out (the writer's attachBodies), so
    // they may land a moment after the client has the whole answer.
    let bodies = { rows: [] as { request: Buffer; response: Buffer }[] };
    for (let i = 0; i < 100 && !bodies.rows[0]; i++) {
      bodies = await sql<{ request: Buffer; response: Buffer }>`select request, response from xr_message_body where seq = ${rows[0]!.seq}`.execute(t.db.db);
      if (!bodies.rows[0]) await new Promise((res) => setTimeout(res, 50));
    }
    expect(bodies.rows[0]!.request.toString()).toBe(body.toString());
    expect(bodies.rows[0]!.response.toString()).toBe(body.toString());
  });

  it('answers the metaservices with the specified shapes', async () => {
    const clients = (await call(base, '/r1/listClients', { token: bToken, client: B_SUB })).json() as {
      member: { id: Record<string, string>; name: string }[];
    };
    expect(clients.member).toContainEqual({
      id: { member_class: 'GOV', member_code: '000.00.20.H58', object_type: 'SUBSYSTEM', subsystem_code: 'cong-du-lieu', xroad_instance: 'VN-NT' },
      name: 'Sở Khoa học và Công nghệ',
    });
    const methods = (await call(base, `/r1/${A}/quan-trac/listMethods`, { token: bToken, client: B_SUB })).json() as { service: Record<string, unknown>[] };
    expect(methods.service.map((s) => s.service_code).sort()).toEqual(['echo', 'tat', 'tram-quan-trac']);
    expect(methods.service.find((s) => s.service_code === 'tram-quan-trac')).toEqual({
      xroad_instance: 'VN-NT',
      member_class: 'GOV',
      member_code: '000.00.15.H58',
      subsystem_code: 'quan-trac',
      service_code: 'tram-quan-trac',
      service_type: 'OPENAPI',
      endpoint_list: [
        { method: 'GET', path: '/stations/{id}' },
        { method: 'GET', path: '/stations/{id}/observations' },
      ],
    });
    const allowedB = (await call(base, `/r1/${A}/quan-trac/allowedMethods`, { token: bToken, client: B_SUB })).json() as { service: Record<string, unknown>[] };
    const tram = allowedB.service.find((s) => s.service_code === 'tram-quan-trac')!;
    expect(tram.endpoint_list).toContainEqual({ method: 'GET', path: '/stations/*' });
    const allowedC = (await call(base, `/r1/${A}/quan-trac/allowedMethods`, { token: cToken, client: C_SUB })).json() as { service: Record<string, unknown>[] };
    expect(allowedC.service.map((s) => s.service_code)).toEqual(['echo']);
    const api = await call(base, `/r1/${A}/quan-trac/getOpenAPI?serviceCode=tram-quan-trac`, { token: bToken, client: B_SUB });
    expect(api.status).toBe(200);
    expect(api.text).toContain('/stations/{id}/observations');
    const none = await call(base, `/r1/${A}/quan-trac/getOpenAPI?serviceCode=echo`, { token: bToken, client: B_SUB });
    expect(none.status).toBe(404);
  });

  it('limits a client’s calls per minute, with Retry-After', async () => {
    const token = await tokenFor(t, LIMITED_SUB);
    // All calls inside one minute window (the limit counts per calendar minute).
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 5_000) await new Promise((r) => setTimeout(r, left + 50));
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(base, `/r1/${A}/quan-trac/echo`, { token, client: LIMITED_SUB, method: 'POST', body: 'x' })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const last = await call(base, `/r1/${A}/quan-trac/echo`, { token, client: LIMITED_SUB, method: 'POST', body: 'x' });
    expect([last.status, last.headers['x-road-error']]).toEqual([429, 'Server.ClientProxy.RateLimitExceeded']);
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('applies a registry change without dropping a call in flight', async () => {
    const inFlight = call(base, `/r1/${SERVICE}/slow?ms=700`, { token: bToken, client: B_SUB });
    await new Promise((r) => setTimeout(r, 100));
    const reg = registryFile(provider.url);
    const revoked = reg.yaml.replace('"GET /stations/*", ', '');
    const { changes } = await applyFile(t, revoked, reg.dir);
    expect(changes).toEqual([`- access ${SERVICE} ← ${B_SUB} GET /stations/*`]);
    expect((await inFlight).status).toBe(200);
    await settle();
    expect((await call(base, `/r1/${SERVICE}/stations/NT01`, { token: bToken, client: B_SUB })).status).toBe(403);
  });

  it('counts calls per service in /metrics for a sysadmin only', async () => {
    const admin = await t.userWithToken({ email: 'ops@example.org', sysadmin: true });
    const m = await t.app.inject({ url: '/metrics', headers: admin.auth });
    expect(m.statusCode).toBe(200);
    expect(m.body).toMatch(new RegExp(`tinhso_exchange_calls_total\\{service="${SERVICE}",status="200"\\} \\d+`));
    expect(m.body).toContain('tinhso_exchange_duration_seconds_bucket');
    expect((await t.app.inject({ url: '/metrics' })).statusCode).toBe(401);
  });
});
