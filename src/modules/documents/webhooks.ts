import { randomBytes, randomUUID } from 'node:crypto';
import { recordAudit, type AuditActor } from '../../platform/audit/index.js';
import { hasOrgRole, requireUser, type Principal } from '../../platform/auth/index.js';
import { webhookSignature, type SecretBox } from '../../platform/crypto/index.js';
import type { Db } from '../../platform/db/index.js';
import { forbidden, notFound } from '../../platform/http/index.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import { webhookUrl, type Outbound } from '../../platform/net/index.js';
import { WEBHOOK_JOB } from './jobs.js';
import { documentRepo, orgRepo } from './repository.js';
import type { DocumentsTables } from './tables.js';

const q = (db: Db) => db.withTables<DocumentsTables>();

/** What an agency system is told about. */
export type WebhookEvent =
  'document.received' | 'document.status' | 'document.recall_requested' | 'document.update_requested' | 'delivery.dead' | 'delivery.refused';

/** An agency's webhooks are its admins' to set (the URL is where its documents' news goes). */
function requireOrgAdmin(p: Principal, orgId: string): void {
  requireUser(p);
  if (!hasOrgRole(p, orgId, 'admin'))
    throw forbidden('forbidden', { vi: 'Chỉ quản trị của cơ quan được khai báo webhook.', en: 'Only the organization’s admins may set its webhooks.' });
}

export async function listWebhooks(db: Db, p: Principal, orgId: string) {
  requireOrgAdmin(p, orgId);
  return q(db).selectFrom('doc_webhook').select(['id', 'url', 'created_at']).where('org_id', '=', orgId).orderBy('created_at').execute();
}

/**
 * Adds a webhook: every event of the organization's documents is POSTed there as JSON, signed
 * with HMAC-SHA256 under a secret shown once (kept sealed, since it signs every call). Where it
 * may point is the outbound policy's to say, when each call is made.
 */
export async function addWebhook(db: Db, p: Principal, actor: AuditActor, box: () => SecretBox, orgId: string, url: string) {
  requireOrgAdmin(p, orgId);
  const address = webhookUrl(url, 'url');
  const secret = randomBytes(32).toString('base64url');
  return db.transaction().execute(async (trx) => {
    const row = await q(trx)
      .insertInto('doc_webhook')
      .values({ org_id: orgId, url: address, sealed_secret: box().seal(secret) })
      .returning(['id', 'url', 'created_at'])
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, { action: 'documents.webhook.add', entityType: 'doc_webhook', entityId: row.id, details: { url: row.url } });
    return { ...row, secret };
  });
}

export async function removeWebhook(db: Db, p: Principal, actor: AuditActor, orgId: string, id: string): Promise<void> {
  requireOrgAdmin(p, orgId);
  await db.transaction().execute(async (trx) => {
    const r = await q(trx).deleteFrom('doc_webhook').where('id', '=', id).where('org_id', '=', orgId).returning('id').executeTakeFirst();
    if (!r) throw notFound('not_found', { vi: 'Không có webhook này.', en: 'No such webhook.' });
    await recordAudit(trx, actor, { action: 'documents.webhook.remove', entityType: 'doc_webhook', entityId: id });
  });
}

/** Retries of a webhook call: eight more, from 30 s (TINHSO_DOCUMENTS_WEBHOOK_RETRY_SECONDS) doubling, so about two hours in all. */
const retry = () => ({ limit: 8, delaySeconds: Number(process.env.TINHSO_DOCUMENTS_WEBHOOK_RETRY_SECONDS) || 30, backoff: true });

/** Queues the event for each of the organization's webhooks, in the caller's transaction (it is sent only if that commits). */
export async function queueWebhooks(trx: Db, jobs: JobQueue, orgId: string, event: WebhookEvent, document: string): Promise<void> {
  const hooks = await q(trx).selectFrom('doc_webhook').select('id').where('org_id', '=', orgId).execute();
  const at = new Date().toISOString();
  for (const h of hooks) await jobs.enqueue(trx, WEBHOOK_JOB, { webhook: h.id, event, document, event_id: randomUUID(), at }, null, retry());
}

export { webhookSignature };

/** One webhook call (the job): the event with the document as it stands now; a refusal or no answer throws, and the job is retried. */
export async function callWebhook(
  db: Db,
  net: Outbound,
  box: () => SecretBox,
  data: { webhook: string; event: WebhookEvent; document: string; event_id: string; at: string },
): Promise<{ status: number } | { skipped: string }> {
  const hook = await q(db).selectFrom('doc_webhook').selectAll().where('id', '=', data.webhook).executeTakeFirst();
  if (!hook) return { skipped: 'webhook removed' };
  const doc = await documentRepo.find(db, data.document);
  const org = await orgRepo.byId(db, hook.org_id);
  const body = JSON.stringify({
    id: data.event_id,
    event: data.event,
    occurred_at: data.at,
    organization: { id: hook.org_id, organ_code: org?.organ_code ?? null },
    document: doc
      ? {
          id: doc.id,
          box: doc.box,
          document_id: doc.document_id,
          from_organ: doc.from_organ,
          code_number: doc.code_number,
          code_notation: doc.code_notation,
          promulgation_date: doc.promulgation_date,
          subject: doc.subject,
          status: doc.status,
          pending_action: doc.pending_action,
          recalled: doc.recalled,
          href: `/api/v1/documents/${doc.id}`,
        }
      : { id: data.document },
  });
  const t = Math.floor(Date.now() / 1000);
  const res = await net.post(hook.url, {
    accept: 'application/json',
    contentType: 'application/json; charset=utf-8',
    body,
    timeoutMs: 10_000,
    headers: {
      'x-tinhso-event': data.event,
      'x-tinhso-delivery': data.event_id,
      'x-tinhso-signature': webhookSignature(box().open(hook.sealed_secret), body, t),
    },
  });
  return { status: res.status };
}
