import { recordAudit, type AuditActor } from '../../platform/audit/index.js';
import { hasOrgRole, orgsWithRole, requireUser, type Principal } from '../../platform/auth/index.js';
import type { Db } from '../../platform/db/index.js';
import { badRequest, FieldErrors, forbidden, notFound } from '../../platform/http/index.js';
import { cleanMultiline, parseViDateTime, slugify, vnInstant } from '../../platform/text/index.js';
import { findOrganization } from '../organizations/index.js';
import { postsRepo } from './repository.js';
import { POST_KINDS, type PostKind, type PostRow } from './tables.js';

/** What an editor sends (API and form alike); dates as dd/mm/yyyy HH:mm or ISO, Vietnam time. */
export interface PostInput {
  kind?: string;
  org?: string;
  title?: string;
  titleEn?: string | null;
  summary?: string;
  summaryEn?: string | null;
  body?: string;
  bodyEn?: string | null;
  startsAt?: string | null;
  endsAt?: string | null;
  place?: string | null;
  capacity?: number | string | null;
  registrationOpen?: boolean;
  published?: boolean;
}

const NEED_ROLE = { vi: 'Chỉ biên tập viên của đơn vị đăng bài được sửa bài này.', en: 'Only editors of the publishing unit may change this post.' };
const LIMITS = { title: 300, summary: 1000, body: 100_000, place: 300 } as const;

function text(errors: FieldErrors, field: string, v: unknown, max: number, required: boolean): string | null | undefined {
  if (v === undefined) return undefined;
  if (v === null || (typeof v === 'string' && v.trim() === '')) {
    if (required) errors.add(badRequest('required', { vi: 'Trường này là bắt buộc.', en: 'This field is required.' }, field));
    return null;
  }
  if (typeof v !== 'string') {
    errors.add(badRequest('invalid_type', { vi: 'Phải là chuỗi.', en: 'Must be a string.' }, field));
    return undefined;
  }
  const t = cleanMultiline(v);
  if (t.length > max) errors.add(badRequest('too_long', { vi: 'Dài quá {max} ký tự.', en: 'Longer than {max} characters.' }, field, { max }));
  return t;
}

function instant(errors: FieldErrors, field: string, v: string | null | undefined): Date | null | undefined {
  if (v === undefined) return undefined;
  if (v === null || v.trim() === '') return null;
  const p = parseViDateTime(v);
  if (!p) {
    errors.add(
      badRequest(
        'invalid_date',
        { vi: 'Viết ngày giờ dạng dd/mm/yyyy HH:mm, ví dụ 20/11/2026 08:00.', en: 'Write the date and time as dd/mm/yyyy HH:mm, e.g. 20/11/2026 08:00.' },
        field,
      ),
    );
    return undefined;
  }
  return vnInstant(p.date, p.time);
}

