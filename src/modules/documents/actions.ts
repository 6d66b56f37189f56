import { recordAudit, type AuditActor } from '../../platform/audit/index.js';
import type { Principal } from '../../platform/auth/index.js';
import type { Db } from '../../platform/db/index.js';
import { conflict, notFound } from '../../platform/http/index.js';
import { claimFile } from '../../platform/storage/index.js';
import { requireClerk } from './access.js';
import { composeHeader, senderOrg, type ComposeInput } from './compose.js';
import { readEdxml } from './edxml/read.js';
import { documentColumns } from './ingest.js';
import { signerOf } from './keys.js';
import { storeDocumentPackage } from './package-file.js';
import { deliveryRepo, documentRepo, eventRepo, recipientRepo } from './repository.js';
import type { DocsDeps } from './send.js';
import type { DocumentRow, DocumentsTables } from './tables.js';

/** The metadata an update may change (recipients, number and date identify the document and stay). */
export type UpdateInput = Pick<
  ComposeInput,
  | 'subject'
  | 'content'
  | 'place'
  | 'doc_type'
  | 'priority'
  | 'due_date'
  | 'signer_competence'
  | 'signer_position'
  | 'signer_full_name'
  | 'to_places'
  | 'steering_type'
>;

const obj = (v: unknown) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** A sent document as the compose form would have it: the base of its recall or update. */
export function inputOf(doc: DocumentRow, recipients: { organ_id: string; organ_name: string }[]): ComposeInput {
  const h = doc.header;
  const places = obj(h.ToPlaces).Place;
  return {
    to: recipients.map((r) => ({ organ_id: r.organ_id, name: r.organ_name })),
    code_number: doc.code_number,
    code_notation: doc.code_notation,
    promulgation_date: doc.promulgation_date,
    place: doc.place,
    doc_type: doc.doc_type,
    subject: doc.subject,
    content: doc.content,
    priority: String(doc.priority),
    due_date: doc.due_date ?? '',
    signer_competence: doc.signer.Competence,
    signer_position: doc.signer.Position,
    signer_full_name: doc.signer.FullName,
    to_places: Array.isArray(places) ? places.map(str) : [],
    steering_type: str(h.SteeringType) || '1',
  };
}

/** The compose form's start for replacing a sent document: its metadata, for its organization's clerks. */
export async function replacementDraft(db: Db, p: Principal, orgId: string, docId: string): Promise<{ input: ComposeInput; doc: DocumentRow } | undefined> {
  requireClerk(p, orgId);
  const doc = await documentRepo.find(db, docId);
  if (!doc || doc.org_id !== orgId || doc.box !== 'outbox') return undefined;
  return { input: inputOf(doc, await recipientRepo.of(db, doc.id)), doc };
}

async function sentDocument(deps: DocsDeps, p: Principal, docId: string): Promise<DocumentRow> {
  const doc = await documentRepo.find(deps.db, docId);
  if (!doc || doc.box !== 'outbox') throw notFound('not_found', { vi: 'Không có văn bản đi này.', en: 'No such sent document.' });
  requireClerk(p, doc.org_id);
  if (doc.replaced_by) throw conflict('replaced', { vi: 'Văn bản đã được thay thế.', en: 'The document has been replaced.' });
  return doc;
}

/**
 * Recalls (1) or updates (2) a sent document, as QCVN 102 defines them: a package naming the
 * document (Bussiness/DocumentId) goes to every recipient it reached, who answers 13 on arrival and
 * 15 (accepted) or 16 (refused) later. A recipient it has not reached yet is not sent the document
 * at all (its delivery is cancelled). An update carries metadata only, and changes the sender's
 * copy at once.
 */
export async function requestAction(
  deps: DocsDeps,
  p: Principal,
  actor: AuditActor,
  docId: string,
  type: '1' | '2',
  reason: string,
  changes: Partial<UpdateInput> = {},
): Promise<DocumentRow> {
  const doc = await sentDocument(deps, p, docId);
  if (doc.recalled) throw conflict('recalled', { vi: 'Văn bản đã được thu hồi.', en: 'The document has been recalled.' });
  const org = (await senderOrg(deps.db, doc.org_id))!;
  const recipients = await recipientRepo.of(deps.db, doc.id);
  const base = inputOf(doc, recipients);
  const input: ComposeInput = type === '2' ? { ...base, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) } : base;
  const { header } = await composeHeader(deps.db, org, input, { type, replaces: doc.document_id, reason: reason.normalize('NFC').trim() });
  const stored = await storeDocumentPackage(deps.files, header, [], await signerOf(deps.db, deps.box, doc.org_id));
  const pkg = type === '2' ? await readEdxml(deps.files.open(stored.key)) : undefined;
  const kind = type === '1' ? ('recall' as const) : ('update' as const);
  const updated = await deps.db.transaction().execute(async (trx) => {
    const locked = (await documentRepo.lock(trx, doc.id))!;
    if (locked.recalled) throw conflict('recalled', { vi: 'Văn bản đã được thu hồi.', en: 'The document has been recalled.' });
    await claimFile(trx, stored.key, `document:${doc.id}`);
    const reached: string[] = [];
    const cancelled: string[] = [];
    for (const r of await recipientRepo.of(trx, doc.id)) {
      if (r.delivery === 'delivered') reached.push(r.organ_id);
      else if (r.delivery === 'pending' && type === '1') cancelled.push(r.organ_id);
    }
    if (cancelled.length) {
      await cancelDeliveries(trx, doc.id, cancelled);
      for (const organ of cancelled) await recipientRepo.set(trx, doc.id, organ, { delivery: 'cancelled', recalled: true });
    }
    await deliveryRepo.insert(
      trx,
      reached.map((organ) => ({ org_id: doc.org_id, document: doc.id, kind, to_organ: organ, package_key: stored.key })),
    );
    await documentRepo.update(trx, doc.id, {
      pending_action: type,
      action_package: stored.key,
      ...(type === '1' && !reached.length ? { recalled: true } : {}),
    });
    if (pkg) await documentRepo.applyHeader(trx, doc.id, { ...documentColumns(pkg), header: pkg });
    await eventRepo.add(trx, [
      { document: doc.id, organ_id: null, kind: type === '1' ? 'recall-sent' : 'update-sent', code: null, description: reason, actor: actor.label },
      ...cancelled.map((organ) => ({ document: doc.id, organ_id: organ, kind: 'cancelled', code: null, description: '', actor: actor.label })),
    ]);
    await recordAudit(trx, actor, { action: `documents.${kind}`, entityType: 'doc_document', entityId: doc.id, details: { reason, to: reached } });
    return (await documentRepo.find(trx, doc.id))!;
  });
  deps.kick();
  return updated;
}

async function cancelDeliveries(trx: Db, document: string, organs: string[]): Promise<void> {
  await trx
    .withTables<DocumentsTables>()
    .updateTable('doc_delivery')
    .set({ state: 'cancelled' })
    .where('document', '=', document)
    .where('kind', '=', 'document')
    .where('state', '=', 'pending')
    .where('to_organ', 'in', organs)
    .execute();
}
