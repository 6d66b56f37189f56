import { recordAudit, type AuditActor } from '../../platform/audit/index.js';
import type { Principal } from '../../platform/auth/index.js';
import { conflict, notFound } from '../../platform/http/index.js';
import { requireClerk } from './access.js';
import { deliveryRepo, eventRepo, recipientRepo } from './repository.js';
import type { DocsDeps } from './send.js';
import type { DeliveryRow, DocumentsTables } from './tables.js';

/** A clerk sends a dead delivery again: its attempts start over, now. */
export async function retryDelivery(deps: DocsDeps, p: Principal, actor: AuditActor, id: string): Promise<DeliveryRow> {
  const d = await deliveryRepo.find(deps.db, id);
  if (!d) throw notFound('not_found', { vi: 'Không có lượt gửi này.', en: 'No such delivery.' });
  requireClerk(p, d.org_id);
  if (d.state !== 'dead')
    throw conflict('not_dead', { vi: 'Chỉ gửi lại được lượt gửi đã dừng (hết số lần thử).', en: 'Only a dead delivery (out of attempts) can be retried.' });
  const row = await deps.db.transaction().execute(async (trx) => {
    const r = await trx
      .withTables<DocumentsTables>()
      .updateTable('doc_delivery')
      .set({ state: 'pending', attempts: 0, next_at: new Date() })
      .where('id', '=', id)
      .where('state', '=', 'dead')
      .returningAll()
      .executeTakeFirst();
    if (!r) throw conflict('not_dead', { vi: 'Lượt gửi vừa thay đổi.', en: 'The delivery just changed.' });
    if (d.document && d.kind === 'document') await recipientRepo.set(trx, d.document, d.to_organ, { delivery: 'pending' });
    if (d.document) await eventRepo.add(trx, [{ document: d.document, organ_id: d.to_organ, kind: 'retry', code: null, description: '', actor: actor.label }]);
    await recordAudit(trx, actor, { action: 'documents.retry', entityType: 'doc_delivery', entityId: id });
    return r as DeliveryRow;
  });
  deps.kick();
  return row;
}
