import { Type } from 'typebox';
import type { Db } from '../db/index.js';
import { SECURED, type App } from '../http/types.js';
import { actorOf, SESSION_COOKIE } from './hook.js';
import { requireUser } from './permissions.js';
import { presentToken, presentUser, TokenDto, UserDto } from './presenters.js';
import * as auth from './service.js';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Email = Type.String({ minLength: 3, maxLength: 254 });
const Password = Type.String({ minLength: 1, maxLength: 1024 });

export interface AuthRoutesOptions {
  db: Db;
  secureCookies: boolean;
}

/** /api/v1/auth, /api/v1/users, /api/v1/tokens */
export async function authRoutes(app: App, { db, secureCookies }: AuthRoutesOptions): Promise<void> {
  const me = Type.Object({
    user: Type.Union([UserDto, Type.Null()]),
    csrfToken: Type.Union([Type.String(), Type.Null()]),
    memberships: Type.Array(Type.Object({ orgId: Type.String(), role: Type.String() })),
  });

  app.post(
    '/api/v1/auth/login',
    {
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Đăng nhập / Sign in (sets a session cookie)',
        body: Type.Object({ email: Email, password: Password }, { additionalProperties: false }),
        response: { 200: me },
      },
    },
    async (req, reply) => {
      const s = await auth.login(db, actorOf(req), { email: req.body.email, password: req.body.password, userAgent: req.headers['user-agent'] });
      void reply.setCookie(SESSION_COOKIE, s.sessionId, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies, expires: s.expiresAt });
      return { user: presentUser(s.user), csrfToken: s.csrfToken, memberships: [] };
    },
  );

  app.post('/api/v1/auth/logout', { schema: { tags: ['auth'], summary: 'Đăng xuất / Sign out', response: { 204: Type.Null() } } }, async (req, reply) => {
    requireUser(req.principal);
    const sid = req.cookies[SESSION_COOKIE];
    await auth.logout(db, actorOf(req), sid);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  app.get('/api/v1/auth/me', { schema: { tags: ['auth'], summary: 'Người dùng hiện tại / Current user', response: { 200: me } } }, async (req) => {
    const p = req.principal;
    // Served from the resolved caller (no query): a disabled user never resolves to a principal.
    const u = p.user;
    return {
      user: u ? { id: u.id, email: u.email, name: u.name, isSysadmin: u.isSysadmin, disabled: false, createdAt: u.createdAt.toISOString() } : null,
      csrfToken: p.csrfToken,
      memberships: [...p.memberships].map(([orgId, role]) => ({ orgId, role })),
    };
  });

  app.get(
    '/api/v1/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Danh sách người dùng (quản trị hệ thống) / List users (sysadmin)',
        security: SECURED,
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }), offset: Type.Integer({ minimum: 0, default: 0 }) }),
        response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(UserDto) }) },
      },
    },
    async (req) => {
      const { items, total } = await auth.listUsers(db, req.principal, req.query.limit, req.query.offset);
      return { total, items: items.map(presentUser) };
    },
  );

  app.post(
    '/api/v1/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Tạo người dùng (quản trị hệ thống) / Create a user (sysadmin)',
        security: SECURED,
        body: Type.Object(
          { email: Email, name: Type.String({ minLength: 1, maxLength: 200 }), password: Type.Optional(Password), isSysadmin: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 201: UserDto },
      },
    },
    async (req, reply) => {
      const user = await auth.createUser(db, req.principal, actorOf(req), req.body);
      return reply.status(201).send(presentUser(user));
    },
  );

  app.get(
    '/api/v1/users/:id',
    { schema: { tags: ['users'], summary: 'Xem người dùng / Show a user', security: SECURED, params: Id, response: { 200: UserDto } } },
    async (req) => presentUser(await auth.getUser(db, req.principal, req.params.id)),
  );

  app.patch(
    '/api/v1/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Sửa người dùng / Update a user',
        security: SECURED,
        params: Id,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            password: Type.Optional(Password),
            isSysadmin: Type.Optional(Type.Boolean()),
            disabled: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: UserDto },
      },
    },
    async (req) => presentUser(await auth.updateUser(db, req.principal, actorOf(req), req.params.id, req.body)),
  );

  app.get(
    '/api/v1/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Token API của tôi (hoặc của userId, với quản trị hệ thống) / My API tokens',
        security: SECURED,
        querystring: Type.Object({ userId: Type.Optional(Type.String({ format: 'uuid' })) }),
        response: { 200: Type.Array(TokenDto) },
      },
    },
    async (req) => {
      const user = requireUser(req.principal);
      return (await auth.listTokens(db, req.principal, req.query.userId ?? user.id)).map(presentToken);
    },
  );

  app.post(
    '/api/v1/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Tạo token API (hiển thị một lần) / Create an API token (shown once)',
        security: SECURED,
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            expiresIn: Type.Optional(Type.String({ maxLength: 10 })),
            userId: Type.Optional(Type.String({ format: 'uuid' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ token: Type.String(), info: TokenDto }) },
      },
    },
    async (req, reply) => {
      const user = requireUser(req.principal);
      const created = await auth.createToken(db, req.principal, actorOf(req), req.body.userId ?? user.id, req.body);
      return reply.status(201).send({ token: created.token, info: presentToken(created.row) });
    },
  );

  app.delete(
    '/api/v1/tokens/:id',
    { schema: { tags: ['tokens'], summary: 'Thu hồi token / Revoke a token', security: SECURED, params: Id, response: { 200: TokenDto } } },
    async (req) => presentToken(await auth.revokeToken(db, req.principal, actorOf(req), req.params.id)),
  );
}
