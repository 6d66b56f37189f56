import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { call, makeUsers, multipart, type Users } from './ckan-helpers.js';

/**
 * Every read path of the CKAN API × dataset access level × role. Expected visibility, in the
 * order public, government, restricted (so-khcn + commune committees), private:
 */
type Role = 'anonymous' | 'noOrg' | 'ownerMember' | 'restrictedOrg' | 'commune' | 'sysadmin';
const LEVELS = ['public', 'government', 'restricted', 'private'] as const;
const VISIBLE: Record<Role, [boolean, boolean, boolean, boolean]> = {
  anonymous: [true, false, false, false],
  noOrg: [true, false, false, false],
  ownerMember: [true, true, true, true],
  restrictedOrg: [true, true, true, false],
  commune: [true, true, true, false],
  sysadmin: [true, true, true, true],
};

let t: TestApp;
let u: Users;
const ids: Record<string, { id: string; name: string; resourceId: string; download: string }> = {};

const headersOf = (r: Role): Record<string, string> =>
  ({ anonymous: {}, noOrg: u.noOrg, ownerMember: u.member, restrictedOrg: u.otherMember, commune: u.commune, sysadmin: u.sys })[r];

beforeAll(async () => {
  t = await createTestApp();
  u = await makeUsers(t);
  for (const level of LEVELS) {
    const name = `muc-${level}`;
    const extra = level === 'restricted' ? { restricted_orgs: ['so-khcn'], restricted_kinds: ['commune_committee'] } : {};
    const r = await call(
      t,
      'package_create',
      { name, title: `Mức ${level}`, owner_org: 'so-tnmt', access_level: level, tags: [`the-${level}`], ...extra },
      u.editor,
    );
    expect(r.status, r.raw).toBe(200);
    const body = multipart(
      { package_id: r.body.result.id },
      { field: 'upload', filename: `${level}.csv`, type: 'text/csv', content: Buffer.from('a,b\n1,2\n') },
    );
    const up = await t.app.inject({ method: 'POST', url: '/api/3/action/resource_create', headers: { ...u.editor, ...body.headers }, payload: body.payload });
    expect(up.statusCode, up.body).toBe(200);
    ids[level] = { id: r.body.result.id, name, resourceId: up.json().result.id, download: new URL(up.json().result.url).pathname };
  }
});
afterAll(async () => t?.close());

describe('CKAN API: access levels on every read path', () => {
  for (const role of Object.keys(VISIBLE) as Role[]) {
    it(`package_show, resource_show and download for ${role}`, async () => {
      const got: boolean[][] = [[], [], []];
      for (const level of LEVELS) {
        const d = ids[level]!;
        const show = await call(t, 'package_show', { id: d.name }, headersOf(role), 'GET');
        got[0]!.push(show.status === 200);
        if (show.status !== 200) expect(show.body.error.__type).toBe('Authorization Error');
        const res = await call(t, 'resource_show', { id: d.resourceId }, headersOf(role), 'GET');
        got[1]!.push(res.status === 200);
        const dl = await t.app.inject({ method: 'GET', url: d.download, headers: headersOf(role) });
        got[2]!.push(dl.statusCode === 200);
        if (dl.statusCode !== 200) expect(dl.statusCode).toBe(403);
      }
      expect(got, role).toEqual([VISIBLE[role], VISIBLE[role], VISIBLE[role]]);
    });

    it(`package_search and organization_show for ${role}`, async () => {
      const found = async (params: Record<string, unknown>) => {
        const r = await call(t, 'package_search', { fq: 'organization:so-tnmt', rows: 100, ...params }, headersOf(role), 'GET');
        expect(r.status, r.raw).toBe(200);
        return LEVELS.map((l) => r.body.result.results.some((p: { name: string }) => p.name === ids[l]!.name));
      };
      // Without include_private only public datasets, for everyone (CKAN: capacity:public).
      expect(await found({}), `${role} default`).toEqual([true, false, false, false]);
      expect(await found({ include_private: 'true' }), `${role} include_private`).toEqual(VISIBLE[role]);
      const org = await call(t, 'organization_show', { id: 'so-tnmt', include_datasets: 'true' }, headersOf(role), 'GET');
      expect(org.status, org.raw).toBe(200);
      const names = (org.body.result.packages as { name: string }[]).map((p) => p.name);
      expect(
        LEVELS.map((l) => names.includes(ids[l]!.name)),
        `${role} organization_show`,
      ).toEqual(VISIBLE[role]);
      expect(org.body.result.package_count).toBe(VISIBLE[role].filter(Boolean).length);
    });
  }

  it('wraps only successful GETs in JSONP; token callers keep their rights', async () => {
    const r = await t.app.inject({ method: 'GET', url: `/api/3/action/package_show?id=${ids.private!.name}&callback=cb`, headers: u.sys });
    // A token is not sent by <script> tags: token callers keep their rights.
    expect(r.statusCode).toBe(200);
    const anon = await t.app.inject({ method: 'GET', url: `/api/3/action/package_show?id=${ids.private!.name}&callback=cb` });
    expect(anon.statusCode).toBe(403);
    expect(anon.body).not.toMatch(/^cb\(/);
  });
});
