import { recordAudit, type AuditActor } from '../../platform/audit/index.js';
import { hashSecret, hasOrgRole, newSecret, requireUser, secretMatches, type Principal } from '../../platform/auth/index.js';
import type { Db } from '../../platform/db/index.js';
import { badRequest, conflict, FieldErrors, forbidden, notFound } from '../../platform/http/index.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import { cleanText, isEmailAddress } from '../../platform/text/index.js';
import { REGISTRATION_MAIL_JOB } from './mail.js';
import { postsRepo, registrationsRepo } from './repository.js';
import type { PostRow, RegistrationRow } from './tables.js';

export interface RegistrationInput {
  name?: string;
  email?: string;
  affiliation?: string | null;
}

const NOT_FOUND = { vi: 'Không có sự kiện này.', en: 'No such event.' };

function cleanRegistration(input: RegistrationInput) {
  const errors = new FieldErrors();
  const name = typeof input.name === 'string' ? cleanText(input.name) : '';
  const email = typeof input.email === 'string' ? input.email.trim().normalize('NFC') : '';
  const affiliation = typeof input.affiliation === 'string' && input.affiliation.trim() ? cleanText(input.affiliation).slice(0, 300) : null;
  if (!name) errors.add(badRequest('required', { vi: 'Cần họ và tên.', en: 'Your name is required.' }, 'name'));
  else if (name.length > 200) errors.add(badRequest('too_long', { vi: 'Họ tên dài quá 200 ký tự.', en: 'The name is longer than 200 characters.' }, 'name'));
  if (!isEmailAddress(email) || email.length > 254)
    errors.add(badRequest('invalid_email', { vi: 'Địa chỉ thư điện tử không hợp lệ.', en: 'Not a valid e-mail address.' }, 'email'));
  errors.throwIfAny();
  return { name, email, affiliation };
}

/** Places left (null: no limit). */
export async function seatsLeft(db: Db, post: PostRow): Promise<number | null> {
  if (post.capacity === null) return null;
  return Math.max(0, post.capacity - (await registrationsRepo.count(db, post.id, 'confirmed')));
}

/** Whether a post takes registrations now: published, open, and not yet begun. */
export function registrationOpen(post: PostRow, now = new Date()): boolean {
  return !!post.published_at && post.published_at <= now && post.registration_open && post.kind !== 'news' && (!post.starts_at || post.starts_at > now);
}

/**
 * Registers someone for an event or course. The post's row is locked, so two people never take
 * the last place: up to the capacity a registration is confirmed, after it waitlisted in order.
 * The confirmation mail is queued in the same transaction (sent by a job, retried if refused);
 * the cancel link's token is returned once and stored hashed.
 */
export async function register(
  db: Db,
  jobs: JobQueue,
  actor: AuditActor,
  slug: string,
  input: RegistrationInput,
): Promise<{ registration: RegistrationRow; token: string; post: PostRow }> {
  const v = cleanRegistration(input);
  return db.transaction().execute(async (trx) => {
    const post = await postsRepo.lockBySlug(trx, slug);
    if (!post || !post.published_at || post.published_at > new Date()) throw notFound('post_not_found', NOT_FOUND);
    if (!registrationOpen(post))
      throw conflict('registration_closed', {
        vi: 'Sự kiện này không nhận đăng ký (đã đóng hoặc đã diễn ra).',
        en: 'This event takes no registrations (closed or past).',
      });
    if (await registrationsRepo.activeByEmail(trx, post.id, v.email))
      throw conflict('already_registered', { vi: 'Địa chỉ thư này đã đăng ký sự kiện.', en: 'This e-mail address is already registered.' }, 'email');
    const confirmed = await registrationsRepo.count(trx, post.id, 'confirmed');
    const status = post.capacity === null || confirmed < post.capacity ? 'confirmed' : 'waitlisted';
    const token = newSecret('');
    const registration = await registrationsRepo.insert(trx, { post_id: post.id, ...v, status, cancel_token_hash: hashSecret(token) });
    await jobs.enqueue(trx, REGISTRATION_MAIL_JOB, { registrationId: registration.id, kind: status, token }, null);
    await recordAudit(trx, actor, {
      action: 'awareness.registration.create',
      entityType: 'aw_registration',
      entityId: registration.id,
      details: { post: slug, status },
    });
    return { registration, token, post };
  });
}

