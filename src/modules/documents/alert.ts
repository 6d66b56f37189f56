import type { Db } from '../../platform/db/index.js';
import type { Mailer } from '../../platform/mail/index.js';
import { deliveryRepo, documentRepo, orgRepo } from './repository.js';

/**
 * The dead-letter alert: tells the sending organization's clerks which document could not be
 * delivered to whom, why, and where to retry it. Nothing to send (no clerks with mail) is not an
 * error; a refused mail throws, and the job is retried.
 */
export async function sendDeadLetterAlert(db: Db, mail: Mailer, baseUrl: string, deliveryId: string): Promise<{ to: number }> {
  const d = await deliveryRepo.find(db, deliveryId);
  if (!d || d.state !== 'dead') return { to: 0 };
  const to = await orgRepo.clerkEmails(db, d.org_id);
  if (!to.length) return { to: 0 };
  const doc = d.document ? await documentRepo.find(db, d.document) : undefined;
  const number = doc ? (doc.code_notation ? `${doc.code_number}/${doc.code_notation}` : doc.code_number) : '';
  const link = `${baseUrl.replace(/\/$/, '')}/edoc${doc ? `/doc/${doc.id}` : ''}`;
  await mail.send({
    to,
    subject: `[Tỉnh Số] Không gửi được văn bản ${number} tới ${d.to_organ} / Document not delivered`,
    text: [
      `Văn bản ${number}${doc ? ` “${doc.subject}”` : ''} (${d.kind}) chưa gửi được tới ${d.to_organ} sau ${d.attempts} lần thử.`,
      `Lỗi cuối: ${d.last_error ?? ''}`,
      `Xem và gửi lại: ${link}`,
      '',
      `Document ${number} (${d.kind}) could not be delivered to ${d.to_organ} after ${d.attempts} attempts.`,
      `Last error: ${d.last_error ?? ''}`,
      `See it and retry: ${link}`,
    ].join('\n'),
  });
  return { to: to.length };
}
