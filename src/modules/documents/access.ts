import { requireUser, roleRank, type OrgRole, type Principal } from '../../platform/auth/index.js';
import { forbidden } from '../../platform/http/index.js';

/**
 * Official documents are not public, and are the one place a sysadmin's powers stop: an
 * organization's boxes are read by its members only, and its clerks (editors and admins) send,
 * answer and change statuses. Sysadmins run the routes and settings but read no organization's
 * mail unless they are its members.
 */
const memberAtLeast = (p: Principal, orgId: string, min: OrgRole): boolean => {
  const role = p.memberships.get(orgId);
  return role !== undefined && roleRank(role) >= roleRank(min);
};

export function requireReader(p: Principal, orgId: string): void {
  requireUser(p);
  if (!memberAtLeast(p, orgId, 'member'))
    throw forbidden('forbidden', {
      vi: 'Chỉ thành viên của cơ quan được xem văn bản của cơ quan.',
      en: 'Only members of the organization may read its documents.',
    });
}

export function requireClerk(p: Principal, orgId: string): void {
  requireUser(p);
  if (!memberAtLeast(p, orgId, 'editor'))
    throw forbidden('forbidden', {
      vi: 'Chỉ văn thư (biên tập viên hoặc quản trị) của cơ quan được gửi và xử lý văn bản.',
      en: 'Only clerks (editors or admins) of the organization may send and handle its documents.',
    });
}

export const mayHandle = (p: Principal, orgId: string): boolean => memberAtLeast(p, orgId, 'editor');
