import { recordAudit, type AuditActor } from '../../platform/audit/index.js';
import { invalidatePrincipals, requireOrgRole, requireSysadmin, type OrgRole, type Principal } from '../../platform/auth/index.js';
import type { Db } from '../../platform/db/index.js';
import { defineEvent, type EventBus } from '../../platform/index.js';
import { badRequest, conflict, notFound } from '../../platform/http/index.js';
import { cleanText, slugify } from '../../platform/text/index.js';
import { memberRepo, orgRepo, type OrgInsert } from './repository.js';
import type { OrgKind, OrgRow } from './tables.js';
import { checkOrgInput } from './validate.js';

const NOT_FOUND = { vi: 'Không tìm thấy cơ quan, đơn vị.', en: 'Organization not found.' };

export async function listOrganizations(db: Db) {
  return orgRepo.list(db);
}

export async function getOrganization(db: Db, idOrSlug: string) {
  const detail = await orgRepo.detail(db, idOrSlug);
  if (!detail) throw notFound('organization_not_found', NOT_FOUND, 'id');
  return detail;
}

export interface OrgInput {
  name: string;
  slug?: string | undefined;
  nameEn?: string | null | undefined;
  shortName?: string | null | undefined;
  organCode?: string | null | undefined;
  kind: OrgKind;
  parentId?: string | null | undefined;
  adminUnitCode?: string | null | undefined;
  description?: string | null | undefined;
  email?: string | null | undefined;
  website?: string | null | undefined;
}

const opt = (v: string | null | undefined): string | null => (v === undefined || v === null ? null : cleanText(v) || null);

async function checkUnique(db: Db, slug: string | undefined, organCode: string | null | undefined, selfId?: string): Promise<void> {
  if (slug) {
    const other = await orgRepo.bySlug(db, slug);
    if (other && other.id !== selfId)
      throw conflict('slug_taken', { vi: 'Mã rút gọn "{slug}" đã được dùng.', en: 'The slug "{slug}" is already in use.' }, 'slug', { slug });
  }
  if (organCode) {
    const other = await orgRepo.byOrganCode(db, organCode);
    if (other && other.id !== selfId)
      throw conflict('organ_code_taken', { vi: 'Mã định danh {code} đã được dùng.', en: 'The organ code {code} is already in use.' }, 'organCode', {
        code: organCode,
      });
  }
}

async function checkParent(db: Db, parentId: string | null | undefined, selfId?: string): Promise<void> {
  if (!parentId) return;
  if (!(await orgRepo.find(db, parentId)))
    throw badRequest('parent_not_found', { vi: 'Cơ quan cấp trên không tồn tại.', en: 'The parent organization does not exist.' }, 'parentId');
  if (selfId && (parentId === selfId || (await orgRepo.isDescendant(db, parentId, selfId)))) {
    throw badRequest(
      'parent_cycle',
      { vi: 'Không thể đặt cơ quan làm cấp dưới của chính nó.', en: 'An organization cannot be placed under itself.' },
      'parentId',
    );
  }
}

export async function createOrganization(db: Db, p: Principal, actor: AuditActor, input: OrgInput): Promise<OrgRow> {
  requireSysadmin(p);
  checkOrgInput({ ...input }, 'create');
  const name = cleanText(input.name);
  const slug = input.slug ?? slugify(name);
  checkOrgInput({ kind: input.kind, slug }, 'update');
  return db.transaction().execute(async (trx) => {
    await checkUnique(trx, slug, input.organCode);
    await checkParent(trx, input.parentId);
    const values: OrgInsert = {
      slug,
      name,
      name_en: opt(input.nameEn),
      short_name: opt(input.shortName),
      organ_code: opt(input.organCode),
      kind: input.kind,
      parent_id: input.parentId ?? null,
      admin_unit_code: opt(input.adminUnitCode),
      description: opt(input.description),
      email: opt(input.email),
      website: opt(input.website),
    };
    const org = await orgRepo.insert(trx, values);
    await recordAudit(trx, actor, { action: 'organization.create', entityType: 'organization', entityId: org.id, details: { slug, name } });
    return org;
  });
}

/** Emitted in the transaction of every organization change; `fields` are the changed columns. */
export const ORGANIZATION_CHANGED = defineEvent<{ orgId: string; fields: string[] }>('organizations.changed');

