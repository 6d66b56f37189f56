import { recordAudit, type AuditActor } from '../../platform/audit/index.js';
import { hasOrgRole, requireOrgRole, requireUser, type Principal } from '../../platform/auth/index.js';
import type { Db } from '../../platform/db/index.js';
import { conflict, notFound } from '../../platform/http/index.js';
import { alertsRepo, rulesRepo } from './repository.js';

export type AlertListItem = Awaited<ReturnType<typeof alertsRepo.list>>[number];

const noAlert = () => notFound('alert_not_found', { vi: 'Không có cảnh báo này.', en: 'No such warning.' });

/** Alerts a viewer may see, newest first: public ones for everyone, and every alert of the units the user belongs to. */
export async function listAlerts(db: Db, p: Principal, opts: { open?: boolean; station?: number; limit?: number } = {}): Promise<AlertListItem[]> {
  const orgIds = p.user?.isSysadmin ? 'all' : [...p.memberships.keys()];
  return alertsRepo.list(db, { orgIds, open: opts.open, thingId: opts.station, limit: Math.min(opts.limit ?? 100, 500) });
}

/** One alert with its history, if the viewer may see it. */
export async function getAlert(db: Db, p: Principal, id: string) {
  const alert = /^[0-9a-f-]{36}$/i.test(id) ? await alertsRepo.get(db, id) : undefined;
  const rule = alert ? await rulesRepo.get(db, alert.rule_id) : undefined;
  if (!alert || !rule || !(rule.public || hasOrgRole(p, rule.org_id, 'member'))) throw noAlert();
  return { alert, rule, events: await alertsRepo.events(db, id) };
}

/** An editor of the rule's unit acknowledges an open alert: it is no longer escalated; it still resolves by itself. */
export async function acknowledgeAlert(db: Db, p: Principal, actor: AuditActor, id: string, note?: string) {
  const user = requireUser(p);
  const { rule } = await getAlert(db, p, id);
  requireOrgRole(p, rule.org_id, 'editor');
  return db.transaction().execute(async (trx) => {
    const alert = await alertsRepo.lock(trx, id);
    if (!alert) throw noAlert();
    if (alert.state !== 'open')
      throw conflict('alert_not_open', { vi: 'Cảnh báo đã được xác nhận hoặc đã kết thúc.', en: 'The warning is already acknowledged or over.' }, 'state');
    const clean = note?.normalize('NFC').trim().slice(0, 1000) || null;
    const row = await alertsRepo.update(trx, id, { state: 'acknowledged', acknowledged_at: new Date(), acknowledged_by: user.id });
    await alertsRepo.addEvent(trx, id, 'acknowledged', user.id, null, clean);
    await recordAudit(trx, actor, { action: 'warnings.alert.acknowledge', entityType: 'wr_alert', entityId: id });
    return row;
  });
}
