import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPeerToken, verifyLog } from '../../src/modules/exchange/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { applyFile, B_SUB, C_SUB, call, registryFile, SERVICE, startProvider, tokenFor } from './helpers.js';

const settle = () => new Promise((r) => setTimeout(r, 1200));
const KH_SERVICE = 'VN-KH/GOV/000.00.15.H37/quan-trac/tram';
const KH_CLIENT = 'VN-KH/GOV/000.00.20.H37/cong-du-lieu';

/**
 * Two provinces' instances call each other's services through their own gateways (each applies
 * its own access rights), and two gateway instances of one province share its registry, its
 * rate-limit counters and its log.
 */
describe('exchange federation and several gateway instances', () => {
  let nt: TestApp;
  let nt2: TestApp;
  let kh: TestApp;
  let ntBase: string;
  let nt2Base: string;
  let khBase: string;
  let provider: Awaited<ReturnType<typeof startProvider>>;

  beforeAll(async () => {
    provider = await startProvider();
    [nt, kh] = await Promise.all([createTestApp(), createTestApp()]);
    nt2 = await createTestApp({ sameDatabaseAs: nt, searchIndex: 'off' });
    const listen = (a: TestApp) => a.app.listen({ port: 0, host: '127.0.0.1' });
    ntBase = await listen(nt);
    nt2Base = await listen(nt2);
    khBase = await listen(kh);
    // Each instance issues the other a peer token; each names the other as an upstream.
    const ntForKh = (await createPeerToken(kh.db.db, 'VN-NT', 'Ninh Thuận')).token;
    const khForNt = (await createPeerToken(nt.db.db, 'VN-KH', 'Khánh Hòa')).token;
    const reg = registryFile(
      provider.url,
      `  - service: ${SERVICE}
    clients: [${KH_CLIENT}]
    endpoints: ["GET /stations/*"]
upstreams:
  - instance: VN-KH
    url: ${khBase}
    token_file: ./vn-kh.token
`,
    );
    fs.writeFileSync(path.join(reg.dir, 'vn-kh.token'), `token for instance VN-NT:\n${ntForKh}\n`);
    await applyFile(nt, reg.yaml, reg.dir);
    fs.writeFileSync(path.join(reg.dir, 'vn-nt.token'), khForNt);
    await applyFile(
      kh,
      `instance: VN-KH
members:
  - class: GOV
    code: 000.00.15.H37
    name: Sở Nông nghiệp và Môi trường Khánh Hòa
    subsystems:
      - code: quan-trac
        services:
          - code: tram
            url: ${provider.url}/api/
  - class: GOV
    code: 000.00.20.H37
    name: Sở Khoa học và Công nghệ Khánh Hòa
    subsystems:
      - code: cong-du-lieu
access:
  - service: ${KH_SERVICE}
    clients: [${B_SUB}]
upstreams:
  - instance: VN-NT
    url: ${ntBase}
    token_file: ./vn-nt.token
`,
      reg.dir,
    );
    await settle();
  });
  afterAll(async () => {
    await nt2?.close();
    await Promise.all([nt?.close(), kh?.close()]);
    await provider?.close();
  });

  it('routes a call to another instance’s service, where that instance’s rights apply', async () => {
    const b = await tokenFor(nt, B_SUB);
    const r = await call(ntBase, `/r1/${KH_SERVICE}/stations/KH07`, { token: b, client: B_SUB, headers: { 'x-road-id': 'fed-1' } });
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ ma_tram: 'KH07' });
    expect(r.headers['x-road-service']).toBe(KH_SERVICE);
    expect(provider.seen.at(-1)!.headers['x-road-client']).toBe(B_SUB);
    // Both instances logged it under the same message id (written in the background).
    await new Promise((res) => setTimeout(res, 300));
    for (const a of [nt, kh])
      expect((await sql<{ n: number }>`select count(*)::int as n from xr_message_log where message_id = 'fed-1'`.execute(a.db.db)).rows[0]!.n).toBe(1);
    // Another subsystem is not granted on VN-KH: VN-KH's refusal comes back as it is.
    const other = 'VN-NT/GOV/000.00.15.H58/quan-trac';
    const denied = await call(ntBase, `/r1/${KH_SERVICE}/stations/KH07`, { token: await tokenFor(nt, other), client: other });
    expect([denied.status, denied.headers['x-road-error']]).toEqual([403, 'Server.ServerProxy.AccessDenied']);
  });

  it('lets the other instance call this one’s services in turn', async () => {
    const k = await tokenFor(kh, KH_CLIENT);
    const r = await call(khBase, `/r1/${SERVICE}/stations/NT05`, { token: k, client: KH_CLIENT });
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ ma_tram: 'NT05' });
    const notGranted = await call(khBase, `/r1/${SERVICE}/teapot`, { token: k, client: KH_CLIENT });
    expect(notGranted.status).toBe(403);
  });

  it('refuses a peer token naming a client of another instance, and calls passed on through a peer', async () => {
    const peer = (await createPeerToken(kh.db.db, 'VN-NT', 'thử')).token;
    await settle();
    const spoof = await call(khBase, `/r1/${KH_SERVICE}/stations/1`, { token: peer, client: 'VN-KH/GOV/000.00.20.H37/cong-du-lieu' });
    expect([spoof.status, spoof.headers['x-road-error']]).toEqual([403, 'Server.ClientProxy.ClientIdentityMismatch']);
    const transit = await call(khBase, `/r1/VN-HN/GOV/000.00.00.H01/x/y/z`, { token: peer, client: B_SUB });
    expect(transit.status).toBe(403);
    const unknown = await call(ntBase, `/r1/VN-HN/GOV/000.00.00.H01/x/y/z`, { token: await tokenFor(nt, B_SUB), client: B_SUB });
    expect([unknown.status, unknown.headers['x-road-error']]).toEqual([404, 'Server.ClientProxy.UnknownInstance']);
  });

  it('runs two gateway instances on one database: one registry, one rate limit, one verifiable log', async () => {
    const c = await tokenFor(nt, C_SUB);
    await settle();
    // C may make 3 calls a minute in all, whichever instance answers (counters synced every 250 ms,
    // so calls 600 ms apart always see each other). All six inside one minute window:
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 5_000) await new Promise((r) => setTimeout(r, left + 50));
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const base = i % 2 ? nt2Base : ntBase;
      statuses.push((await call(base, `/r1/VN-NT/GOV/000.00.15.H58/quan-trac/echo`, { token: c, client: C_SUB, method: 'POST', body: 'x' })).status);
      await new Promise((r) => setTimeout(r, 600));
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.slice(3)).toEqual([429, 429, 429]);
    const nodes = await sql<{ node: string }>`select distinct node from xr_message_log`.execute(nt.db.db);
    expect(nodes.rows.length).toBeGreaterThanOrEqual(1);
    expect(await verifyLog(nt.db.db)).toMatchObject({ ok: true });
  });
});
