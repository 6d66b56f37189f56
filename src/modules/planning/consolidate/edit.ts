import { recordAudit, type AuditActor } from '../../../platform/audit/index.js';
import type { Principal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { badRequest, conflict, FieldErrors, unprocessable } from '../../../platform/http/index.js';
import { cleanMultiline, parseViDateTime } from '../../../platform/text/index.js';
import { annualRound } from '../reports/service.js';
import { requireReceiver } from '../reports/round.js';
import { consolidatedRepo, type ConsolidatedText } from './repository.js';
import { reportRepo } from '../reports/repository.js';

export interface ConsolidatedInput {
  numberSymbol?: string;
  place?: string;
  /** dd/mm/yyyy or yyyy-mm-dd; empty for none yet. */
  docDate?: string | null;
  summary?: string;
  assessment?: string;
  recommendations?: string;
  recipients?: string[] | string;
  signerTitle?: string;
  signerName?: string;
}

const LIMITS = { numberSymbol: 50, place: 100, summary: 50_000, assessment: 50_000, recommendations: 50_000, signerTitle: 100, signerName: 100 } as const;

function dateOf(errors: FieldErrors, v: string | null | undefined): string | null | undefined {
  if (v === undefined) return undefined;
  if (v === null || v.trim() === '') return null;
  const parsed = parseViDateTime(v);
  if (parsed && !parsed.time) return parsed.date;
  errors.add(
    badRequest('invalid_date', { vi: 'Ngày phải viết dd/mm/yyyy, ví dụ 20/11/2026.', en: 'Write the date as dd/mm/yyyy, e.g. 20/11/2026.' }, 'docDate'),
  );
  return undefined;
}

/** The Department edits its own text and the document's particulars until it finalises the report. */
export async function updateConsolidated(db: Db, p: Principal, actor: AuditActor, year: number, input: ConsolidatedInput): Promise<void> {
  const { regime, round } = await annualRound(db, year);
  requireReceiver(p, regime, 'editor');
  await db.transaction().execute(async (trx) => {
    const row = await consolidatedRepo.lock(trx, round.id);
    if (row.finalised_at)
      throw conflict('finalised', { vi: 'Báo cáo tổng hợp đã hoàn thiện; mở lại để sửa.', en: 'The consolidated report is final; reopen it to edit.' });
    const errors = new FieldErrors();
    const text: ConsolidatedText = {
      number_symbol: row.number_symbol,
      place: row.place,
      doc_date: row.doc_date,
      summary: row.summary,
      assessment: row.assessment,
      recommendations: row.recommendations,
      recipients: row.recipients,
      signer_title: row.signer_title,
      signer_name: row.signer_name,
    };
    const str = (k: keyof typeof LIMITS): string | undefined => {
      const v = input[k];
      if (v === undefined) return undefined;
      if (typeof v !== 'string') {
        errors.add(badRequest('invalid_type', { vi: 'Phải là chuỗi ký tự.', en: 'Must be a string.' }, k));
        return undefined;
      }
      const s = cleanMultiline(v);
      if (s.length > LIMITS[k]) errors.add(badRequest('too_long', { vi: `Tối đa ${LIMITS[k]} ký tự.`, en: `At most ${LIMITS[k]} characters.` }, k));
      return s;
    };
    const set = <K extends keyof ConsolidatedText>(key: K, v: ConsolidatedText[K] | undefined) => {
      if (v !== undefined) text[key] = v;
    };
    set('number_symbol', str('numberSymbol'));
    set('place', str('place'));
    set('summary', str('summary'));
    set('assessment', str('assessment'));
    set('recommendations', str('recommendations'));
    set('signer_title', str('signerTitle'));
    set('signer_name', str('signerName'));
    set('doc_date', dateOf(errors, input.docDate));
    if (input.recipients !== undefined) {
      const list = (Array.isArray(input.recipients) ? input.recipients : String(input.recipients).split('\n'))
        .map((r) => (typeof r === 'string' ? cleanMultiline(r).replace(/;$/, '') : ''))
        .filter(Boolean);
      if (list.length > 30 || list.some((r) => r.length > 200))
        errors.add(
          badRequest(
            'invalid_recipients',
            { vi: 'Tối đa 30 nơi nhận, mỗi nơi tối đa 200 ký tự.', en: 'At most 30 recipients of 200 characters each.' },
            'recipients',
          ),
        );
      else text.recipients = list;
    }
    errors.throwIfAny();
    await consolidatedRepo.save(trx, round.id, text);
    await recordAudit(trx, actor, {
      action: 'planning.consolidated.update',
      entityType: 'plan_round',
      entityId: round.id,
      details: { year, fields: Object.keys(input) },
    });
  });
}

/** Finalises (or reopens) the consolidated report; final needs its date and signer. */
export async function finaliseConsolidated(db: Db, p: Principal, actor: AuditActor, year: number, final: boolean): Promise<void> {
  const { regime, round } = await annualRound(db, year);
  const user = p.user;
  requireReceiver(p, regime, 'editor');
  await db.transaction().execute(async (trx) => {
    const row = await consolidatedRepo.lock(trx, round.id);
    if (final) {
      const errors = new FieldErrors();
      if (!row.doc_date) errors.add(unprocessable('required', { vi: 'Cần ngày ban hành.', en: 'The date is required.' }, 'docDate'));
      if (!row.signer_name) errors.add(unprocessable('required', { vi: 'Cần họ tên người ký.', en: 'The signer is required.' }, 'signerName'));
      errors.throwIfAny();
    }
    await consolidatedRepo.finalise(trx, round.id, user?.id ?? null, final);
    await recordAudit(trx, actor, {
      action: final ? 'planning.consolidated.finalise' : 'planning.consolidated.reopen',
      entityType: 'plan_round',
      entityId: round.id,
      details: { year },
    });
  });
}

/** Publishes (or withdraws) a round's progress on the public plan page. */
export async function publishRound(db: Db, p: Principal, actor: AuditActor, year: number, published: boolean): Promise<void> {
  const { regime, round } = await annualRound(db, year);
  requireReceiver(p, regime, 'editor');
  await db.transaction().execute(async (trx) => {
    await reportRepo.setPublished(trx, round.id, published);
    await recordAudit(trx, actor, {
      action: published ? 'planning.round.publish' : 'planning.round.unpublish',
      entityType: 'plan_round',
      entityId: round.id,
      details: { year },
    });
  });
}
