import type { Db } from '../../../platform/db/index.js';
import { defineJob } from '../../../platform/jobs/index.js';
import type { Mailer } from '../../../platform/mail/index.js';
import { proposalsRepo } from './repository.js';

/** The proposer's mail: on submission (with the tracking link, whose token only this mail carries), and on a decision. */
export const PROPOSAL_MAIL_JOB = defineJob<{ proposalId: string; token?: string }>('planning.proposal-mail');

const STATUS_VI: Record<string, string> = {
  submitted: 'đã nhận, chờ sàng lọc',
  screened_out: 'không được chuyển hội đồng',
  in_review: 'đang được hội đồng xem xét',
  approved: 'được phê duyệt',
  rejected: 'không được phê duyệt',
};

export async function sendProposalMail(db: Db, mail: Mailer, baseUrl: string, job: { proposalId: string; token?: string }): Promise<{ sent: boolean }> {
  const p = await proposalsRepo.get(db, job.proposalId);
  if (!p) return { sent: false };
  const link = job.token ? `${baseUrl.replace(/\/$/, '')}/plan/proposals/${p.id}?token=${encodeURIComponent(job.token)}` : null;
  const lines = [
    `Đề xuất ${p.code} "${p.title}": ${STATUS_VI[p.status] ?? p.status}.`,
    ...(p.status === 'screened_out' && p.screening_note ? [`Lý do: ${p.screening_note}`] : []),
    ...(p.decision_note ? [`Ý kiến: ${p.decision_note}`] : []),
    link ? `Theo dõi đề xuất: ${link}` : 'Theo dõi đề xuất bằng liên kết trong thư xác nhận đầu tiên.',
    '',
    `Proposal ${p.code} "${p.title}": ${p.status.replace('_', ' ')}.`,
    link ? `Follow it here: ${link}` : 'Follow it with the link in the first mail.',
  ];
  await mail.send({
    to: [p.proposer_email],
    subject: `[Tỉnh Số] Đề xuất nhiệm vụ KH&CN ${p.code}: ${STATUS_VI[p.status] ?? p.status}`,
    text: lines.join('\n'),
  });
  return { sent: true };
}
