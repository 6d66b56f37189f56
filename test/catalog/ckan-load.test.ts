import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { call, makeUsers, type Users } from './ckan-helpers.js';

/** Real CKAN package dictionaries (demo.ckan.org, 2017; MPL-2.0, see THIRD_PARTY_DATA.md), loaded the way `ckanapi load datasets` does. */
const DIR = path.join(import.meta.dirname, '../fixtures/ckan/demo-ckan-org-2017');
const packages = fs
  .readdirSync(DIR)
  .map((f) => JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as { result: Record<string, unknown> })
  .map((d) => d.result);

let t: TestApp;
let u: Users;
beforeAll(async () => {
  t = await createTestApp();
  u = await makeUsers(t);
});
afterAll(() => t?.close());

describe('loading real CKAN package dictionaries', () => {
  it('knows CKAN’s default licence register, next to the Vietnamese licences', async () => {
    const ids = (await call(t, 'license_list', {}, {}, 'GET')).body.result.map((l: { id: string }) => l.id);
    for (const id of [
      'notspecified',
      'odc-pddl',
      'odc-odbl',
      'odc-by',
      'cc-zero',
      'cc-by',
      'cc-by-sa',
      'gfdl',
      'other-open',
      'other-pd',
      'other-at',
      'uk-ogl',
      'cc-nc',
      'other-nc',
      'other-closed',
      'gov-use-only',
    ])
      expect(ids).toContain(id);
  });

  it('creates each dataset from its package_show dictionary, keeping its licence, and maps the licence in DCAT', async () => {
    for (const p of packages) {
      // ckanapi maps the organization; ours owns the copies.
      const r = await call(t, 'package_create', { ...p, owner_org: 'so-khcn', organization: undefined }, u.sys);
      expect(r.status, `${String(p.name)}: ${r.raw}`).toBe(200);
      expect(r.body.result.license_id).toBe(p.license_id);
      expect(r.body.result.resources).toHaveLength((p.resources as unknown[]).length);
    }
    const ttl = await t.app.inject({ url: '/dataset/100-validated-species-of-plants.ttl' });
    expect(ttl.statusCode).toBe(200);
    expect(ttl.body).toMatch(/licenses#other-open/);
    expect(ttl.body).toContain('Other (Open)');
  });

  it('lets an operator add licences from a file in CKAN’s format', async () => {
    const file = path.join(t.config.dataDir, 'licenses.json');
    fs.writeFileSync(
      file,
      JSON.stringify([{ id: 'ogl-vn', title: 'Giấy phép dữ liệu mở Khánh Hòa', url: 'https://khanhhoa.gov.vn/giay-phep', od_conformance: 'approved' }]),
    );
    const t2 = await createTestApp({ licensesFile: file });
    try {
      const ids = (await call(t2, 'license_list', {}, {}, 'GET')).body.result.map((l: { id: string }) => l.id);
      expect(ids).toContain('ogl-vn');
    } finally {
      await t2.close();
    }
  });
});
