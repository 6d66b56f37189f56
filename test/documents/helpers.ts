import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClientToken, createPeerToken } from '../../src/modules/exchange/index.js';
import { createOrganization, setMember } from '../../src/modules/organizations/index.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.js';
import { systemPrincipal } from '../../src/platform/auth/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeKeyPair } from '../helpers/keys.js';
import { applyFile } from '../exchange/helpers.js';

export const NT_SENDER = '000.00.15.H58';
export const NT_LOCAL = '000.00.20.H58';
export const KH_AGENCY = '000.00.15.H37';
export const NT_HUB = 'VN-NT/GOV/000.00.00.H58/lgsp';
export const KH_HUB = 'VN-KH/GOV/000.00.00.H37/lgsp';

export interface Province {
  app: TestApp;
  base: string;
  orgs: Record<string, { id: string; slug: string }>;
  /** A clerk (editor) per organization: its API Authorization header. */
  clerks: Record<string, { authorization: string }>;
  /** A plain member (may read, not handle) per organization. */
  members: Record<string, { authorization: string }>;
  sysadmin: { authorization: string };
}

/** A self-signed RSA certificate and key for an organization's signatures. */
export function testKeyPair(cn: string): { cert: string; key: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'doc-key-'));
  const { cert, key } = makeKeyPair(dir, `/CN=${cn}/O=Tinh So test`);
  fs.rmSync(dir, { recursive: true, force: true });
  return { cert, key };
}

async function province(app: TestApp, agencies: { code: string; slug: string; name: string }[], tag: string): Promise<Province> {
  const orgs: Province['orgs'] = {};
  const clerks: Province['clerks'] = {};
  const members: Province['members'] = {};
  for (const a of agencies) {
    const org = await createOrganization(app.db.db, systemPrincipal(), SYSTEM_ACTOR, {
      name: a.name,
      slug: a.slug,
      organCode: a.code,
      kind: 'department',
      email: `${a.slug}@example.gov.vn`,
    });
    orgs[a.code] = { id: org.id, slug: org.slug };
    for (const [role, into] of [
      ['editor', clerks],
      ['member', members],
    ] as const) {
      const u = await app.userWithToken({ email: `${role}.${a.slug}.${tag}@example.gov.vn` });
      await setMember(app.db.db, systemPrincipal(), SYSTEM_ACTOR, org.id, u.id, role);
      into[a.code] = u.auth;
    }
  }
  const admin = await app.userWithToken({ email: `admin.${tag}@example.gov.vn`, sysadmin: true });
  return { app, base: '', orgs, clerks, members, sysadmin: admin.auth };
}

const registry = (instance: string, hub: string, hubName: string, peer: { instance: string; hub: string; url: string }) => `instance: ${instance}
members:
  - class: GOV
    code: ${hub.split('/')[2]}
    name: ${hubName}
    subsystems:
      - code: lgsp
        services:
          - code: edxml
            url: local:documents
access:
  - service: ${hub}/edxml
    clients: [${peer.hub}]
upstreams:
  - instance: ${peer.instance}
    url: ${peer.url}
    token_file: ./${peer.instance}.token
`;

/**
 * Two provinces, each an instance with its own database: Ninh Thuận (a sending department and a
 * second local agency) and Khánh Hòa (one agency). Each registers its LGSP hub's documents service
 * (`local:documents`) for the other's hub, names the other as an upstream, routes the other's organ
 * codes to it and sends as its hub. `ntUpstream` overrides the address NT uses for KH (a dead one
 * stands for the network being down).
 */
