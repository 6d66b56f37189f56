import type { Readable } from 'node:stream';
import { recordAudit, type AuditActor } from '../../platform/audit/index.js';
import type { Principal } from '../../platform/auth/index.js';
import type { SecretBox } from '../../platform/crypto/index.js';
import type { Db } from '../../platform/db/index.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import { badRequest, FieldErrors, notFound } from '../../platform/http/index.js';
import { claimFile, type FileStore } from '../../platform/storage/index.js';
import { requireClerk } from './access.js';
import { composeHeader, senderOrg, type ComposeInput } from './compose.js';
import { EdxmlError } from './edxml/errors.js';
import { readEdxml, type Attachment, type EdxmlPackage } from './edxml/read.js';
import type { VerifyResult } from './edxml/signature.js';
import { attachmentRows, documentColumns, readStoredPackage } from './ingest.js';
import { signerOf } from './keys.js';
import { checkSignature, MAX_PACKAGE_BYTES, NAMESPACE, storeDocumentPackage } from './package-file.js';
import { attachmentRepo, deliveryRepo, documentRepo, eventRepo, orgRepo, recipientRepo } from './repository.js';
import { listRoutes, routeFor } from './routing.js';
import type { DocumentRow, DocumentsTables } from './tables.js';

/** What sending and receiving need from the module: the database, the files, the sealing key, the delivery worker. */
export interface DocsDeps {
  db: Db;
  files: FileStore;
  box: () => SecretBox;
  /** For the webhooks of agency systems, queued with the change they tell of. */
  jobs: JobQueue;
  /** Wakes the delivery worker (after a commit that queued deliveries). */
  kick(): void;
}

const q = (db: Db) => db.withTables<DocumentsTables>();

/** A refused package (hub API send) as a 400 naming the element, with status 02. */
export const refusal = (e: EdxmlError) =>
  badRequest('edxml_refused', { vi: `Gói tin bị từ chối (02): ${e.element}: ${e.reason}`, en: `Package refused (02): ${e.element}: ${e.reason}` }, e.element, {
    status: '02',
  });

interface Outgoing {
  org: { id: string };
  pkg: EdxmlPackage;
  stored: { key: string; size: number; sha256: string };
  signature: VerifyResult | null;
  attachments: (Attachment & { file_key: string })[];
  recipients: { organ_id: string; organ_name: string }[];
  replaces?: DocumentRow;
  note?: string;
}

/** The one transaction of a send: the outbox copy, its recipients, one delivery each, the timeline and the audit record. */
async function recordOutgoing(deps: DocsDeps, p: Principal, actor: AuditActor, o: Outgoing): Promise<DocumentRow> {
  const doc = await deps.db.transaction().execute(async (trx) => {
    const d = await documentRepo.insert(trx, {
      org_id: o.org.id,
      box: 'outbox',
      ...documentColumns(o.pkg),
      header: o.pkg,
      package_key: o.stored.key,
      package_size: o.stored.size,
      package_sha256: o.stored.sha256,
      signature: o.signature,
      status: null,
      created_by: p.user?.id ?? null,
      replaces: o.replaces?.id ?? null,
    });
    await claimFile(trx, o.stored.key, `document:${d.id}`);
    for (const a of o.attachments) await claimFile(trx, a.file_key, `document:${d.id}`);
    // The uploads are now the document's attachments (a package sent whole had none).
    if (o.attachments.length)
      await q(trx)
        .deleteFrom('doc_upload')
        .where(
          'file_key',
          'in',
          o.attachments.map((a) => a.file_key),
        )
        .execute();
    await attachmentRepo.insert(trx, attachmentRows(d.id, o.attachments));
    await recipientRepo.insert(
      trx,
      o.recipients.map((r) => ({ document: d.id, ...r })),
    );
    await deliveryRepo.insert(
      trx,
      o.recipients.map((r) => ({ org_id: o.org.id, document: d.id, kind: 'document' as const, to_organ: r.organ_id, package_key: o.stored.key })),
    );
    const who = actor.label;
    await eventRepo.add(trx, [
      { document: d.id, organ_id: null, kind: 'sent', code: null, description: o.note ?? '', actor: who },
      ...(o.replaces ? [{ document: o.replaces.id, organ_id: null, kind: 'replaced', code: null, description: d.document_id, actor: who }] : []),
    ]);
    if (o.replaces) await documentRepo.update(trx, o.replaces.id, { replaced_by: d.id });
    await recordAudit(trx, actor, {
      action: 'documents.send',
      entityType: 'doc_document',
      entityId: d.id,
      details: { document_id: d.document_id, to: o.recipients.map((r) => r.organ_id) },
    });
    return d;
  });
  deps.kick();
  return doc;
}

