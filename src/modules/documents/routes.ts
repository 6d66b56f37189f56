import type { Readable } from 'node:stream';
import { actorOf, requireUser } from '../../platform/auth/index.js';
import type { Db } from '../../platform/db/index.js';
import { badRequest, contentDisposition, notFound, SECURED, Type, type App } from '../../platform/http/index.js';
import type { ModuleContext } from '../../platform/module.js';
import { requireReader } from './access.js';
import { requestAction } from './actions.js';
import { setOrgKey, orgKey } from './keys.js';
import { MAX_PACKAGE_BYTES } from './package-file.js';
import { documentView, listBox } from './queries.js';
import { attachmentRepo, documentRepo, orgRepo } from './repository.js';
import { retryDelivery } from './retry.js';
import { listRoutes, senderClient, setRoutes, setSenderClient } from './routing.js';
import { sendComposed, sendPackage, type DocsDeps } from './send.js';
import { MAX_ATTACHMENT_BYTES, storeUpload } from './uploads.js';
import { acknowledge, setStatus } from './status.js';
import { addWebhook, listWebhooks, removeWebhook } from './webhooks.js';

const tags = ['documents'];
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Org = Type.Object({ org: Type.String({ maxLength: 200, description: 'Organization id, slug or organ code' }) });
const Str = (max: number) => Type.Optional(Type.String({ maxLength: max }));
const Staff = Type.Optional(Type.Object({ Department: Str(200), Staff: Str(200), Mobile: Str(50), Email: Str(200) }, { additionalProperties: false }));

export const ComposeBody = Type.Object(
  {
    to: Type.Array(Type.Union([Type.String({ maxLength: 20 }), Type.Object({ organ_id: Type.String({ maxLength: 20 }), name: Str(500) })]), { maxItems: 500 }),
    code_number: Type.String({ maxLength: 20 }),
    code_notation: Str(100),
    promulgation_date: Type.String({ maxLength: 10, description: 'dd/mm/yyyy or yyyy-mm-dd' }),
    place: Str(200),
    doc_type: Type.String({ maxLength: 6, description: 'Type.TypeDetail, e.g. 1.18 (Công văn)' }),
    subject: Type.String({ maxLength: 2000 }),
    content: Str(20000),
    priority: Str(1),
    secrecy: Str(1),
    due_date: Str(10),
    signer_competence: Str(200),
    signer_position: Str(200),
    signer_full_name: Str(200),
    to_places: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 100 })),
    steering_type: Str(1),
    attachments: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50, description: 'Keys from POST /api/v1/documents/uploads' })),
    staff: Staff,
    replaces: Type.Optional(Type.String({ format: 'uuid', description: 'A sent document this one replaces (business type 3)' })),
    reason: Str(500),
  },
  { additionalProperties: false },
);

/** What an update (business type 2) may change: the metadata, not the recipients, number or date. */
const UPDATABLE = [
  'subject',
  'content',
  'place',
  'doc_type',
  'priority',
  'due_date',
  'signer_competence',
  'signer_position',
  'signer_full_name',
  'to_places',
  'steering_type',
] as const;

const BoxQuery = Type.Object({
  after: Type.Optional(Type.Integer({ minimum: 0, description: 'Cursor: documents after this sequence number, oldest first (`next` of the previous answer)' })),
  since: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601: documents that came in at or after this time, oldest first' })),
  q: Str(200),
  from_date: Str(10),
  to_date: Str(10),
  organ: Str(20),
  status: Str(2),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});

/** An organization named by id, slug or organ code. */
export async function orgOf(db: Db, ref: string): Promise<{ id: string; name: string; slug: string; organ_code: string | null }> {
  const org = /^[0-9a-f-]{36}$/i.test(ref)
    ? await orgRepo.byId(db, ref)
    : ((await orgRepo.bySlug(db, ref)) ?? (await orgRepo.byOrganCode(db, ref.toUpperCase())));
  if (!org) throw notFound('not_found', { vi: 'Không có cơ quan này.', en: 'No such organization.' }, 'org');
  return org;
}

