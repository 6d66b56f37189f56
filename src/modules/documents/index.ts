import { secretBoxOf, type SecretBox } from '../../platform/crypto/index.js';
import type { AppModule } from '../../platform/module.js';
import { sendDeadLetterAlert } from './alert.js';
import { Deliverer } from './delivery.js';
import { inboundHandler } from './inbound.js';
import { ALERT_JOB, WEBHOOK_JOB } from './jobs.js';
import { callWebhook } from './webhooks.js';
import { migrations } from './migrations.js';
import { documentRoutes } from './routes.js';
import { DOCUMENTS_OUTBOX, outboxOf } from './outbox-port.js';
import type { DocsDeps } from './send.js';
import { DOCUMENTS_MESSAGES, documentsNav, documentsPages } from './web/index.js';

export { readEdxml, edxmlDate, STATUS_CODES, type EdxmlPackage, type Attachment, type SignatureInfo } from './edxml/read.js';
export { EdxmlError } from './edxml/errors.js';
export { signEdxml, verifyEdxml, MAX_SIGNED_BYTES, type VerifyResult, type SignerInfo } from './edxml/signature.js';
export { writeDocumentPackage, statusPackage, type DocumentHeader } from './edxml/write.js';
export { backoffMs } from './delivery.js';
export { webhookSignature } from './webhooks.js';
export { DOC_TYPES } from './codes.js';
export { DOCUMENTS_OUTBOX, type DocumentsOutbox, type OutboxFile } from './outbox-port.js';

/**
 * Electronic official documents (edXML, QCVN 102): each organization's inbox and outbox, compose
 * and send with signatures, the status flow with recall, update and replace, and a transactional
 * outbox that delivers to agencies of this instance in-process and to other instances through the
 * exchange gateway (where this module is the `local:documents` service that receives).
 */
export function documentsModule(): AppModule {
  let sealer: SecretBox | undefined;
  let deliverer: Deliverer | undefined;
  let deps: DocsDeps | undefined;
  return {
    name: 'documents',
    migrations,
    messages: DOCUMENTS_MESSAGES,
    nav: documentsNav,
    init: (ctx) => {
      const box = () => (sealer ??= secretBoxOf(ctx.config));
      deps = { db: ctx.db, files: ctx.files, box, jobs: ctx.jobs, kick: () => deliverer?.kick() };
      deliverer = new Deliverer({ ...deps, self: ctx.self, log: ctx.log });
      ctx.local.provide('documents', inboundHandler(deps, ctx.log));
      ctx.ports.provide(DOCUMENTS_OUTBOX, outboxOf(deps));
    },
    defineJobs: (ctx) => {
      ctx.jobs.define(ALERT_JOB, async (data) => sendDeadLetterAlert(ctx.db, ctx.mail, ctx.config.baseUrl, data.delivery));
      ctx.jobs.define(WEBHOOK_JOB, async (data) => callWebhook(ctx.db, ctx.net, deps!.box, data));
    },
    routes: async (app, ctx) => documentRoutes(app, ctx, deps!),
    pages: async (web, ctx) => documentsPages(web, ctx, deps!),
    start: async () => deliverer!.start(),
    stop: async () => deliverer?.stop(),
  };
}
