import { randomBytes } from 'node:crypto';
import { recordAudit, type AuditActor } from '../../platform/audit/index.js';
import { hasOrgRole, requireOrgRole, requireUser, type Principal } from '../../platform/auth/index.js';
import type { SecretBox } from '../../platform/crypto/index.js';
import type { Db } from '../../platform/db/index.js';
import { badRequest, FieldErrors, notFound } from '../../platform/http/index.js';
import { webhookUrl } from '../../platform/net/index.js';
import { isEmailAddress } from '../../platform/text/index.js';
import { findOrganization } from '../organizations/index.js';
import { subscriptionsRepo } from './repository.js';
import { SEVERITIES, type Severity, type SubscriptionRow } from './tables.js';

export interface SubscriptionInput {
  /** An organization's subscription (its admins'); a person's own without it. */
  org?: string | null;
  channel?: string;
  address?: string;
  minSeverity?: string;
}

/** A subscription as shown: never its secret. */
export const presentSubscription = (s: SubscriptionRow) => ({
  id: s.id,
  org: s.org_id,
  channel: s.channel,
  address: s.address,
  minSeverity: s.min_severity,
  createdAt: s.created_at.toISOString(),
});

/**
 * Subscribes a person (to the public warnings) or an organization (to every warning of its rules)
 * by e-mail or by webhook; a webhook gets a signing secret, shown once and kept sealed. Where a
 * webhook may point is the outbound policy's to say, at each call.
 */
export async function addSubscription(db: Db, p: Principal, actor: AuditActor, box: () => SecretBox, input: SubscriptionInput) {
  const user = requireUser(p);
  const errors = new FieldErrors();
  let orgId: string | null = null;
  if (input.org) {
    const org = await findOrganization(db, input.org);
    if (!org) errors.add(badRequest('unknown_org', { vi: 'Không có đơn vị này.', en: 'No such unit.' }, 'org'));
    else orgId = org.id;
  }
  const channel = input.channel;
  if (channel !== 'email' && channel !== 'webhook')
    errors.add(badRequest('invalid_channel', { vi: 'Kênh nhận phải là email hoặc webhook.', en: 'The channel must be email or webhook.' }, 'channel'));
  const address = (input.address ?? '').trim();
  if (channel === 'email' && !isEmailAddress(address))
    errors.add(badRequest('invalid_email', { vi: 'Địa chỉ thư không hợp lệ.', en: 'Not a valid e-mail address.' }, 'address'));
  const url = channel === 'webhook' ? errors.check(() => webhookUrl(address, 'address')) : undefined;
  const minSeverity = (input.minSeverity ?? 'minor') as Severity;
  if (!SEVERITIES.includes(minSeverity))
    errors.add(badRequest('invalid_severity', { vi: `Mức độ: ${SEVERITIES.join(', ')}.`, en: `The severity: ${SEVERITIES.join(', ')}.` }, 'minSeverity'));
  errors.throwIfAny();
  if (orgId) requireOrgRole(p, orgId, 'admin');
  const secret = channel === 'webhook' ? randomBytes(32).toString('base64url') : null;
  return db.transaction().execute(async (trx) => {
    const row = await subscriptionsRepo.insert(trx, {
      user_id: orgId ? null : user.id,
      org_id: orgId,
      channel: channel as 'email' | 'webhook',
      address: url ?? address.toLowerCase(),
      sealed_secret: secret ? box().seal(secret) : null,
      min_severity: minSeverity,
    });
    await recordAudit(trx, actor, { action: 'warnings.subscription.add', entityType: 'wr_subscription', entityId: row.id, details: { channel, org: orgId } });
    return { ...presentSubscription(row), ...(secret ? { secret } : {}) };
  });
}

/** The user's own subscriptions and those of the units they administer. */
export async function listSubscriptions(db: Db, p: Principal) {
  const user = requireUser(p);
  const own = await subscriptionsRepo.ofUser(db, user.id);
  const orgs = [...p.memberships].filter(([, role]) => role === 'admin').map(([id]) => id);
  const ofOrgs = (await Promise.all(orgs.map((o) => subscriptionsRepo.ofOrg(db, o)))).flat();
  return [...own, ...ofOrgs].map(presentSubscription);
}

export async function removeSubscription(db: Db, p: Principal, actor: AuditActor, id: string): Promise<void> {
  const user = requireUser(p);
  const sub = /^[0-9a-f-]{36}$/i.test(id) ? await subscriptionsRepo.get(db, id) : undefined;
  const mine = sub && (sub.user_id === user.id || (sub.org_id && hasOrgRole(p, sub.org_id, 'admin')) || user.isSysadmin);
  if (!sub || !mine) throw notFound('subscription_not_found', { vi: 'Không có đăng ký nhận cảnh báo này.', en: 'No such subscription.' });
  await db.transaction().execute(async (trx) => {
    await subscriptionsRepo.remove(trx, id);
    await recordAudit(trx, actor, { action: 'warnings.subscription.remove', entityType: 'wr_subscription', entityId: id });
  });
}