/**
 * The hub API for agency systems (and the pages' JSON): send, list, read, acknowledge and answer
 * documents, per organization, with a user's session or API token; and the sysadmin's routes and
 * sending identity. Every rule is in the services these call.
 */
export async function documentRoutes(app: App, ctx: ModuleContext, deps: DocsDeps): Promise<void> {
  const { db, files } = ctx;

  // Raw bodies (a file, an edXML package) are streamed to storage, never parsed or held.
  await app.register(async (raw: App) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    raw.post(
      '/api/v1/documents/uploads',
      {
        bodyLimit: MAX_ATTACHMENT_BYTES,
        schema: {
          tags,
          summary: 'Tải lên tệp đính kèm / Upload an attachment',
          description: 'The body is the file itself (any content type, at most 250 MB); ?name= its file name. The key goes in `attachments` of a send.',
          security: SECURED,
          querystring: Type.Object({ name: Type.String({ minLength: 1, maxLength: 255 }) }),
        },
      },
      async (req, reply) => {
        const body = req.body as Readable | undefined;
        if (!body || typeof (body as Readable).pipe !== 'function')
          throw badRequest('no_body', { vi: 'Thiếu nội dung tệp.', en: 'The file is missing.' }, 'file');
        return reply.status(201).send(await storeUpload(deps, req.principal, actorOf(req), body, req.query.name, String(req.headers['content-type'] ?? '')));
      },
    );
    raw.post(
      '/api/v1/documents/orgs/:org/outbox/package',
      {
        bodyLimit: MAX_PACKAGE_BYTES,
        schema: {
          tags,
          summary: 'Gửi gói tin edXML do hệ thống của cơ quan lập / Send an edXML package an agency system built',
          description: 'The body is the edXML package. A malformed one is refused with 400, `status` 02 and the element.',
          security: SECURED,
          params: Org,
        },
      },
      async (req, reply) => {
        const org = await orgOf(db, req.params.org);
        const doc = await sendPackage(deps, req.principal, actorOf(req), org.id, req.body as Readable);
        return reply.status(201).send(await documentView(db, req.principal, doc.id));
      },
    );
  });

  app.post(
    '/api/v1/documents/orgs/:org/outbox',
    { schema: { tags, summary: 'Soạn và gửi văn bản / Compose and send a document', security: SECURED, params: Org, body: ComposeBody } },
    async (req, reply) => {
      const org = await orgOf(db, req.params.org);
      const { replaces, reason, ...input } = req.body;
      const doc = await sendComposed(deps, req.principal, actorOf(req), org.id, input, { replaces, reason });
      return reply.status(201).send(await documentView(db, req.principal, doc.id));
    },
  );
  for (const box of ['inbox', 'outbox'] as const)
    app.get(
      `/api/v1/documents/orgs/:org/${box}`,
      {
        schema: {
          tags,
          summary: box === 'inbox' ? 'Văn bản đến / Received documents' : 'Văn bản đi / Sent documents',
          description: 'Newest first; with `after` or `since`, oldest first and `next` the cursor for the next poll.',
          security: SECURED,
          params: Org,
          querystring: BoxQuery,
        },
      },
      async (req) => listBox(db, req.principal, (await orgOf(db, req.params.org)).id, box, req.query),
    );
  app.get(
    '/api/v1/documents/:id',
    { schema: { tags, summary: 'Một văn bản: đính kèm, nơi nhận, diễn biến / A document: attachments, recipients, timeline', security: SECURED, params: Id } },
    async (req) => documentView(db, req.principal, req.params.id),
  );
  app.get(
    '/api/v1/documents/:id/package',
    { schema: { tags, summary: 'Gói tin edXML / The edXML package', security: SECURED, params: Id } },
    async (req, reply) => {
      const doc = await documentRepo.find(db, req.params.id);
      if (!doc) throw notFound('not_found', { vi: 'Không có văn bản này.', en: 'No such document.' });
      requireReader(req.principal, doc.org_id);
      return reply
        .type('application/xml')
        .header('content-length', doc.package_size)
        .header('content-disposition', contentDisposition(`${doc.code_number}${doc.code_notation ? `-${doc.code_notation}` : ''}.edxml`.replaceAll('/', '-')))
        .send(files.open(doc.package_key));
    },
  );
  app.get(
    '/api/v1/documents/:id/attachments/:n',
    {
      schema: {
        tags,
        summary: 'Tệp đính kèm / An attachment',
        security: SECURED,
        params: Type.Object({ id: Type.String({ format: 'uuid' }), n: Type.Integer({ minimum: 1, maximum: 1000 }) }),
      },
    },
    async (req, reply) => {
      const doc = await documentRepo.find(db, req.params.id);
      if (!doc) throw notFound('not_found', { vi: 'Không có văn bản này.', en: 'No such document.' });
      requireReader(req.principal, doc.org_id);
      const a = await attachmentRepo.one(db, doc.id, req.params.n);
      if (!a) throw notFound('not_found', { vi: 'Không có tệp đính kèm này.', en: 'No such attachment.' }, 'n');
      // The sender's content type, but always as a download, never rendered on this origin.
      return reply
        .type(a.content_type)
        .header('content-length', a.size)
        .header('content-disposition', contentDisposition(a.name))
        .header('x-content-type-options', 'nosniff')
        .send(files.open(a.file_key));
    },
  );
  app.post(
    '/api/v1/documents/:id/ack',
    { schema: { tags, summary: 'Xác nhận đã lấy văn bản / Acknowledge a received document', security: SECURED, params: Id } },
    async (req) => {
      await acknowledge(deps, req.principal, actorOf(req), req.params.id);
      return documentView(db, req.principal, req.params.id);
    },
  );
  app.post(
    '/api/v1/documents/:id/status',
    {
      schema: {
        tags,
        summary: 'Cập nhật trạng thái xử lý / Update the processing status',
        description:
          '03 registered, 04 assigned, 05 in progress, 06 finished, 02 refused; 15 or 16 to answer a recall or update. The status goes back to the sender.',
        security: SECURED,
        params: Id,
        body: Type.Object({ code: Type.String({ maxLength: 2 }), description: Str(2000), staff: Staff }, { additionalProperties: false }),
      },
    },
    async (req) => {
      await setStatus(deps, req.principal, actorOf(req), req.params.id, req.body);
      return documentView(db, req.principal, req.params.id);
    },
  );
  app.post(
    '/api/v1/documents/:id/recall',
    {
      schema: {
        tags,
        summary: 'Thu hồi văn bản đã gửi / Recall a sent document',
        security: SECURED,
        params: Id,
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
      },
    },
    async (req) => {
      await requestAction(deps, req.principal, actorOf(req), req.params.id, '1', req.body.reason);
      return documentView(db, req.principal, req.params.id);
    },
  );
  app.post(
    '/api/v1/documents/:id/update',
    {
      schema: {
        tags,
        summary: 'Cập nhật thông tin văn bản đã gửi / Update a sent document’s metadata',
        security: SECURED,
        params: Id,
        body: Type.Object(
          { reason: Type.String({ minLength: 1, maxLength: 500 }), ...Type.Partial(Type.Pick(ComposeBody, UPDATABLE)).properties },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const { reason, ...changes } = req.body;
      await requestAction(deps, req.principal, actorOf(req), req.params.id, '2', reason, changes);
      return documentView(db, req.principal, req.params.id);
    },
  );
  app.post(
    '/api/v1/documents/deliveries/:id/retry',
    { schema: { tags, summary: 'Gửi lại lượt gửi đã dừng / Retry a dead delivery', security: SECURED, params: Id } },
    async (req) => {
      const d = await retryDelivery(deps, req.principal, actorOf(req), req.params.id);
      return { id: d.id, state: d.state };
    },
  );
  app.put(
    '/api/v1/documents/orgs/:org/key',
    {
      schema: {
        tags,
        summary: 'Khóa ký số của cơ quan / The organization’s signing key',
        description: 'PEM certificate and RSA private key; the key is stored encrypted.',
        security: SECURED,
        params: Org,
        body: Type.Object({ cert: Type.String({ maxLength: 20000 }), key: Type.String({ maxLength: 20000 }) }, { additionalProperties: false }),
      },
    },
    async (req) => setOrgKey(db, req.principal, actorOf(req), deps.box, (await orgOf(db, req.params.org)).id, req.body),
  );
  app.get(
    '/api/v1/documents/orgs/:org/key',
    { schema: { tags, summary: 'Chứng thư ký số của cơ quan / The organization’s signing certificate', security: SECURED, params: Org } },
    async (req) => {
      const org = await orgOf(db, req.params.org);
      requireReader(req.principal, org.id);
      return (await orgKey(db, org.id)) ?? null;
    },
  );
  app.get(
    '/api/v1/documents/orgs/:org/webhooks',
    { schema: { tags, summary: 'Webhook của hệ thống cơ quan / The agency system’s webhooks', security: SECURED, params: Org } },
    async (req) => ({ items: await listWebhooks(db, req.principal, (await orgOf(db, req.params.org)).id) }),
  );
  app.post(
    '/api/v1/documents/orgs/:org/webhooks',
    {
      schema: {
        tags,
        summary: 'Thêm webhook / Add a webhook',
        description:
          'Each event (document.received, document.status, document.recall_requested, document.update_requested, delivery.refused, delivery.dead) is POSTed as JSON with X-TinhSo-Event, X-TinhSo-Delivery (the event id, for deduplication) and X-TinhSo-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body" under the secret>. A non-2xx answer is retried with backoff for about two hours. The secret is shown once.',
        security: SECURED,
        params: Org,
        body: Type.Object({ url: Type.String({ maxLength: 2000 }) }, { additionalProperties: false }),
      },
    },
    async (req, reply) =>
      reply.status(201).send(await addWebhook(db, req.principal, actorOf(req), deps.box, (await orgOf(db, req.params.org)).id, req.body.url)),
  );
  app.delete(
    '/api/v1/documents/orgs/:org/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Xóa webhook / Remove a webhook',
        security: SECURED,
        params: Type.Object({ org: Type.String({ maxLength: 200 }), id: Type.String({ format: 'uuid' }) }),
      },
    },
    async (req, reply) => {
      await removeWebhook(db, req.principal, actorOf(req), (await orgOf(db, req.params.org)).id, req.params.id);
      return reply.status(204).send();
    },
  );
  app.get('/api/v1/documents/routes', { schema: { tags, summary: 'Tuyến gửi văn bản / Delivery routes', security: SECURED } }, async (req) => {
    requireUser(req.principal);
    return { routes: await listRoutes(db), client: await senderClient(db) };
  });
  app.put(
    '/api/v1/documents/routes',
    {
      schema: {
        tags,
        summary: 'Khai báo tuyến gửi / Set the delivery routes',
        description:
          'pattern: an organ code, or one with * (e.g. 000.00.*.H58); service: the exchange service INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE that receives for it.',
        security: SECURED,
        body: Type.Object({
          routes: Type.Array(
            Type.Object({ pattern: Type.String({ maxLength: 40 }), service: Type.String({ maxLength: 1100 }) }, { additionalProperties: false }),
            { maxItems: 500 },
          ),
        }),
      },
    },
    async (req) => ({ routes: await setRoutes(db, req.principal, actorOf(req), req.body.routes) }),
  );
  app.put(
    '/api/v1/documents/settings',
    {
      schema: {
        tags,
        summary: 'Hệ thống gửi văn bản qua trao đổi dữ liệu / The exchange client documents are sent as',
        security: SECURED,
        body: Type.Object({ client: Type.String({ maxLength: 1100 }) }, { additionalProperties: false }),
      },
    },
    async (req) => setSenderClient(db, req.principal, actorOf(req), deps.box, req.body.client),
  );
}
