import { actorOf } from '../../platform/auth/index.js';
import { SECURED, Type, type App } from '../../platform/http/index.js';
import type { ModuleContext } from '../../platform/module.js';
import { feedOf } from './feeds.js';
import { createPost, getPost, listPosts, publisherOf, updatePost, type PostInput } from './posts.js';
import { presentPost, presentRegistration } from './present.js';
import { cancelRegistration, register, registrationsOf, setAttendance, type RegistrationInput } from './registrations.js';
import { POST_KINDS, type PostKind } from './tables.js';

const tags = ['awareness'];
const Slug = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 120 }) });
const Str = Type.Optional(Type.Union([Type.String(), Type.Null()]));
// Shapes only; the rules are posts.ts's, for the API and the forms alike.
const PostBody = Type.Object(
  {
    kind: Type.Optional(Type.String()),
    org: Type.Optional(Type.String()),
    title: Type.Optional(Type.String()),
    titleEn: Str,
    summary: Type.Optional(Type.String()),
    summaryEn: Str,
    body: Type.Optional(Type.String()),
    bodyEn: Str,
    startsAt: Str,
    endsAt: Str,
    place: Str,
    capacity: Type.Optional(Type.Union([Type.Integer(), Type.String(), Type.Null()])),
    registrationOpen: Type.Optional(Type.Boolean()),
    published: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const RegistrationBody = Type.Object(
  { name: Type.Optional(Type.String()), email: Type.Optional(Type.String()), affiliation: Str },
  { additionalProperties: false },
);

/** The awareness API: posts (news, events, courses, contests), registrations and their attendance, the feeds. */
export async function awarenessRoutes(app: App, ctx: ModuleContext): Promise<void> {
  const { db, jobs } = ctx;
  const withOrg = async (p: Awaited<ReturnType<typeof getPost>>) => presentPost(p, await publisherOf(db, p));

  app.get<{ Querystring: { kind?: PostKind } }>(
    '/api/v1/awareness/posts',
    {
      schema: {
        tags,
        summary: 'Tin, sự kiện, khóa học, cuộc thi đã công bố / Published news, events, courses and contests',
        querystring: Type.Object({ kind: Type.Optional(Type.Union(POST_KINDS.map((k) => Type.Literal(k)))) }),
      },
    },
    async (req) => ({ posts: await Promise.all((await listPosts(db, req.query.kind)).map(withOrg)) }),
  );
  app.post<{ Body: PostInput }>(
    '/api/v1/awareness/posts',
    { schema: { tags, summary: 'Đăng bài mới / Create a post', security: SECURED, body: PostBody } },
    async (req, reply) => reply.status(201).send(await withOrg(await createPost(db, req.principal, actorOf(req), req.body))),
  );
  app.get<{ Params: { slug: string } }>('/api/v1/awareness/posts/:slug', { schema: { tags, summary: 'Một bài / A post', params: Slug } }, async (req) =>
    withOrg(await getPost(db, req.principal, req.params.slug)),
  );
  app.patch<{ Params: { slug: string }; Body: PostInput }>(
    '/api/v1/awareness/posts/:slug',
    { schema: { tags, summary: 'Sửa bài / Edit a post', security: SECURED, params: Slug, body: PostBody } },
    async (req) => withOrg(await updatePost(db, req.principal, actorOf(req), req.params.slug, req.body)),
  );
  app.post<{ Params: { slug: string }; Body: RegistrationInput }>(
    '/api/v1/awareness/posts/:slug/registrations',
    { schema: { tags, summary: 'Đăng ký tham dự (chỗ hoặc danh sách chờ) / Register (a place or the waiting list)', params: Slug, body: RegistrationBody } },
    async (req, reply) => {
      const { registration, token, post } = await register(db, jobs, actorOf(req), req.params.slug, req.body);
      return reply.status(201).send({
        id: registration.id,
        status: registration.status,
        cancel: { url: `/api/v1/awareness/registrations/${registration.id}/cancel`, token },
        page: `/awareness/${post.slug}`,
      });
    },
  );
  app.get<{ Params: { slug: string } }>(
    '/api/v1/awareness/posts/:slug/registrations',
    { schema: { tags, summary: 'Danh sách đăng ký (đơn vị tổ chức) / The registrations (organizers)', security: SECURED, params: Slug } },
    async (req) => {
      const { registrations } = await registrationsOf(db, req.principal, req.params.slug);
      return { registrations: registrations.map(presentRegistration) };
    },
  );
  app.patch<{ Params: { slug: string; id: string }; Body: { attended: boolean } }>(
    '/api/v1/awareness/posts/:slug/registrations/:id',
    {
      schema: {
        tags,
        summary: 'Ghi nhận tham dự / Record attendance',
        security: SECURED,
        params: Type.Object({ slug: Type.String({ minLength: 1, maxLength: 120 }), id: Type.String({ format: 'uuid' }) }),
        body: Type.Object({ attended: Type.Boolean() }, { additionalProperties: false }),
      },
    },
    async (req) => presentRegistration(await setAttendance(db, req.principal, actorOf(req), req.params.slug, req.params.id, req.body.attended)),
  );
  app.post<{ Params: { id: string }; Body: { token: string } }>(
    '/api/v1/awareness/registrations/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Hủy đăng ký bằng mã trong thư / Cancel with the token from the mail',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
      },
    },
    async (req) => presentRegistration(await cancelRegistration(db, jobs, actorOf(req), req.params.id, req.body.token)),
  );
  for (const format of ['atom', 'rss'] as const)
    app.get(`/awareness/feed.${format}`, { schema: { hide: true } }, async (_req, reply) =>
      reply
        .type(format === 'atom' ? 'application/atom+xml; charset=utf-8' : 'application/rss+xml; charset=utf-8')
        .send(await feedOf(db, ctx.config.baseUrl, format)),
    );
}
