import type { Db } from '../../platform/db/index.js';
import { defineJob } from '../../platform/jobs/index.js';
import type { Mailer } from '../../platform/mail/index.js';
import { formatViDateTime } from '../../platform/text/index.js';
import { postsRepo, registrationsRepo } from './repository.js';

/** A registration's mail: confirmed, waitlisted (with the cancel link), or moved up from the list. */
export const REGISTRATION_MAIL_JOB = defineJob<{ registrationId: string; kind: 'confirmed' | 'waitlisted' | 'promoted'; token?: string }>(
  'awareness.registration-mail',
);

export async function sendRegistrationMail(
  db: Db,
  mail: Mailer,
  baseUrl: string,
  job: { registrationId: string; kind: 'confirmed' | 'waitlisted' | 'promoted'; token?: string },
): Promise<{ sent: boolean }> {
  const r = await registrationsRepo.get(db, job.registrationId);
  const post = r ? await postsRepo.byId(db, r.post_id) : undefined;
  if (!r || !post || r.status === 'cancelled') return { sent: false };
  const base = baseUrl.replace(/\/$/, '');
  const page = `${base}/awareness/${post.slug}`;
  const when = post.starts_at ? formatViDateTime(post.starts_at) : '';
  const where = post.place ? `, ${post.place}` : '';
  const cancel = job.token ? `${base}/awareness/${post.slug}/registrations/${r.id}/cancel?token=${encodeURIComponent(job.token)}` : null;
  const vi = {
    confirmed: `Chào ${r.name}, bạn đã được xác nhận tham dự "${post.title}" lúc ${when}${where}.`,
    waitlisted: `Chào ${r.name}, "${post.title}" đã hết chỗ; bạn ở trong danh sách chờ và sẽ nhận thư khi có chỗ.`,
    promoted: `Chào ${r.name}, đã có chỗ cho bạn: bạn được xác nhận tham dự "${post.title}" lúc ${when}${where}.`,
  }[job.kind];
  const en = {
    confirmed: `Hello ${r.name}, your place at "${post.title_en ?? post.title}" on ${when}${where} is confirmed.`,
    waitlisted: `Hello ${r.name}, "${post.title_en ?? post.title}" is full; you are on the waiting list and will hear from us if a place frees.`,
    promoted: `Hello ${r.name}, a place has freed: your place at "${post.title_en ?? post.title}" on ${when}${where} is confirmed.`,
  }[job.kind];
  const subject = {
    confirmed: `[Tỉnh Số] Xác nhận đăng ký: ${post.title}`,
    waitlisted: `[Tỉnh Số] Danh sách chờ: ${post.title}`,
    promoted: `[Tỉnh Số] Đã có chỗ: ${post.title}`,
  }[job.kind];
  const lines = [
    vi,
    `Chi tiết: ${page}`,
    cancel ? `Nếu không tham dự được, hủy đăng ký tại: ${cancel}` : 'Nếu không tham dự được, hủy theo liên kết trong thư đăng ký đầu tiên.',
    '',
    en,
    `Details: ${page}`,
    cancel ? `If you cannot come, cancel here: ${cancel}` : 'If you cannot come, cancel with the link in your first mail.',
  ];
  await mail.send({ to: [r.email], subject, text: lines.join('\n') });
  return { sent: true };
}
