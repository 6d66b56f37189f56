import { expect } from 'vitest';
import type { TestApp } from '../helpers/app.js';

/** A user with an API token, made a member of an organization (by slug) with a role by a sysadmin. */
export async function memberOf(t: TestApp, email: string, org: string, role: 'member' | 'editor' | 'admin') {
  const sys = await t.userWithToken({ email: `sys-${email}`, sysadmin: true });
  const u = await t.userWithToken({ email });
  const r = await t.app.inject({ method: 'PUT', url: `/api/v1/organizations/${org}/members/${u.id}`, headers: sys.auth, payload: { role } });
  expect(r.statusCode).toBe(204);
  return u;
}