/** The one check of a post's fields (creation and edits); `current` for an edit. */
async function cleanPost(db: Db, input: PostInput, current?: PostRow) {
  const errors = new FieldErrors();
  const out: Partial<Omit<PostRow, 'id' | 'created_at' | 'updated_at'>> = {};
  if (input.kind !== undefined || !current) {
    if (!POST_KINDS.includes(input.kind as PostKind))
      errors.add(
        badRequest(
          'invalid_kind',
          { vi: 'Loại bài phải là news, event, course hoặc contest.', en: 'The kind must be news, event, course or contest.' },
          'kind',
        ),
      );
    else out.kind = input.kind as PostKind;
  }
  if (!current) {
    const org = typeof input.org === 'string' ? await findOrganization(db, input.org) : undefined;
    if (!org) errors.add(badRequest('unknown_org', { vi: 'Không có đơn vị này.', en: 'No such unit.' }, 'org'));
    else out.org_id = org.id;
  }
  const set = <K extends keyof typeof out>(k: K, v: (typeof out)[K] | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  set('title', text(errors, 'title', input.title ?? (current ? undefined : null), LIMITS.title, true) ?? undefined);
  set('title_en', text(errors, 'titleEn', input.titleEn, LIMITS.title, false));
  set('summary', text(errors, 'summary', input.summary, LIMITS.summary, false) ?? (input.summary === undefined ? undefined : ''));
  set('summary_en', text(errors, 'summaryEn', input.summaryEn, LIMITS.summary, false));
  set('body', text(errors, 'body', input.body, LIMITS.body, false) ?? (input.body === undefined ? undefined : ''));
  set('body_en', text(errors, 'bodyEn', input.bodyEn, LIMITS.body, false));
  set('place', text(errors, 'place', input.place, LIMITS.place, false));
  set('starts_at', instant(errors, 'startsAt', input.startsAt));
  set('ends_at', instant(errors, 'endsAt', input.endsAt));
  if (input.capacity !== undefined) {
    const c = input.capacity === null || input.capacity === '' ? null : Number(input.capacity);
    if (c !== null && (!Number.isInteger(c) || c < 1 || c > 100_000))
      errors.add(
        badRequest(
          'invalid_capacity',
          { vi: 'Số chỗ là số nguyên từ 1 đến 100.000, hoặc để trống.', en: 'The capacity is a whole number from 1 to 100,000, or empty.' },
          'capacity',
        ),
      );
    else out.capacity = c;
  }
  if (input.registrationOpen !== undefined) out.registration_open = input.registrationOpen === true;
  if (input.published !== undefined) out.published_at = input.published ? (current?.published_at ?? new Date()) : null;
  errors.throwIfAny();
  // Rules across fields, on the post as it would be.
  const next = { ...current, ...out } as PostRow;
  if (next.kind !== 'news' && !next.starts_at)
    errors.add(
      badRequest('required', { vi: 'Sự kiện, khóa học, cuộc thi cần thời gian bắt đầu.', en: 'Events, courses and contests need a start time.' }, 'startsAt'),
    );
  if (next.starts_at && next.ends_at && next.ends_at < next.starts_at)
    errors.add(badRequest('invalid_range', { vi: 'Thời gian kết thúc trước thời gian bắt đầu.', en: 'The end is before the start.' }, 'endsAt'));
  if (next.registration_open && next.kind === 'news')
    errors.add(badRequest('invalid_registration', { vi: 'Tin tức không nhận đăng ký.', en: 'News takes no registrations.' }, 'registrationOpen'));
  errors.throwIfAny();
  return out;
}

async function uniqueSlug(db: Db, title: string): Promise<string> {
  const base = slugify(title, 80) || 'bai-viet';
  for (let i = 1; ; i++) {
    const slug = i === 1 ? base : `${base}-${i}`;
    if (!(await postsRepo.slugTaken(db, slug))) return slug;
  }
}

/** A new post of an organization, by its editors (a draft unless `published`). */
export async function createPost(db: Db, p: Principal, actor: AuditActor, input: PostInput): Promise<PostRow> {
  const user = requireUser(p);
  const v = await cleanPost(db, input);
  if (!hasOrgRole(p, v.org_id!, 'editor')) throw forbidden('forbidden', NEED_ROLE);
  return db.transaction().execute(async (trx) => {
    const row = await postsRepo.insert(trx, {
      slug: await uniqueSlug(trx, v.title!),
      summary: '',
      body: '',
      title_en: null,
      summary_en: null,
      body_en: null,
      starts_at: null,
      ends_at: null,
      place: null,
      capacity: null,
      registration_open: false,
      published_at: null,
      ...v,
      kind: v.kind!,
      org_id: v.org_id!,
      title: v.title!,
      created_by: user.id,
    });
    await recordAudit(trx, actor, { action: 'awareness.post.create', entityType: 'aw_post', entityId: row.id, details: { slug: row.slug, kind: row.kind } });
    return row;
  });
}

/** Edits a post (its organization's editors). */
export async function updatePost(db: Db, p: Principal, actor: AuditActor, slug: string, input: PostInput): Promise<PostRow> {
  requireUser(p);
  return db.transaction().execute(async (trx) => {
    const current = await postsRepo.lockBySlug(trx, slug);
    if (!current) throw notFound('post_not_found', { vi: 'Không có bài này.', en: 'No such post.' });
    if (!hasOrgRole(p, current.org_id, 'editor')) throw forbidden('forbidden', NEED_ROLE);
    const v = await cleanPost(trx, input, current);
    const row = await postsRepo.update(trx, current.id, v);
    await recordAudit(trx, actor, { action: 'awareness.post.update', entityType: 'aw_post', entityId: row.id, details: { slug, fields: Object.keys(v) } });
    return row;
  });
}

/** A post as its page shows it: published ones for everyone, drafts for their organization's editors. */
export async function getPost(db: Db, p: Principal, slug: string): Promise<PostRow> {
  const row = await postsRepo.bySlug(db, slug);
  const visible = row && ((row.published_at && row.published_at <= new Date()) || hasOrgRole(p, row.org_id, 'editor'));
  if (!visible) throw notFound('post_not_found', { vi: 'Không có bài này.', en: 'No such post.' });
  return row;
}

/** Published posts, newest first. */
export const listPosts = (db: Db, kind?: PostKind, limit = 50): Promise<PostRow[]> =>
  postsRepo.published(db, { kind, limit: Math.min(Math.max(limit, 1), 200) });

/** The publishing unit of a post (slug and name), for its page. */
export async function publisherOf(db: Db, post: PostRow): Promise<{ slug: string; name: string } | undefined> {
  const org = await findOrganization(db, post.org_id);
  return org && { slug: org.slug, name: org.name };
}

/** The units whose posts the user may write (editor or admin there). */
export const editorUnits = (p: Principal): string[] => orgsWithRole(p, 'editor');

/** Drafts and published posts of the units where the user edits. */
export const postsOfMyUnits = (db: Db, p: Principal): Promise<PostRow[]> => postsRepo.ofOrgs(db, editorUnits(p));
