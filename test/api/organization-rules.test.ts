import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

/** One set of organization rules (organizations/validate.ts), whichever way the data comes in. */
let t: TestApp;
let admin: { authorization: string };
beforeAll(async () => {
  t = await createTestApp();
  admin = (await t.userWithToken({ email: 'root@ninhthuan.gov.vn', sysadmin: true })).auth;
});
afterAll(async () => t?.close());

const count = async () => Number((await t.db.pool.query<{ n: string }>('select count(*) as n from organization')).rows[0]!.n);

describe('organization rules', () => {
  it('the JSON API reports every invalid field at once and writes nothing', async () => {
    const before = await count();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/organizations',
      headers: admin,
      payload: { name: 'x'.repeat(301), kind: 'department', organCode: 'H43-01', adminUnitCode: 'abc' },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json() as { errors: { field: string; code: string }[] };
    expect(body.errors.map((e) => `${e.field}:${e.code}`).sort()).toEqual([
      'adminUnitCode:invalid_admin_unit',
      'name:too_long',
      'organCode:invalid_organ_code',
    ]);
    expect(await count()).toBe(before);
  });

  it('CKAN answers with the same rules in its own field names', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/3/action/organization_create',
      headers: admin,
      payload: { name: 'so-moi', title: 'Sở mới', organ_code: 'sai', kind: 'ministry' },
    });
    expect(res.statusCode).toBe(409);
    const { error } = res.json() as { error: Record<string, unknown> };
    expect(error.__type).toBe('Validation Error');
    expect(
      Object.keys(error)
        .filter((k) => !k.startsWith('__') && k !== 'message')
        .sort(),
    ).toEqual(['kind', 'organ_code']);
  });

  it('the admin form shows the same message next to the field', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/admin/organizations', headers: admin });
    expect(page.statusCode).toBe(200);
    const csrf = /name="_csrf" value="([^"]*)"/.exec(page.body)?.[1] ?? '';
    const res = await t.app.inject({
      method: 'POST',
      url: '/admin/organizations',
      headers: { ...admin, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, name: 'Sở mới', kind: 'department', organCode: 'sai' }).toString(),
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Mã định danh không đúng định dạng (ví dụ H43.01.02.A01).');
    expect(res.body).toContain('id="org-organCode-error"');
  });
});