export async function twoProvinces(opts: { ntUpstream?: string; smtpUrl?: string } = {}) {
  const [ntApp, khApp] = await Promise.all([createTestApp({ work: true, smtpUrl: opts.smtpUrl }), createTestApp({ work: true })]);
  const nt = await province(
    ntApp,
    [
      { code: NT_SENDER, slug: 'stnmt-nt', name: 'Sở Tài nguyên và Môi trường' },
      { code: NT_LOCAL, slug: 'skhcn-nt', name: 'Sở Khoa học và Công nghệ' },
    ],
    'nt',
  );
  const kh = await province(khApp, [{ code: KH_AGENCY, slug: 'snnmt-kh', name: 'Sở Nông nghiệp và Môi trường Khánh Hòa' }], 'kh');
  nt.base = await ntApp.app.listen({ port: 0, host: '127.0.0.1' });
  kh.base = await khApp.app.listen({ port: 0, host: '127.0.0.1' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'doc-reg-'));
  fs.writeFileSync(path.join(dir, 'VN-KH.token'), (await createPeerToken(khApp.db.db, 'VN-NT', 'Ninh Thuận')).token);
  fs.writeFileSync(path.join(dir, 'VN-NT.token'), (await createPeerToken(ntApp.db.db, 'VN-KH', 'Khánh Hòa')).token);
  const ntRegistry = (url: string) => registry('VN-NT', NT_HUB, 'Trục liên thông Ninh Thuận', { instance: 'VN-KH', hub: KH_HUB, url });
  await applyFile(ntApp, ntRegistry(opts.ntUpstream ?? kh.base), dir);
  await applyFile(khApp, registry('VN-KH', KH_HUB, 'Trục liên thông Khánh Hòa', { instance: 'VN-NT', hub: NT_HUB, url: nt.base }), dir);
  for (const [p, routes, client] of [
    [nt, [{ pattern: '*.*.*.H37', service: `${KH_HUB}/edxml` }], NT_HUB],
    [kh, [{ pattern: '*.*.*.H58', service: `${NT_HUB}/edxml` }], KH_HUB],
  ] as const) {
    await put(p, '/api/v1/documents/routes', { routes });
    await put(p, '/api/v1/documents/settings', { client });
  }
  // A client token of NT's hub, for tests that post packages to the gateway themselves.
  const ntHubToken = (await createClientToken(ntApp.db.db, NT_HUB, 'test')).token;
  await sleep(1200); // the gateways' registries reload
  return {
    nt,
    kh,
    ntHubToken,
    /** Points NT's upstream for KH at its real address (the network comes back). */
    reconnect: () => applyFile(ntApp, ntRegistry(kh.base), dir),
    /** Points NT's upstream for KH at another address (e.g. a proxy in between), and waits for the gateway to reload. */
    reconnectVia: async (url: string) => {
      await applyFile(ntApp, ntRegistry(url), dir);
      await sleep(1200);
    },
    close: async () => {
      await Promise.all([ntApp.close(), khApp.close()]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function put(p: Province, url: string, payload: unknown) {
  const r = await p.app.app.inject({ method: 'PUT', url, headers: p.sysadmin, payload: payload as object });
  if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
export type Loose = any;

export const api = async (p: Province, method: string, url: string, auth: { authorization: string }, payload?: unknown) => {
  const r = await p.app.app.inject({ method: method as 'GET', url, headers: auth, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: r.statusCode, json: () => r.json() as Record<string, Loose>, body: r.body, headers: r.headers };
};

/** Waits until `check` returns a truthy value (polling), or fails with what it last saw. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${String(last instanceof Error ? last.message : JSON.stringify(last))})`);
    await sleep(100);
  }
}

export const composeInput = (to: string[], extra: Record<string, unknown> = {}) => ({
  to,
  code_number: '215',
  code_notation: 'STNMT-MT',
  promulgation_date: '14/11/2026',
  place: 'Phan Rang – Tháp Chàm',
  doc_type: '1.18',
  subject: 'Về việc chia sẻ số liệu quan trắc môi trường không khí năm 2026',
  content: 'Đề nghị các cơ quan phối hợp chia sẻ số liệu quan trắc tự động.',
  priority: '1',
  signer_competence: 'KT. GIÁM ĐỐC',
  signer_position: 'Phó Giám đốc',
  signer_full_name: 'Nguyễn Văn An',
  ...extra,
});
