import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import { call, type Users } from '../catalog/ckan-helpers.js';
import { openDatastoreApp, type DatastoreClient } from './helpers.js';

let t: TestApp;
let u: Users;
let ds: DatastoreClient;
beforeAll(async () => ({ t, u, ds } = await openDatastoreApp()));
afterAll(async () => t?.close());

type Headers = Record<string, string>;
interface Unit {
  code: string;
  name: string;
}

const units = async (parent: string, at = '2025-03-01') =>
  ((await t.app.inject({ method: 'GET', url: `/api/v1/admin-units?parent=${parent}&at=${at}` })).json() as { items: Unit[] }).items;

/** A user who is a member of a new organization of the given unit. */
async function unitUser(email: string, name: string, kind: string, code: string | null): Promise<Headers> {
  const org = await t.app.inject({ method: 'POST', url: '/api/v1/organizations', headers: u.sys, payload: { name, kind, adminUnitCode: code } });
  expect(org.statusCode, org.body).toBe(201);
  const user = await t.userWithToken({ email });
  const m = await t.app.inject({
    method: 'PUT',
    url: `/api/v1/organizations/${org.json().id}/members/${user.id}`,
    headers: u.sys,
    payload: { role: 'member' },
  });
  expect(m.statusCode).toBe(204);
  return user.auth;
}