/**
 * Cancels a registration by the token of its link; a confirmed place that frees goes to the first
 * on the waiting list, who is told by mail.
 */
export async function cancelRegistration(db: Db, jobs: JobQueue, actor: AuditActor, id: string, token: string): Promise<RegistrationRow> {
  return db.transaction().execute(async (trx) => {
    const found = await registrationsRepo.get(trx, id);
    if (!found || !secretMatches(token, found.cancel_token_hash))
      throw notFound('registration_not_found', { vi: 'Không có đăng ký này, hoặc liên kết không đúng.', en: 'No such registration, or the link is wrong.' });
    // The post first, then the registration: the order register() takes them in.
    const post = (await postsRepo.lockById(trx, found.post_id))!;
    const row = (await registrationsRepo.lock(trx, id))!;
    if (row.status === 'cancelled') return row;
    const cancelled = await registrationsRepo.setStatus(trx, id, 'cancelled');
    let promoted: string | null = null;
    if (row.status === 'confirmed') {
      const next = await registrationsRepo.firstWaiting(trx, post.id);
      if (next && (post.capacity === null || (await registrationsRepo.count(trx, post.id, 'confirmed')) < post.capacity)) {
        await registrationsRepo.setStatus(trx, next.id, 'confirmed');
        await jobs.enqueue(trx, REGISTRATION_MAIL_JOB, { registrationId: next.id, kind: 'promoted' }, null);
        promoted = next.id;
      }
    }
    await recordAudit(trx, actor, {
      action: 'awareness.registration.cancel',
      entityType: 'aw_registration',
      entityId: id,
      details: { post: post.slug, promoted },
    });
    return cancelled;
  });
}

async function editablePost(db: Db, p: Principal, slug: string): Promise<PostRow> {
  requireUser(p);
  const post = await postsRepo.bySlug(db, slug);
  if (!post) throw notFound('post_not_found', NOT_FOUND);
  if (!hasOrgRole(p, post.org_id, 'editor'))
    throw forbidden('forbidden', {
      vi: 'Chỉ biên tập viên của đơn vị tổ chức được xem danh sách.',
      en: 'Only the organizing unit’s editors may see the list.',
    });
  return post;
}

/** The registrations of a post, in order (its organization's editors). */
export async function registrationsOf(db: Db, p: Principal, slug: string): Promise<{ post: PostRow; registrations: RegistrationRow[] }> {
  const post = await editablePost(db, p, slug);
  return { post, registrations: await registrationsRepo.ofPost(db, post.id) };
}

/** Marks who came (its organization's editors). */
export async function setAttendance(db: Db, p: Principal, actor: AuditActor, slug: string, id: string, attended: boolean): Promise<RegistrationRow> {
  const post = await editablePost(db, p, slug);
  return db.transaction().execute(async (trx) => {
    const row = await registrationsRepo.lock(trx, id);
    if (!row || row.post_id !== post.id) throw notFound('registration_not_found', { vi: 'Không có đăng ký này.', en: 'No such registration.' });
    if (row.status !== 'confirmed')
      throw conflict('not_confirmed', { vi: 'Chỉ ghi nhận tham dự cho người đã được xác nhận chỗ.', en: 'Only confirmed registrations can attend.' });
    const out = await registrationsRepo.setAttended(trx, id, attended);
    await recordAudit(trx, actor, {
      action: 'awareness.registration.attendance',
      entityType: 'aw_registration',
      entityId: id,
      details: { post: slug, attended },
    });
    return out;
  });
}

/** Where a waitlisted registration stands on the list (1 = next). */
export const waitingPosition = (db: Db, r: RegistrationRow): Promise<number> => registrationsRepo.waitingPosition(db, r);
