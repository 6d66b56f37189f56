import { recordAudit, type AuditActor } from '../../../platform/audit/index.js';
import type { Principal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { badRequest, conflict, FieldErrors } from '../../../platform/http/index.js';
import { DOC_TYPES, type DocumentsOutbox } from '../../documents/index.js';
import { requireReceiver } from '../reports/round.js';
import { annualRound } from '../reports/service.js';
import { renderDocx } from './docx.js';
import { DOCX_TYPE } from './export.js';
import { renderPdf } from './pdf.js';
import { defaultTemplate } from './template.js';
import { buildConsolidated } from './build.js';

export interface SendInput {
  /** Recipients by organ code (mã định danh), e.g. the Ministry's. */
  to?: string[];
}

/**
 * Sends the finalised consolidated report as an electronic official document (edXML, through the
 * documents module when it is installed): a Báo cáo from the Department, with the PDF and the DOCX
 * attached, signed and delivered as any document the Department's clerks compose.
 */
export async function sendConsolidated(db: Db, outbox: DocumentsOutbox | undefined, p: Principal, actor: AuditActor, year: number, input: SendInput) {
  const { regime, round } = await annualRound(db, year);
  requireReceiver(p, regime, 'editor');
  if (!outbox)
    throw conflict('documents_absent', {
      vi: 'Mô-đun văn bản điện tử chưa được cài đặt trên hệ thống này.',
      en: 'The electronic documents module is not installed here.',
    });
  const c = await buildConsolidated(db, p, year);
  const errors = new FieldErrors();
  if (!c.finalised) errors.add(badRequest('not_final', { vi: 'Hoàn thiện báo cáo trước khi gửi.', en: 'Finalise the report before sending it.' }, 'final'));
  const [number, ...notation] = c.numberSymbol.split('/');
  if (!number || !/^\d+$/.test(number.trim()))
    errors.add(
      badRequest(
        'required',
        { vi: 'Cần số văn bản (ví dụ 215/BC-SKHCN) trước khi gửi.', en: 'The document needs its number (e.g. 215/BC-SKHCN) before it is sent.' },
        'numberSymbol',
      ),
    );
  const to = Array.isArray(input.to) ? input.to.filter((x) => typeof x === 'string' && x.trim()).map((x) => x.trim()) : [];
  if (!to.length)
    errors.add(badRequest('required', { vi: 'Cần ít nhất một nơi nhận (mã định danh).', en: 'At least one recipient (organ code) is required.' }, 'to'));
  errors.throwIfAny();
  const name = `bao-cao-tong-hop-ttnt-${year}`;
  const type = DOC_TYPES.find((t) => t.type === '1' && t.name === 'Báo cáo')!;
  const sent = await outbox.send(
    p,
    actor,
    regime.receiver_org_id,
    {
      to,
      code_number: number!.trim(),
      code_notation: notation.join('/').trim(),
      promulgation_date: c.docDate!,
      place: c.place,
      doc_type: `${type.type}.${type.detail}`,
      subject: `Báo cáo ${c.subtitle.charAt(0).toLocaleLowerCase('vi') + c.subtitle.slice(1)}`,
      content: c.summary || undefined,
      signer_position: c.signerTitle,
      signer_full_name: c.signerName,
    },
    [
      { name: `${name}.pdf`, contentType: 'application/pdf', body: await renderPdf(c) },
      { name: `${name}.docx`, contentType: DOCX_TYPE, body: renderDocx(c, regime.template ?? defaultTemplate()) },
    ],
  );
  await db.transaction().execute((trx) =>
    recordAudit(trx, actor, {
      action: 'planning.consolidated.send',
      entityType: 'plan_round',
      entityId: round.id,
      details: { year, to, document: sent.documentId },
    }),
  );
  return sent;
}
