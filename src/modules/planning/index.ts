import type { AppModule } from '../../platform/module.js';
import { migrations } from './migrations.js';
import { seedPlanning } from './plan/seed.js';
import { planningRoutes } from './routes.js';
import { proposalRoutes } from './proposals/routes.js';
import { PROPOSAL_MAIL_JOB, sendProposalMail } from './proposals/mail.js';
import { planningPages } from './web/pages.js';
import { PLANNING_MESSAGES } from './web/messages.js';
import { INDICATORS_JOB, refreshComputed } from './indicators/computed.js';
import { REMINDERS_JOB, sendReminders } from './reports/reminders.js';
import { todayVn } from '../admin-units/index.js';

export { parsePlanTasks, type ParsedTask } from './plan/parse.js';
export { planText } from './plan/seed.js';
export { PLAN_CODE, TASKS as PLAN_TASK_REFS } from './plan/reference.js';
export { sendReminders, reminderKind, REMINDERS_JOB } from './reports/reminders.js';
export { refreshComputed, INDICATORS_JOB } from './indicators/computed.js';
export { periodOf } from './reports/period.js';
export { buildConsolidated, consolidate, type Consolidated } from './consolidate/build.js';
export { renderDocx } from './consolidate/docx.js';
export { renderPdf } from './consolidate/pdf.js';
export { defaultTemplate } from './consolidate/template.js';
export { roundOverview } from './reports/round.js';
export { getReport, saveReport, submitReport, returnReport, acceptReport } from './reports/service.js';

/**
 * The plan itself (docs/planning.md): the province's AI plan as data (tasks quoted from its text,
 * the units that carry them, indicators and targets), the annual reporting regime and its rounds,
 * each unit's report with the Department's review, reminders, and the consolidated report
 * (DOCX, PDF, JSON).
 */
export function planningModule(): AppModule {
  return {
    name: 'planning',
    migrations,
    messages: PLANNING_MESSAGES,
    nav: [
      {
        place: 'main',
        order: 70,
        path: '/plan',
        title: { vi: 'Kế hoạch', en: 'Plan' },
        summary: {
          vi: 'Kế hoạch ứng dụng trí tuệ nhân tạo của tỉnh: nhiệm vụ của từng đơn vị, chỉ tiêu, báo cáo hằng năm và tiến độ.',
          en: 'The province’s AI plan: each unit’s tasks, the indicators, the annual reports and progress.',
        },
      },
    ],
    seedReference: (db) => seedPlanning(db),
    defineJobs(ctx) {
      ctx.jobs.define(REMINDERS_JOB, () => sendReminders(ctx.db, ctx.mail, ctx.config.baseUrl));
      ctx.jobs.every(REMINDERS_JOB, '0 1 * * *');
      ctx.jobs.define(INDICATORS_JOB, async () => ({ computed: await refreshComputed(ctx.db, Number(todayVn().slice(0, 4))) }));
      ctx.jobs.every(INDICATORS_JOB, '30 0 * * *');
      ctx.jobs.define(PROPOSAL_MAIL_JOB, (data) => sendProposalMail(ctx.db, ctx.mail, ctx.config.baseUrl, data));
    },
    routes: async (app, ctx) => {
      await planningRoutes(app, ctx);
      await proposalRoutes(app, ctx);
    },
    pages: (web, ctx) => planningPages(web, ctx),
  };
}
