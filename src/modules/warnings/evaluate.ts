import { sql } from 'kysely';
import type { Db } from '../../platform/db/index.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import { measure, stationsOf } from './measure.js';
import { queueNotifications } from './notify.js';
import { alertsRepo, rulesRepo } from './repository.js';
import type { RuleRow } from './tables.js';

/** What one evaluation did. */
export interface EvaluationReport {
  rules: number;
  checked: number;
  opened: number;
  escalated: number;
  resolved: number;
}

/**
 * One step of the alert lifecycle for a rule at a station, in one transaction under a lock of the
 * pair: an episode opens when the value reaches the threshold; while it lasts the alert's value and
 * peak follow it and no new alert is made; it resolves only when the value falls below the rule's
 * all-clear level (hysteresis), never for want of data; an open alert that nobody acknowledges is
 * escalated every `escalate_after_minutes`. Each change is in the alert's history and notified.
 */
async function step(db: Db, jobs: JobQueue, rule: RuleRow, thingId: number, now: number, report: EvaluationReport): Promise<void> {
  const m = await measure(db, rule, thingId, now);
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`warnings:${rule.id}:${thingId}`}))`.execute(trx);
    const current = await alertsRepo.current(trx, rule.id, thingId);
    if (!current) {
      if (m.value === null || m.value < rule.threshold) return;
      const alert = await alertsRepo.insert(trx, {
        rule_id: rule.id,
        thing_id: thingId,
        state: 'open',
        opened_at: new Date(now),
        value: m.value,
        peak: m.value,
        escalated_at: null,
        acknowledged_at: null,
        acknowledged_by: null,
        resolved_at: null,
        detail: m.vi,
        detail_en: m.en,
      });
      await alertsRepo.addEvent(trx, alert.id, 'opened', null, m.value, m.vi);
      await queueNotifications(trx, jobs, rule, alert, 'alert.opened');
      report.opened++;
      return;
    }
    if (m.value !== null && m.value < rule.clear_below) {
      const alert = await alertsRepo.update(trx, current.id, { state: 'resolved', resolved_at: new Date(now), value: m.value });
      await alertsRepo.addEvent(trx, alert.id, 'resolved', null, m.value, m.vi || null);
      await queueNotifications(trx, jobs, rule, alert, 'alert.resolved');
      report.resolved++;
      return;
    }
    let alert = current;
    if (m.value !== null && (m.value !== current.value || m.vi !== current.detail))
      alert = await alertsRepo.update(trx, current.id, { value: m.value, peak: Math.max(current.peak, m.value), detail: m.vi, detail_en: m.en });
    const since = (current.escalated_at ?? current.opened_at).getTime();
    if (current.state === 'open' && now - since >= rule.escalate_after_minutes * 60_000) {
      alert = await alertsRepo.update(trx, current.id, { level: current.level + 1, escalated_at: new Date(now) });
      await alertsRepo.addEvent(trx, alert.id, 'escalated', null, alert.value, `level ${alert.level}`);
      await queueNotifications(trx, jobs, rule, alert, 'alert.escalated');
      report.escalated++;
    }
  });
}

/** Every enabled rule at every station it covers (the job, every minute; `now` for tests). */
export async function evaluateRules(db: Db, jobs: JobQueue, now = Date.now()): Promise<EvaluationReport> {
  const rules = await rulesRepo.enabled(db);
  const report: EvaluationReport = { rules: rules.length, checked: 0, opened: 0, escalated: 0, resolved: 0 };
  for (const rule of rules)
    for (const thing of await stationsOf(db, rule)) {
      await step(db, jobs, rule, thing, now, report);
      report.checked++;
    }
  return report;
}
