import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childUnits, resolveAdminUnit } from '../../src/modules/admin-units/index.js';
import { seedReference } from '../../src/modules/admin-units/load.js';
import { adminUnitRoutes } from '../../src/modules/admin-units/routes.js';
import { createHttpServer, type App } from '../../src/platform/http/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

// The module's routes on the platform HTTP server (no auth needed: every route is public and
// read-only), over a database cloned from the migrated and seeded template.
let t: { app: App; db: TestDatabase };
beforeAll(async () => {
  const db = await createTestDatabase();
  const app = await createHttpServer({ logger: false, version: 'test' });
  await adminUnitRoutes(app, { db: db.db });
  await app.ready();
  t = { app, db };
});
afterAll(async () => {
  await t?.app.close();
  await t?.db.drop();
});

const get = async (url: string) => {
  const r = await t.app.inject({ method: 'GET', url });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
  return { status: r.statusCode, body: r.json() as Record<string, any> };
};

describe('admin-units reference data', () => {
  it('is seeded with both trees and the links', async () => {
    const { rows } = await sql<{ level: string; from: string; n: number }>`
      select level, valid_from::text as from, count(*)::int as n from admin_unit group by 1, 2 order by 2, 1`.execute(t.db.db);
    expect(rows).toEqual([
      { level: 'commune', from: '-infinity', n: 10047 },
      { level: 'district', from: '-infinity', n: 696 },
      { level: 'province', from: '-infinity', n: 63 },
      { level: 'commune', from: '2025-07-01', n: 3321 },
      { level: 'province', from: '2025-07-01', n: 34 },
    ]);
    const links = await sql<{ n: number }>`select count(*)::int as n from admin_unit_link`.execute(t.db.db);
    expect(links.rows[0]!.n).toBe(10667);
  });

  it('seeds idempotently and fast', async () => {
    const start = Date.now();
    await seedReference(t.db.db);
    expect(Date.now() - start).toBeLessThan(200);
    await sql`truncate admin_unit cascade`.execute(t.db.db);
    const t0 = Date.now();
    await seedReference(t.db.db);
    expect(Date.now() - t0).toBeLessThan(1500);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from admin_unit`.execute(t.db.db);
    expect(rows[0]!.n).toBe(14161);
  });

  it('gives the organizations module the children of a unit', async () => {
    const d = await childUnits(t.db.db, '58', '2025-03-01');
    expect(d.map((u) => u.code)).toEqual(['582', '584', '585', '586', '587', '588', '589']);
    expect((await childUnits(t.db.db, '582', '2025-03-01')).length).toBe(13);
  });
});

describe('GET /api/v1/admin-units', () => {
  it('lists the provinces valid today by default', async () => {
    const r = await get('/api/v1/admin-units');
    expect(r.status).toBe(200);
    expect(r.body.items).toHaveLength(34);
    expect(r.body.items).toContainEqual({ code: '56', name: 'Tỉnh Khánh Hòa', nameEn: 'Khanh Hoa Province', level: 'province', type: 'Tỉnh' });
  });

  it('lists children at a date', async () => {
    const r = await get('/api/v1/admin-units?parent=58&at=2025-03-01');
    expect(r.status).toBe(200);
    expect(r.body.at).toBe('2025-03-01');
    expect(r.body.items.map((u: { code: string }) => u.code)).toEqual(['582', '584', '585', '586', '587', '588', '589']);
    expect(r.body.items[0]).toMatchObject({ name: 'Thành phố Phan Rang-Tháp Chàm', level: 'district', type: 'Thành phố' });
    expect((await get('/api/v1/admin-units?parent=56&at=2026-11-26')).body.items).toHaveLength(65);
    expect((await get('/api/v1/admin-units?at=2025-03-01')).body.items).toHaveLength(63);
  });

  it('answers 404 for an unknown parent and 400 for a bad date', async () => {
    const nf = await get('/api/v1/admin-units?parent=99');
    expect(nf.status).toBe(404);
    expect(nf.body.field).toBe('parent');
    const bad = await get('/api/v1/admin-units?at=2025-02-30');
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('at');
    expect((await get('/api/v1/admin-units?at=hôm-nay')).body.field).toBe('at');
  });
});

describe('GET /api/v1/admin-units/:code', () => {
  it('shows the new Khánh Hòa with its predecessors and its old version', async () => {
    const r = await get('/api/v1/admin-units/56?at=2026-11-26');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ code: '56', name: 'Tỉnh Khánh Hòa', validFrom: '2025-07-01', validTo: null, parents: [] });
    expect(r.body.predecessors.map((p: { code: string; kind: string }) => `${p.code} ${p.kind}`)).toEqual(['56 full', '58 full']);
    expect(r.body.versions).toEqual([expect.objectContaining({ code: '56', validFrom: null, validTo: '2025-07-01' })]);
  });

  it('shows an old commune with its parents and successors', async () => {
    const r = await get('/api/v1/admin-units/22759?at=2025-03-01');
    expect(r.body).toMatchObject({ name: 'Phường Kinh Dinh', level: 'commune', parentCode: '582', validFrom: null, validTo: '2025-07-01' });
    expect(r.body.parents.map((p: { code: string }) => p.code)).toEqual(['58', '582']);
    expect(r.body.successors).toEqual([expect.objectContaining({ code: '22759', name: 'Phường Phan Rang', kind: 'full', validFrom: '2025-07-01' })]);
  });

  it('falls back to the latest version of a unit no longer valid', async () => {
    const r = await get('/api/v1/admin-units/58');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ code: '58', name: 'Tỉnh Ninh Thuận', validTo: '2025-07-01' });
    expect(r.body.successors).toEqual([expect.objectContaining({ code: '56', kind: 'full' })]);
  });

  it('answers 404 for an unknown code and 400 for a malformed one', async () => {
    expect((await get('/api/v1/admin-units/99')).status).toBe(404);
    const bad = await get('/api/v1/admin-units/5a');
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('code');
  });
});

describe('GET /api/v1/admin-units/resolve', () => {
  it('resolves written variants', async () => {
    const r = await get(`/api/v1/admin-units/resolve?name=${encodeURIComponent('TP. Phan Rang - Tháp Chàm')}&at=2025-03-01`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ambiguous: false, at: '2025-03-01', match: { code: '582', level: 'district', score: 1 } });
    const p = await get(`/api/v1/admin-units/resolve?name=${encodeURIComponent('P. Đô Vinh')}&parent=582&at=2025-03-01`);
    expect(p.body.match.code).toBe('22738');
  });

  it('returns candidates for an ambiguous name and null for an unknown one', async () => {
    const a = await get(`/api/v1/admin-units/resolve?name=${encodeURIComponent('Xã Phước Hòa')}&at=2025-03-01`);
    expect(a.body).toMatchObject({ match: null, ambiguous: true });
    expect(a.body.alternatives.length).toBeGreaterThan(1);
    const u = await get(`/api/v1/admin-units/resolve?name=${encodeURIComponent('Không Có Đâu')}`);
    expect(u.body).toMatchObject({ match: null, ambiguous: false });
  });

  it('validates its input', async () => {
    expect((await get('/api/v1/admin-units/resolve')).body.field).toBe('name');
    expect((await get(`/api/v1/admin-units/resolve?name=${'a'.repeat(201)}`)).status).toBe(400);
    expect((await get('/api/v1/admin-units/resolve?name=x&parent=99999')).body.field).toBe('parent');
  });

  it('is exported for other modules', async () => {
    const r = await resolveAdminUnit(t.db.db, { name: 'Phường Phan Rang', at: '2026-11-26' });
    expect(r.match?.code).toBe('22759');
  });
});