/** Sends a composed document (the form, the JSON API): checked, built, signed with the organization's key, queued per recipient. */
export async function sendComposed(
  deps: DocsDeps,
  p: Principal,
  actor: AuditActor,
  orgId: string,
  input: ComposeInput,
  opts: { replaces?: string; reason?: string } = {},
): Promise<DocumentRow> {
  requireClerk(p, orgId);
  const org = await senderOrg(deps.db, orgId);
  if (!org) throw notFound('not_found', { vi: 'Không có cơ quan này.', en: 'No such organization.' });
  let replaces: DocumentRow | undefined;
  if (opts.replaces) {
    replaces = await documentRepo.find(deps.db, opts.replaces);
    if (!replaces || replaces.org_id !== orgId || replaces.box !== 'outbox')
      throw notFound('not_found', { vi: 'Không có văn bản cần thay thế.', en: 'No such document to replace.' });
  }
  const { header, recipients } = await composeHeader(deps.db, org, input, { type: replaces ? '3' : '0', replaces: replaces?.document_id, reason: opts.reason });
  const uploads = input.attachments ?? [];
  const errors = new FieldErrors();
  const files: { file_key: string; name: string; content_type: string }[] = [];
  for (const [i, key] of uploads.entries()) {
    const u = await q(deps.db).selectFrom('doc_upload').selectAll().where('file_key', '=', String(key)).where('user_id', '=', p.user!.id).executeTakeFirst();
    if (!u)
      errors.add(
        badRequest('unknown_upload', { vi: 'Không có tệp tải lên này (hoặc đã dùng).', en: 'No such upload (or it was used already).' }, `attachments[${i}]`),
      );
    else files.push(u);
  }
  errors.throwIfAny();
  const stored = await storeDocumentPackage(
    deps.files,
    header,
    files.map((f, i) => ({ ContentId: `cid:${i + 1}`, AttachmentName: f.name, ContentType: f.content_type, open: () => deps.files.open(f.file_key) })),
    await signerOf(deps.db, deps.box, orgId),
  );
  const pkg = await readEdxml(deps.files.open(stored.key));
  const atts = (pkg.Attachments as Attachment[]).map((a, i) => ({ ...a, file_key: files[i]!.file_key }));
  return recordOutgoing(deps, p, actor, {
    org,
    pkg,
    stored,
    signature: stored.signature,
    attachments: atts,
    recipients: recipients.map((r) => ({ organ_id: r.OrganId, organ_name: r.OrganName })),
    replaces,
    note: stored.unsigned ? `unsigned: ${stored.unsigned}` : undefined,
  });
}

/**
 * Sends a package an agency's own software built (the hub API's send): stored as it came, read and
 * checked (a malformed one is refused with status 02 naming the element), from this organization,
 * to agencies this instance can reach; its signature checked and kept with it.
 */
export async function sendPackage(deps: DocsDeps, p: Principal, actor: AuditActor, orgId: string, source: Readable): Promise<DocumentRow> {
  requireClerk(p, orgId);
  const org = await orgRepo.byId(deps.db, orgId);
  if (!org) throw notFound('not_found', { vi: 'Không có cơ quan này.', en: 'No such organization.' });
  const stored = await deps.files.put(source, MAX_PACKAGE_BYTES, NAMESPACE);
  let read;
  try {
    read = await readStoredPackage(deps.files, stored.key);
  } catch (e) {
    await deps.files.remove(stored.key);
    if (e instanceof EdxmlError) throw refusal(e);
    throw e;
  }
  const fail = async (err: Error) => {
    for (const k of [stored.key, ...read.attachments.map((a) => a.file_key)]) await deps.files.remove(k).catch(() => undefined);
    throw err;
  };
  const { pkg } = read;
  if (pkg.kind !== 'document') return fail(refusal(new EdxmlError('MessageHeader', 'a status message is sent by answering the document, not as a new one')));
  if ((pkg.From as { OrganId: string }).OrganId !== org.organ_code)
    return fail(refusal(new EdxmlError('MessageHeader/From/OrganId', `is not the organ code of this organization (${org.organ_code ?? 'none'})`)));
  const routes = await listRoutes(deps.db);
  const to = pkg.To as { OrganId: string; OrganName?: string }[];
  for (const t of to)
    if (!(await orgRepo.byOrganCode(deps.db, t.OrganId)) && !routeFor(routes, t.OrganId))
      return fail(refusal(new EdxmlError('MessageHeader/To/OrganId', `no route to ${t.OrganId}`)));
  const signature = await checkSignature(deps.files, stored.key, stored.size, (pkg.Signature as { present: boolean }).present);
  return recordOutgoing(deps, p, actor, {
    org,
    pkg,
    stored,
    signature,
    attachments: read.attachments,
    recipients: to.map((t) => ({ organ_id: t.OrganId, organ_name: t.OrganName || t.OrganId })),
  });
}