describe('row-level sharing by administrative unit', () => {
  let rid: string;
  let rows: { ma_xa: string; ten_xa: string; so_ho: number }[];
  let thuanNam: Unit[];
  let successor: string | undefined;
  let districtUser: Headers;
  let newCommuneUser: Headers;

  beforeAll(async () => {
    // Households by commune in two districts of Ninh Thuận (codes from the admin-units data).
    thuanNam = await units('589');
    const phanRang = await units('582');
    expect(thuanNam.map((x) => x.code)).toContain('22903');
    rows = [...thuanNam.slice(0, 3), ...phanRang.slice(0, 2)].map((x, i) => ({ ma_xa: x.code, ten_xa: x.name, so_ho: 1000 + i }));
    if (!rows.some((r) => r.ma_xa === '22903')) rows.push({ ma_xa: '22903', ten_xa: 'Xã Phước Dinh', so_ho: 999 });
    const pkg = await ds.dataset('ho-gia-dinh', { access_level: 'government' });
    const r = await call(
      t,
      'datastore_create',
      {
        resource: { package_id: pkg, name: 'Số hộ theo xã' },
        fields: [
          { id: 'ma_xa', type: 'text' },
          { id: 'ten_xa', type: 'text' },
          { id: 'so_ho', type: 'int' },
        ],
        records: rows,
      },
      u.editor,
    );
    expect(r.status, r.raw).toBe(200);
    rid = r.body.result.resource_id as string;
    const scope = await t.app.inject({ method: 'PUT', url: `/api/v1/datastore/${rid}/scope`, headers: u.editor, payload: { column: 'ma_xa' } });
    expect(scope.statusCode, scope.body).toBe(200);
    districtUser = await unitUser('huyen@thuannam.test', 'UBND huyện Thuận Nam (thử)', 'district_committee', '589');
    // After 1 July 2025 Phước Dinh is part of a new commune: its users see the old commune's rows.
    const unit = (await t.app.inject({ method: 'GET', url: '/api/v1/admin-units/22903?at=2025-03-01' })).json() as { successors: (Unit & { kind: string })[] };
    successor = unit.successors.find((s) => s.kind === 'full')?.code;
    if (successor) newCommuneUser = await unitUser('xa-moi@test.vn', 'UBND xã mới (thử)', 'commune_committee', successor);
  });

  const codesSeen = async (who: Headers) => {
    const r = await ds.search({ resource_id: rid, sort: 'ma_xa', limit: 100 }, who);
    expect(r.status, r.raw).toBe(200);
    return (r.body.result.records as { ma_xa: string }[]).map((x) => x.ma_xa);
  };
  const all = () => rows.map((r) => r.ma_xa).sort();

  it('shows a commune user only their commune, a district user their communes, the province everything', async () => {
    expect(await codesSeen(u.commune)).toEqual(['22903']);
    expect(await codesSeen(districtUser)).toEqual(all().filter((c) => thuanNam.some((x) => x.code === c)));
    expect(await codesSeen(u.otherMember)).toEqual(all()); // a department (province level)
    expect(await codesSeen(u.member)).toEqual(all()); // the owning organization
    expect(await codesSeen(u.sys)).toEqual(all());
    if (successor) expect(await codesSeen(newCommuneUser)).toContain('22903');
    // An agency without an administrative unit may read the dataset, and sees no row of it.
    expect(await codesSeen(await unitUser('co-quan@test.vn', 'Cơ quan không gắn đơn vị (thử)', 'agency', null))).toEqual([]);
    expect((await ds.search({ resource_id: rid }, u.noOrg)).status).toBe(403); // the dataset's own rule comes first
  });

  it('holds on every read path: totals, aggregates, the native API, export, SQL and the dataset page', async () => {
    const c = u.commune;
    expect((await ds.search({ resource_id: rid, limit: 0 }, c)).body.result.total).toBe(1);
    const agg = await t.app.inject({ method: 'GET', url: `/api/v1/datastore/${rid}?group_by=ma_xa&agg=count,sum:so_ho`, headers: c });
    expect(agg.json().records).toEqual([{ ma_xa: '22903', count: 1, sum_so_ho: rows.find((r) => r.ma_xa === '22903')!.so_ho }]);
    const native = await t.app.inject({ method: 'GET', url: `/api/v1/datastore/${rid}?filter=ma_xa:in:${rows.map((r) => r.ma_xa).join('|')}`, headers: c });
    expect(native.json().records.map((r: { ma_xa: string }) => r.ma_xa)).toEqual(['22903']);
    const csv = await t.app.inject({ method: 'GET', url: `/api/v1/datastore/${rid}/export.csv`, headers: c });
    expect(csv.body.trim().split('\n')).toEqual(['ma_xa,ten_xa,so_ho', expect.stringMatching(/^22903,/)]);
    const sql = await call(t, 'datastore_search_sql', { sql: `select ma_xa, sum(so_ho) as n from "${rid}" group by ma_xa` }, c, 'GET');
    expect(sql.body.result.records.map((r: { ma_xa: string }) => r.ma_xa)).toEqual(['22903']);
    const aliased = await call(t, 'datastore_search_sql', { sql: `select count(*) as n from "${rid}" t where t.so_ho > 0` }, c, 'GET');
    expect(aliased.body.result.records).toEqual([{ n: 1 }]);
    const whole = await call(t, 'datastore_search_sql', { sql: `select count(*) as n from datastore."${rid}"` }, u.otherMember, 'GET');
    expect(whole.body.result.records).toEqual([{ n: rows.length }]);
    const page = await t.app.inject({ method: 'GET', url: '/dataset/ho-gia-dinh', headers: c });
    expect(page.statusCode).toBe(200);
    const other = rows.find((r) => r.ma_xa !== '22903')!;
    expect(page.body).toContain('22903');
    expect(page.body).not.toContain(`>${other.ma_xa}<`);
  });

  it('lets only editors set the unit column, which must exist; a new file without it is refused', async () => {
    for (const who of [u.commune, u.member, u.otherEditor])
      expect((await t.app.inject({ method: 'PUT', url: `/api/v1/datastore/${rid}/scope`, headers: who, payload: { column: null } })).statusCode).toBe(403);
    const missing = await t.app.inject({ method: 'PUT', url: `/api/v1/datastore/${rid}/scope`, headers: u.editor, payload: { column: 'ma_huyen' } });
    expect(missing.statusCode).toBe(409);
    expect(missing.json().field).toBe('column');
    await ds.upload('resource_update', { id: rid, format: 'CSV' }, 'ho.csv', Buffer.from('ten_xa,so_ho\nXã Phước Dinh,1\n'));
    const load = await ds.settled(rid);
    expect(load.status).toBe('invalid');
    expect(load.report!.tasks[0]!.errors[0]!.message).toContain('shared by administrative unit on column "ma_xa"');
    expect(await codesSeen(u.commune)).toEqual(['22903']);
    expect(await codesSeen(u.member)).toEqual(all());
  });
});
