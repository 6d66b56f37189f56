import { secretBoxOf, type SecretBox } from '../../platform/crypto/index.js';
import { defineJob } from '../../platform/jobs/index.js';
import type { AppModule } from '../../platform/module.js';
import { evaluateRules } from './evaluate.js';
import { migrations } from './migrations.js';
import { NOTIFY_JOB, sendNotification } from './notify.js';
import { warningsRoutes } from './routes.js';
import { WARNINGS_MESSAGES } from './web/messages.js';
import { warningsPages } from './web/pages.js';
import { warningsFills } from './web/fills.js';
import { subscriptionsPages } from './web/subscriptions-page.js';

/** Evaluates every rule at every station it covers: opens, escalates and resolves alerts. */
export const EVALUATE_JOB = defineJob('warnings.evaluate');
export { evaluateRules, type EvaluationReport } from './evaluate.js';
export { NOTIFY_JOB } from './notify.js';
export { createRule, updateRule, listRules, type RuleInput } from './rules.js';
export { acknowledgeAlert, getAlert, listAlerts } from './alerts.js';
export { addSubscription, removeSubscription, listSubscriptions } from './subscriptions.js';

/**
 * Environmental warnings (docs/warnings.md): operators' rules over the monitoring stations
 * (thresholds, rises, forecast exceedances, sensor faults), alerts with a lifecycle (open,
 * acknowledged, resolved; one per episode, hysteresis, escalation) and their history,
 * notifications by e-mail and signed webhook, the public warnings as RSS, Atom and CAP 1.2.
 */
export function warningsModule(): AppModule {
  let sealer: SecretBox | undefined;
  return {
    name: 'warnings',
    migrations,
    messages: WARNINGS_MESSAGES,
    nav: [{ place: 'main', order: 32, path: '/warnings', title: { vi: 'Cảnh báo', en: 'Warnings' } }],
    defineJobs(ctx) {
      const box = () => (sealer ??= secretBoxOf(ctx.config));
      ctx.jobs.define(EVALUATE_JOB, async () => evaluateRules(ctx.db, ctx.jobs));
      ctx.jobs.every(EVALUATE_JOB, '* * * * *');
      ctx.jobs.define(NOTIFY_JOB, (data) => sendNotification(ctx.db, ctx.mail, ctx.net, box, ctx.config.baseUrl, data));
    },
    routes: (app, ctx) => warningsRoutes(app, ctx, () => (sealer ??= secretBoxOf(ctx.config))),
    pages: async (web, ctx) => {
      subscriptionsPages(web, ctx, () => (sealer ??= secretBoxOf(ctx.config)));
      await warningsPages(web, ctx);
    },
    fills: (ctx) => warningsFills(ctx.db),
  };
}
