import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let sys: { id: string; token: string; auth: { authorization: string } };

beforeAll(async () => {
  t = await createTestApp();
  sys = await t.userWithToken({ email: 'root@example.org', sysadmin: true });
});
afterAll(async () => t?.close());

const cookieOf = (setCookie: string | string[] | undefined): string => {
  const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  return (first ?? '').split(';')[0]!;
};

describe('API tokens', () => {
  it('accepts the raw token and the Bearer form', async () => {
    for (const authorization of [sys.token, `Bearer ${sys.token}`, `bearer ${sys.token}`]) {
      const r = await t.app.inject({ url: '/api/v1/auth/me', headers: { authorization } });
      expect(r.json().user.email).toBe('root@example.org');
    }
    const ckan = await t.app.inject({ url: '/api/v1/auth/me', headers: { 'x-ckan-api-key': sys.token } });
    expect(ckan.json().user.email).toBe('root@example.org');
  });

  it('rejects a wrong token instead of treating the caller as anonymous', async () => {
    const r = await t.app.inject({ url: '/api/v1/auth/me', headers: { authorization: 'tsk_not-a-real-token' } });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({ code: 'invalid_token', status: 401 });
  });

  it('stores only a hash, and a revoked token stops working', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: sys.auth, payload: { name: 'short', expiresIn: '1d' } });
    expect(created.statusCode).toBe(201);
    const { token, info } = created.json<{ token: string; info: { id: string; expiresAt: string } }>();
    expect(new Date(info.expiresAt).getTime()).toBeGreaterThan(Date.now() + 23 * 3600e3);
    const { rows } = await t.db.pool.query('select token_hash from api_token where id = $1', [info.id]);
    expect(rows[0].token_hash).not.toContain(token);
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: { authorization: token } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${info.id}`, headers: sys.auth })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: { authorization: token } })).statusCode).toBe(401);
  });

  it('rejects an expired token', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: sys.auth, payload: { name: 'expired', expiresIn: '1d' } });
    const { token, info } = created.json<{ token: string; info: { id: string } }>();
    await t.db.pool.query(`update api_token set expires_at = now() - interval '1 minute' where id = $1`, [info.id]);
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: { authorization: token } })).statusCode).toBe(401);
  });

  it('explains a bad duration, naming the field, in Vietnamese by default and in English on request', async () => {
    const vi = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: sys.auth, payload: { name: 'x', expiresIn: 'soon' } });
    expect(vi.statusCode).toBe(400);
    expect(vi.headers['content-type']).toContain('application/problem+json');
    expect(vi.json()).toMatchObject({ code: 'invalid_duration', field: 'expiresIn' });
    expect(vi.json().detail).toContain('Thời hạn');
    const en = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { ...sys.auth, 'accept-language': 'en-US,en;q=0.9' },
      payload: { name: 'x', expiresIn: 'soon' },
    });
    expect(en.json().detail).toContain('Invalid duration');
  });
});

describe('cookie sessions', () => {
  it('logs in, requires the CSRF token for writes, and logs out', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: sys.auth,
      payload: { email: 'officer@example.org', name: 'Cán bộ', password: 'mat-khau-du-dai' },
    });
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'officer@example.org', password: 'sai-mat-khau' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().code).toBe('invalid_credentials');

    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'OFFICER@example.org', password: 'mat-khau-du-dai' } });
    expect(ok.statusCode).toBe(200);
    const setCookie = String(ok.headers['set-cookie']);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    const cookie = cookieOf(ok.headers['set-cookie']);
    const csrf = ok.json<{ csrfToken: string }>().csrfToken;

    const me = await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie } });
    expect(me.json().user.email).toBe('officer@example.org');

    const noCsrf = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { cookie }, payload: { name: 'x' } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().code).toBe('csrf_failed');
    const withCsrf = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { cookie, 'x-csrf-token': csrf }, payload: { name: 'x' } });
    expect(withCsrf.statusCode).toBe(201);

    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, 'x-csrf-token': csrf } });
    expect(out.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).json().user).toBeNull();
  });

  it('hashes passwords with scrypt and never returns them', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: sys.auth,
      payload: { email: 'hash@example.org', name: 'H', password: 'mot-mat-khau-dai' },
    });
    expect(r.body).not.toContain('mot-mat-khau-dai');
    expect(r.json()).not.toHaveProperty('passwordHash');
    const { rows } = await t.db.pool.query(`select password_hash from app_user where email = 'hash@example.org'`);
    expect(rows[0].password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
  });

  it('rate-limits login attempts', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) {
      codes.push(
        (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.9.9.9', payload: { email: 'x@example.org', password: 'y' } }))
          .statusCode,
      );
    }
    expect(codes).toContain(429);
  });

  it('counts failed sign-ins per account across the API and the web form, whatever the address', async () => {
    await t.userWithToken({ email: 'lan@throttle.test' });
    await t.userWithToken({ email: 'hoa@throttle.test' });
    const api = (password: string, ip: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip, payload: { email: 'lan@throttle.test', password } });
    const web = (password: string, ip: string) =>
      t.app.inject({
        method: 'POST',
        url: '/login',
        remoteAddress: ip,
        payload: new URLSearchParams({ email: 'LAN@throttle.test', password }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    for (let i = 0; i < 6; i++) expect((await api('sai mật khẩu', `198.51.100.${i}`)).statusCode).toBe(401);
    for (let i = 0; i < 4; i++) expect((await web('sai mật khẩu', `203.0.113.${i}`)).statusCode).toBe(401);
    // Ten failures: even the right password is refused for a while, on either path.
    const blocked = await api('correct horse battery', '192.0.2.200');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json<{ code: string }>().code).toBe('login_throttled');
    expect((await web('correct horse battery', '192.0.2.201')).statusCode).toBe(429);
    // Another account is not affected.
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: '192.0.2.202',
      payload: { email: 'hoa@throttle.test', password: 'correct horse battery' },
    });
    expect(other.statusCode).toBe(200);
  });
});

describe('validation and problem details', () => {
  it('names the missing field and changes nothing', async () => {
    const before = (await t.db.pool.query('select count(*)::int as n from app_user')).rows[0].n;
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: sys.auth, payload: { name: 'Không có email' } });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'validation_failed', field: 'email' });
    expect(r.json().detail).toContain('email');
    expect((await t.db.pool.query('select count(*)::int as n from app_user')).rows[0].n).toBe(before);
  });

  it('rejects an e-mail already in use with 409', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { ...sys.auth, 'accept-language': 'en' },
      payload: { email: 'root@example.org', name: 'Dup' },
    });
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ code: 'email_taken', field: 'email' });
    expect(r.json().detail).toContain('already in use');
  });

  it('rejects oversized bodies with 413 and unknown routes with 404 problems', async () => {
    const big = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { ...sys.auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'a@b.cd', name: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('payload_too_large');
    const nf = await t.app.inject({ url: '/api/v1/nope' });
    expect(nf.statusCode).toBe(404);
    expect(nf.json().code).toBe('not_found');
  });

  it('sets security headers and request ids', async () => {
    const r = await t.app.inject({ url: '/healthz' });
    expect(r.json()).toEqual({ status: 'ok' });
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('publishes OpenAPI 3 with the schemas', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.paths['/api/v1/users'].post.requestBody).toBeDefined();
    const docs = await t.app.inject({ url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
  });
});