export async function updateOrganization(
  db: Db,
  p: Principal,
  actor: AuditActor,
  idOrSlug: string,
  input: Partial<OrgInput>,
  events: EventBus,
): Promise<OrgRow> {
  requireSysadmin(p);
  checkOrgInput({ ...input }, 'update');
  return db.transaction().execute(async (trx) => {
    const org = await orgRepo.find(trx, idOrSlug);
    if (!org) throw notFound('organization_not_found', NOT_FOUND, 'id');
    await checkUnique(trx, input.slug, input.organCode, org.id);
    await checkParent(trx, input.parentId, org.id);
    const patch: Partial<OrgInsert> = {};
    if (input.name !== undefined) patch.name = cleanText(input.name);
    if (input.slug !== undefined) patch.slug = input.slug;
    if (input.nameEn !== undefined) patch.name_en = opt(input.nameEn);
    if (input.shortName !== undefined) patch.short_name = opt(input.shortName);
    if (input.organCode !== undefined) patch.organ_code = opt(input.organCode);
    if (input.kind !== undefined) patch.kind = input.kind;
    if (input.parentId !== undefined) patch.parent_id = input.parentId;
    if (input.adminUnitCode !== undefined) patch.admin_unit_code = opt(input.adminUnitCode);
    if (input.description !== undefined) patch.description = opt(input.description);
    if (input.email !== undefined) patch.email = opt(input.email);
    if (input.website !== undefined) patch.website = opt(input.website);
    const updated = (await orgRepo.update(trx, org.id, patch))!;
    await recordAudit(trx, actor, { action: 'organization.update', entityType: 'organization', entityId: org.id, details: { fields: Object.keys(patch) } });
    await events.emit(trx, ORGANIZATION_CHANGED, { orgId: org.id, fields: Object.keys(patch) });
    return updated;
  });
}

async function orgOrThrow(db: Db, idOrSlug: string): Promise<OrgRow> {
  const org = await orgRepo.find(db, idOrSlug);
  if (!org) throw notFound('organization_not_found', NOT_FOUND, 'id');
  return org;
}

export async function listMembers(db: Db, p: Principal, idOrSlug: string) {
  const org = await orgOrThrow(db, idOrSlug);
  requireOrgRole(p, org.id, 'admin');
  return memberRepo.forOrg(db, org.id);
}

export async function setMember(db: Db, p: Principal, actor: AuditActor, idOrSlug: string, userId: string, role: OrgRole): Promise<void> {
  const org = await orgOrThrow(db, idOrSlug);
  requireOrgRole(p, org.id, 'admin');
  await db.transaction().execute(async (trx) => {
    await memberRepo.upsert(trx, org.id, userId, role).catch((e: { code?: string }) => {
      if (e.code === '23503') throw notFound('user_not_found', { vi: 'Không tìm thấy người dùng.', en: 'User not found.' }, 'userId');
      throw e;
    });
    await recordAudit(trx, actor, { action: 'organization.member.set', entityType: 'organization', entityId: org.id, details: { userId, role } });
  });
  invalidatePrincipals();
}

export async function removeMember(db: Db, p: Principal, actor: AuditActor, idOrSlug: string, userId: string): Promise<void> {
  const org = await orgOrThrow(db, idOrSlug);
  requireOrgRole(p, org.id, 'admin');
  await db.transaction().execute(async (trx) => {
    if (!(await memberRepo.remove(trx, org.id, userId)))
      throw notFound('member_not_found', { vi: 'Người dùng không phải thành viên.', en: 'The user is not a member.' }, 'userId');
    await recordAudit(trx, actor, { action: 'organization.member.remove', entityType: 'organization', entityId: org.id, details: { userId } });
  });
  invalidatePrincipals();
}

/** The MembershipLoader the platform's auth uses. */
export async function loadMemberships(db: Db, userId: string): Promise<Map<string, OrgRole>> {
  const rows = await memberRepo.forUser(db, userId);
  return new Map(rows.map((r) => [r.org_id, r.role]));
}

/** Brief facts about organizations by id (kind, slug, names), for other modules' access rules and presenters. */
export async function organizationsByIds(db: Db, ids: string[]) {
  return orgRepo.kindsOf(db, [...new Set(ids)]);
}

/** By id or slug; undefined when there is none (for other modules' validation). */
export async function findOrganization(db: Db, idOrSlug: string): Promise<OrgRow | undefined> {
  return orgRepo.find(db, idOrSlug);
}
