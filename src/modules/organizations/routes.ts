import { actorOf, ORG_ROLES } from '../../platform/auth/index.js';
import type { Db } from '../../platform/db/index.js';
import type { EventBus } from '../../platform/index.js';
import { SECURED, Type, type App } from '../../platform/http/index.js';
import { OrgDto, presentOrg } from './presenters.js';
import * as svc from './service.js';
import { ORG_KINDS } from './tables.js';

const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
// Shapes only: the rules (lengths, patterns, kinds) are the service's (validate.ts), for every caller.
const Nullable = () => Type.Optional(Type.Union([Type.String(), Type.Null()]));
const Kind = Type.Union(
  ORG_KINDS.map((k) => Type.Literal(k)),
  { description: 'people_committee | department | agency | district_committee | commune_committee | other' },
);
const Role = Type.Union(ORG_ROLES.map((r) => Type.Literal(r)));

const fields = {
  slug: Type.Optional(Type.String()),
  nameEn: Nullable(),
  shortName: Nullable(),
  organCode: Nullable(),
  parentId: Nullable(),
  adminUnitCode: Nullable(),
  description: Nullable(),
  email: Nullable(),
  website: Nullable(),
};
const CreateBody = Type.Object({ name: Type.String(), kind: Kind, ...fields }, { additionalProperties: false });
const UpdateBody = Type.Object({ name: Type.Optional(Type.String()), kind: Type.Optional(Kind), ...fields }, { additionalProperties: false });
const Member = Type.Object({ userId: Type.String(), email: Type.String(), name: Type.String(), role: Type.String(), since: Type.String() });

export async function organizationRoutes(app: App, { db, events }: { db: Db; events: EventBus }): Promise<void> {
  app.get(
    '/api/v1/organizations',
    {
      schema: {
        tags: ['organizations'],
        summary: 'Danh sách cơ quan, đơn vị / List organizations',
        response: { 200: Type.Object({ items: Type.Array(OrgDto) }) },
      },
    },
    async () => ({
      items: (await svc.listOrganizations(db)).map(presentOrg),
    }),
  );

  app.get(
    '/api/v1/organizations/:id',
    {
      schema: {
        tags: ['organizations'],
        summary: 'Xem cơ quan (theo id hoặc mã rút gọn) / Show an organization (by id or slug)',
        params: IdParam,
        response: { 200: Type.Intersect([OrgDto, Type.Object({ parents: Type.Array(OrgDto), children: Type.Array(OrgDto) })]) },
      },
    },
    async (req) => {
      const { org, parents, children } = await svc.getOrganization(db, req.params.id);
      return { ...presentOrg(org), parents: parents.map(presentOrg), children: children.map(presentOrg) };
    },
  );

  app.post(
    '/api/v1/organizations',
    {
      schema: {
        tags: ['organizations'],
        summary: 'Tạo cơ quan (quản trị hệ thống) / Create (sysadmin)',
        security: SECURED,
        body: CreateBody,
        response: { 201: OrgDto },
      },
    },
    async (req, reply) => reply.status(201).send(presentOrg(await svc.createOrganization(db, req.principal, actorOf(req), req.body))),
  );

  app.patch(
    '/api/v1/organizations/:id',
    {
      schema: {
        tags: ['organizations'],
        summary: 'Sửa cơ quan (quản trị hệ thống) / Update (sysadmin)',
        security: SECURED,
        params: IdParam,
        body: UpdateBody,
        response: { 200: OrgDto },
      },
    },
    async (req) => presentOrg(await svc.updateOrganization(db, req.principal, actorOf(req), req.params.id, req.body, events)),
  );

  app.get(
    '/api/v1/organizations/:id/members',
    {
      schema: {
        tags: ['organizations'],
        summary: 'Thành viên (quản trị đơn vị) / Members (org admin)',
        security: SECURED,
        params: IdParam,
        response: { 200: Type.Array(Member) },
      },
    },
    async (req) =>
      (await svc.listMembers(db, req.principal, req.params.id)).map((m) => ({
        userId: m.user_id,
        email: m.email,
        name: m.name,
        role: m.role,
        since: m.created_at.toISOString(),
      })),
  );

  app.put(
    '/api/v1/organizations/:id/members/:userId',
    {
      schema: {
        tags: ['organizations'],
        summary: 'Thêm/đổi vai trò thành viên (quản trị đơn vị) / Add or change a member (org admin)',
        security: SECURED,
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }), userId: Type.String({ format: 'uuid' }) }),
        body: Type.Object({ role: Role }, { additionalProperties: false }),
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      await svc.setMember(db, req.principal, actorOf(req), req.params.id, req.params.userId, req.body.role);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/v1/organizations/:id/members/:userId',
    {
      schema: {
        tags: ['organizations'],
        summary: 'Gỡ thành viên (quản trị đơn vị) / Remove a member (org admin)',
        security: SECURED,
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }), userId: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      await svc.removeMember(db, req.principal, actorOf(req), req.params.id, req.params.userId);
      return reply.status(204).send(null);
    },
  );
}
