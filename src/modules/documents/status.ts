import { recordAudit, type AuditActor } from '../../platform/audit/index.js';
import type { Principal } from '../../platform/auth/index.js';
import { badRequest, notFound } from '../../platform/http/index.js';
import { requireClerk } from './access.js';
import { nextStatuses, STATUS } from './codes.js';
import type { StaffInfo } from './edxml/write.js';
import { documentColumns } from './ingest.js';
import { documentRepo, eventRepo } from './repository.js';
import type { DocsDeps } from './send.js';
import { prepareStatus, queueStatus } from './statuses.js';
import type { DocumentRow } from './tables.js';

async function received(deps: DocsDeps, docId: string): Promise<DocumentRow> {
  const doc = await documentRepo.find(deps.db, docId);
  if (!doc || doc.box !== 'inbox') throw notFound('not_found', { vi: 'Không có văn bản đến này.', en: 'No such received document.' });
  return doc;
}

/**
 * A recipient moves its document on (03 registered … 06 finished, or 02 refused), or answers a
 * pending recall or update with 15 (accepted) or 16 (refused); the status message goes back to
 * the sender by the same outbox. Accepting a recall marks the copy recalled; accepting an update
 * applies the new metadata.
 */
export async function setStatus(
  deps: DocsDeps,
  p: Principal,
  actor: AuditActor,
  docId: string,
  input: { code: string; description?: string; staff?: StaffInfo },
): Promise<DocumentRow> {
  const doc = await received(deps, docId);
  requireClerk(p, doc.org_id);
  const code = String(input.code ?? '').trim();
  const allowed = nextStatuses(doc.recalled ? '15' : doc.status, doc.pending_action !== null);
  if (!allowed.includes(code))
    throw badRequest(
      'invalid_status',
      {
        vi: `Không chuyển được sang trạng thái “${code}” từ ${doc.status ?? '—'}; được chọn: ${allowed.join(', ') || 'không'}.`,
        en: `Cannot move to status “${code}” from ${doc.status ?? '—'}; allowed: ${allowed.join(', ') || 'none'}.`,
      },
      'code',
    );
  const description = (input.description ?? '').normalize('NFC').trim().slice(0, 2000) || STATUS[code]!.vi;
  const statusKey = await prepareStatus(deps, doc, code, description, input.staff);
  const updated = await deps.db.transaction().execute(async (trx) => {
    const locked = (await documentRepo.lock(trx, doc.id))!;
    if (locked.status !== doc.status || locked.pending_action !== doc.pending_action)
      throw badRequest(
        'changed',
        { vi: 'Văn bản vừa được người khác cập nhật; hãy tải lại.', en: 'The document was just changed by someone else; reload it.' },
        'code',
      );
    const action = locked.pending_action;
    if (action && (code === '15' || code === '16')) {
      if (code === '15' && action === '2' && locked.pending_header)
        await documentRepo.applyHeader(trx, doc.id, { ...documentColumns(locked.pending_header), header: locked.pending_header });
      await documentRepo.update(trx, doc.id, { pending_action: null, pending_header: null, ...(code === '15' && action === '1' ? { recalled: true } : {}) });
    } else await documentRepo.update(trx, doc.id, { status: code });
    const kind = action ? (action === '1' ? 'recall-answered' : 'update-answered') : 'status';
    await eventRepo.add(trx, [{ document: doc.id, organ_id: null, kind, code, description, actor: actor.label }]);
    await queueStatus(trx, doc, statusKey);
    await recordAudit(trx, actor, { action: 'documents.status', entityType: 'doc_document', entityId: doc.id, details: { code, description } });
    return (await documentRepo.find(trx, doc.id))!;
  });
  deps.kick();
  return updated;
}

/** An agency system confirms it has taken a received document (the hub API's acknowledge); idempotent. */
export async function acknowledge(deps: DocsDeps, p: Principal, actor: AuditActor, docId: string): Promise<DocumentRow> {
  const doc = await received(deps, docId);
  requireClerk(p, doc.org_id);
  if (doc.acknowledged_at) return doc;
  return deps.db.transaction().execute(async (trx) => {
    await documentRepo.update(trx, doc.id, { acknowledged_at: new Date() });
    await eventRepo.add(trx, [{ document: doc.id, organ_id: null, kind: 'acknowledged', code: null, description: '', actor: actor.label }]);
    await recordAudit(trx, actor, { action: 'documents.ack', entityType: 'doc_document', entityId: doc.id });
    return (await documentRepo.find(trx, doc.id))!;
  });
}
