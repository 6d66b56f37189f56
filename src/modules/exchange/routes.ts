import { parse as parseYaml } from 'yaml';
import { actorOf, requireSysadmin } from '../../platform/auth/index.js';
import type { SecretBox } from '../../platform/crypto/index.js';
import { badRequest, notFound, SECURED, Type, type App } from '../../platform/http/index.js';
import type { ModuleContext } from '../../platform/module.js';
import { evidenceFor } from './log/evidence.js';
import { mayReadRecord, searchLog, serviceStats } from './log/search.js';
import type { MessageLog } from './log/writer.js';
import { applyRegistry } from './registry/apply.js';
import { exportRegistry, registryYaml } from './registry/export.js';
import * as svc from './service.js';
import { LOG_VERIFY_JOB } from './jobs.js';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const tags = ['exchange'];

/** Reads a registry file's text (YAML or JSON), or a 400 naming the line. */
export function parseRegistryText(text: string): unknown {
  try {
    return parseYaml(text, { maxAliasCount: 100 });
  } catch (e) {
    throw badRequest('invalid_yaml', { vi: `Không đọc được YAML: ${(e as Error).message}`, en: `The YAML cannot be read: ${(e as Error).message}` }, 'yaml');
  }
}

/** The management API behind the exchange pages (the gateway itself is the raw route `/r1/`). */
export function exchangeRoutes(app: App, ctx: ModuleContext, deps: { box: () => SecretBox; log: MessageLog }): void {
  const { db, jobs } = ctx;
  app.get(
    '/api/v1/exchange/directory',
    { schema: { tags, summary: 'Danh bạ cơ quan và dịch vụ / Agency and service directory', security: SECURED } },
    async (req) => svc.directory(db, req.principal),
  );
  app.get(
    '/api/v1/exchange/services/:id',
    { schema: { tags, summary: 'Dịch vụ, mô tả OpenAPI và quyền gọi / A service, its OpenAPI and access rights', security: SECURED, params: Id } },
    async (req) => svc.serviceDetail(db, req.principal, req.params.id),
  );
  app.post(
    '/api/v1/exchange/services/:id/access',
    {
      schema: {
        tags,
        summary: 'Cấp quyền gọi dịch vụ / Grant access to a service',
        description: 'client: INSTANCE/CLASS/MEMBER[/SUBSYSTEM] or group:CODE; endpoint: "GET /stations/*" (default "* /**", every endpoint).',
        security: SECURED,
        params: Id,
        body: Type.Object(
          { client: Type.String({ maxLength: 1100 }), endpoint: Type.Optional(Type.String({ maxLength: 1100 })) },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => reply.status(201).send(await svc.grantAccess(db, req.principal, actorOf(req), req.params.id, req.body)),
  );
  app.delete(
    '/api/v1/exchange/access/:id',
    { schema: { tags, summary: 'Thu hồi quyền gọi / Revoke an access right', security: SECURED, params: Id } },
    async (req, reply) => {
      await svc.revokeAccess(db, req.principal, actorOf(req), req.params.id);
      return reply.status(204).send();
    },
  );
  app.get(
    '/api/v1/exchange/credentials',
    { schema: { tags, summary: 'Thông tin xác thực của hệ thống / Client credentials', security: SECURED } },
    async (req) => ({
      items: await svc.credentialsFor(db, req.principal),
    }),
  );
  app.post(
    '/api/v1/exchange/credentials',
    {
      schema: {
        tags,
        summary: 'Cấp mã truy cập cho một hệ thống / Issue a client token',
        description: 'The token is shown once; only its hash is kept. It is valid for the one subsystem named.',
        security: SECURED,
        body: Type.Object({ client: Type.String({ maxLength: 1100 }), label: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
      },
    },
    async (req, reply) => reply.status(201).send(await svc.issueToken(db, req.principal, actorOf(req), req.body.client.trim(), req.body.label?.trim() || null)),
  );
  app.delete(
    '/api/v1/exchange/credentials/:id',
    { schema: { tags, summary: 'Thu hồi thông tin xác thực / Revoke a credential', security: SECURED, params: Id } },
    async (req, reply) => {
      await svc.withdrawCredential(db, req.principal, actorOf(req), req.params.id);
      return reply.status(204).send();
    },
  );
  app.get(
    '/api/v1/exchange/registry',
    { schema: { tags, summary: 'Tệp đăng ký (YAML) / The registry file (YAML)', security: SECURED } },
    async (req, reply) => {
      requireSysadmin(req.principal);
      return reply.type('application/yaml; charset=utf-8').send(registryYaml(await exportRegistry(db)));
    },
  );
  app.put(
    '/api/v1/exchange/registry',
    {
      schema: {
        tags,
        summary: 'Áp dụng tệp đăng ký / Apply a registry file',
        description: 'The same rules as `tinhso exchange apply`; OpenAPI descriptions inline (no files). `dry_run` lists the changes without making them.',
        security: SECURED,
        body: Type.Object(
          { yaml: Type.String({ maxLength: 5_000_000 }), prune: Type.Optional(Type.Boolean()), dry_run: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      requireSysadmin(req.principal);
      return applyRegistry(db, deps.box, parseRegistryText(req.body.yaml), {
        baseDir: null,
        prune: req.body.prune ?? true,
        dryRun: req.body.dry_run ?? false,
        actor: actorOf(req),
      });
    },
  );
  app.get(
    '/api/v1/exchange/log',
    {
      schema: {
        tags,
        summary: 'Tìm trong nhật ký giao dịch / Search the message log',
        security: SECURED,
        querystring: Type.Object({
          client: Type.Optional(Type.String({ maxLength: 1100 })),
          service: Type.Optional(Type.String({ maxLength: 1100 })),
          status: Type.Optional(Type.String({ maxLength: 10 })),
          from: Type.Optional(Type.String({ maxLength: 40 })),
          to: Type.Optional(Type.String({ maxLength: 40 })),
          before: Type.Optional(Type.Integer({ minimum: 1 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
        }),
      },
    },
    async (req) => searchLog(db, req.principal, req.query),
  );
  app.get(
    '/api/v1/exchange/log/:id/evidence',
    {
      schema: {
        tags,
        summary: 'Bằng chứng của một giao dịch / Evidence of one exchange',
        description: 'The record, the chain to a signed checkpoint and the public key; see docs/exchange-evidence.md for the openssl procedure.',
        security: SECURED,
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }),
      },
    },
    async (req) => {
      const e = (await mayReadRecord(db, req.principal, req.params.id)) ? await evidenceFor(db, deps.log, req.params.id) : undefined;
      if (!e) throw notFound('record_not_found', { vi: 'Không có giao dịch này trong nhật ký.', en: 'No such exchange in the log.' });
      return e;
    },
  );
  app.get(
    '/api/v1/exchange/stats',
    {
      schema: {
        tags,
        summary: 'Thống kê theo dịch vụ / Per-service statistics',
        security: SECURED,
        querystring: Type.Object({ hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 2160 })) }),
      },
    },
    async (req) => ({ items: await serviceStats(db, req.principal, req.query.hours ?? 24) }),
  );
  app.post(
    '/api/v1/exchange/log/verify',
    { schema: { tags, summary: 'Kiểm tra chuỗi băm của nhật ký (nền) / Verify the log’s hash chain (background)', security: SECURED } },
    async (req, reply) => {
      const user = requireSysadmin(req.principal);
      return reply.status(202).send({ jobId: await jobs.enqueue(db, LOG_VERIFY_JOB, {}, user.id) });
    },
  );
}
