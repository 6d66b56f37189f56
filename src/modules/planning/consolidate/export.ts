import { recordAudit, type AuditActor } from '../../../platform/audit/index.js';
import type { Principal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { annualRound } from '../reports/service.js';
import { requireReceiver, roundOverview } from '../reports/round.js';
import { reportRepo } from '../reports/repository.js';
import { consolidate } from './build.js';
import { checkTemplate, renderDocx } from './docx.js';
import { toExchangeJson } from './json.js';
import { renderPdf } from './pdf.js';
import { defaultTemplate } from './template.js';

export type ExportFormat = 'docx' | 'pdf' | 'json';
export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const TYPES: Record<ExportFormat, string> = { docx: DOCX_TYPE, pdf: 'application/pdf', json: 'application/json; charset=utf-8' };
export const TEMPLATE_LIMIT = 10 * 1024 * 1024;

/** The consolidated report of a year's annual round in one format (Department staff and sysadmins). */
export async function consolidatedFile(db: Db, p: Principal, year: number, format: ExportFormat): Promise<{ body: Buffer; type: string; filename: string }> {
  const overview = await roundOverview(db, p, year);
  const data = await consolidate(db, overview);
  const filename = `bao-cao-tong-hop-ttnt-${year}.${format}`;
  if (format === 'json') return { body: Buffer.from(JSON.stringify(toExchangeJson(data), null, 2)), type: TYPES.json, filename };
  if (format === 'pdf') return { body: await renderPdf(data), type: TYPES.pdf, filename };
  return { body: renderDocx(data, overview.regime.template ?? defaultTemplate()), type: TYPES.docx, filename };
}

/** The Word template in use (the Department's, or the built-in one). */
export async function currentTemplate(db: Db, p: Principal, year: number): Promise<Buffer> {
  const { regime } = await annualRound(db, year);
  requireReceiver(p, regime);
  return regime.template ?? defaultTemplate();
}

/** Replaces the Word template (null: back to the built-in one); it must read as a docxtemplater template. */
export async function replaceTemplate(db: Db, p: Principal, actor: AuditActor, year: number, file: Buffer | null): Promise<void> {
  const { regime } = await annualRound(db, year);
  requireReceiver(p, regime, 'editor');
  if (file) checkTemplate(file);
  await db.transaction().execute(async (trx) => {
    await reportRepo.setTemplate(trx, regime.id, file);
    await recordAudit(trx, actor, {
      action: file ? 'planning.template.replace' : 'planning.template.reset',
      entityType: 'plan_regime',
      entityId: regime.id,
      details: { bytes: file?.length ?? 0 },
    });
  });
}
