import { randomUUID } from 'node:crypto';
import { webhookSignature, type SecretBox } from '../../platform/crypto/index.js';
import type { Db } from '../../platform/db/index.js';
import { defineJob, type JobQueue } from '../../platform/jobs/index.js';
import type { Mailer } from '../../platform/mail/index.js';
import type { Outbound } from '../../platform/net/index.js';
import { stationList } from '../sensors/index.js';
import { alertsRepo, rulesRepo, subscriptionsRepo } from './repository.js';
import { SEVERITIES, type AlertRow, type RuleRow } from './tables.js';

export type NotifyEvent = 'alert.opened' | 'alert.escalated' | 'alert.resolved';
interface NotifyData {
  alert: string;
  event: NotifyEvent;
  subscription: string;
  event_id: string;
  at: string;
}

/** One notification of one alert's change to one subscription (e-mail or webhook), retried when the receiver fails. */
export const NOTIFY_JOB = defineJob<NotifyData>('warnings.notify');
/** Retries: eight more, from 30 s (TINHSO_WARNINGS_RETRY_SECONDS) doubling. */
const retry = () => ({ limit: 8, delaySeconds: Number(process.env.TINHSO_WARNINGS_RETRY_SECONDS) || 30, backoff: true });

/** Queues the change for everyone who is to hear of it, in the caller's transaction: told only if the change commits. */
export async function queueNotifications(trx: Db, jobs: JobQueue, rule: RuleRow, alert: AlertRow, event: NotifyEvent): Promise<number> {
  const rank = SEVERITIES.indexOf(rule.severity);
  const subs = (await subscriptionsRepo.audience(trx, rule.org_id, rule.public)).filter((s) => SEVERITIES.indexOf(s.min_severity) <= rank);
  const at = new Date().toISOString();
  for (const s of subs) await jobs.enqueue(trx, NOTIFY_JOB, { alert: alert.id, event, subscription: s.id, event_id: randomUUID(), at }, null, retry());
  return subs.length;
}

const SUBJECT: Record<NotifyEvent, [string, string]> = {
  'alert.opened': ['Cảnh báo', 'Warning'],
  'alert.escalated': ['Cảnh báo chưa được xác nhận (chuyển cấp)', 'Warning not acknowledged (escalated)'],
  'alert.resolved': ['Hết cảnh báo', 'Warning over'],
};

/** The job: the alert as it stands now, mailed or POSTed (signed with HMAC-SHA256; a refusal throws, and the job is retried). */
export async function sendNotification(db: Db, mail: Mailer, net: Outbound, box: () => SecretBox, baseUrl: string, data: NotifyData) {
  const sub = await subscriptionsRepo.get(db, data.subscription);
  const alert = await alertsRepo.get(db, data.alert);
  const rule = alert ? await rulesRepo.get(db, alert.rule_id) : undefined;
  if (!sub || !alert || !rule) return { skipped: 'gone' };
  const station = (await stationList(db, [alert.thing_id]))[0]?.name ?? `#${alert.thing_id}`;
  const base = baseUrl.replace(/\/$/, '');
  const page = `${base}/warnings/${alert.id}`;
  if (sub.channel === 'email') {
    const [vi, en] = SUBJECT[data.event];
    const lines = [
      `${vi}: ${rule.name} — ${station}`,
      alert.detail,
      data.event === 'alert.escalated' ? `Cấp ${alert.level}: chưa ai xác nhận cảnh báo từ ${alert.opened_at.toISOString()}.` : '',
      `Chi tiết và xác nhận: ${page}`,
      '',
      `${en}: ${rule.name} — ${station}`,
      alert.detail_en,
      data.event === 'alert.escalated' ? `Level ${alert.level}: nobody has acknowledged it since ${alert.opened_at.toISOString()}.` : '',
      `Details and acknowledgement: ${page}`,
    ].filter((l, i, all) => l !== '' || all[i - 1] !== '');
    await mail.send({ to: [sub.address], subject: `[Tỉnh Số] ${vi}: ${rule.name} — ${station}`, text: lines.join('\n') });
    return { mailed: sub.address };
  }
  const body = JSON.stringify({
    id: data.event_id,
    event: data.event,
    occurred_at: data.at,
    alert: {
      id: alert.id,
      state: alert.state,
      rule: { id: rule.id, name: rule.name, kind: rule.kind, parameter: rule.parameter, threshold: rule.threshold, severity: rule.severity },
      station: { id: alert.thing_id, name: station },
      opened_at: alert.opened_at.toISOString(),
      resolved_at: alert.resolved_at?.toISOString() ?? null,
      level: alert.level,
      value: alert.value,
      peak: alert.peak,
      detail: { vi: alert.detail, en: alert.detail_en },
      href: page,
    },
  });
  const t = Math.floor(Date.now() / 1000);
  const res = await net.post(sub.address, {
    accept: 'application/json',
    contentType: 'application/json; charset=utf-8',
    body,
    timeoutMs: 10_000,
    headers: {
      'x-tinhso-event': data.event,
      'x-tinhso-delivery': data.event_id,
      'x-tinhso-signature': webhookSignature(box().open(sub.sealed_secret!), body, t),
    },
  });
  return { status: res.status };
}
