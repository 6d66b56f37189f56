import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.js';
import { systemPrincipal } from '../../src/platform/auth/index.js';
import { ANONYMOUS_VIEWER, createDataset, searchDatasets, searchParams } from '../../src/modules/catalog/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await createDataset(t.db.db, systemPrincipal(), SYSTEM_ACTOR, { name: 'quan-trac-nuoc', title: 'Quan trắc nước mặt', owner_org: 'so-tnmt' });
});
afterAll(() => t?.close());

const found = async (q: string, engine: 'auto' | 'sql') => (await searchDatasets(t.db.db, ANONYMOUS_VIEWER, searchParams({ q }), { engine })).count;

describe('organization rename', () => {
  it('refreshes the search text of its datasets in the same transaction (both search paths)', async () => {
    for (const engine of ['auto', 'sql'] as const) {
      expect(await found('nông nghiệp', engine)).toBe(0);
      expect(await found('khánh hòa', engine)).toBe(0);
    }
    const sys = await t.userWithToken({ email: 'root@rename.test', sysadmin: true });
    // 1 March 2025: the departments of natural resources and of agriculture merged.
    const r = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/organizations/so-tnmt',
      headers: sys.auth,
      payload: { name: 'Sở Nông nghiệp và Môi trường' },
    });
    expect(r.statusCode, r.body).toBe(200);
    for (const engine of ['auto', 'sql'] as const) expect(await found('nông nghiệp', engine), engine).toBe(1);
    const ckan = await t.app.inject({
      method: 'POST',
      url: '/api/3/action/organization_patch',
      headers: { ...sys.auth, 'content-type': 'application/json' },
      payload: { id: 'so-tnmt', title: 'Sở Môi trường Khánh Hòa' },
    });
    expect(ckan.statusCode, ckan.body).toBe(200);
    for (const engine of ['auto', 'sql'] as const) expect(await found('khanh hoa', engine), engine).toBe(1);
  });
});
