import type { AuditActor } from '../../../platform/audit/index.js';
import { recordAudit } from '../../../platform/audit/index.js';
import { hasOrgRole, requireUser, type Principal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { badRequest, conflict, FieldErrors, forbidden, notFound } from '../../../platform/http/index.js';
import { findOrganization, type Organization } from '../../organizations/index.js';
import { todayVn } from '../../admin-units/index.js';
import { planRepo, type AssignedTask } from '../plan/repository.js';
import { PLAN_CODE } from '../plan/reference.js';
import type { EvidenceFileRow, GroupRow, IndicatorRow, PlanRow, RegimeRow, ReportEventRow, ReportRow, ReportStatus, RoundRow, SectionRow } from '../tables.js';
import { daysUntil } from './period.js';
import { reportRepo } from './repository.js';
import { checkComplete, cleanReportInput, type CleanReport, type CleanSection, type ReportInput } from './validate.js';

const NEED_ROLE = { vi: 'Bạn không có quyền thực hiện thao tác này.', en: 'You do not have permission to do this.' };

/** The reference plan's annual regime and its round of `year`. */
export async function annualRound(db: Db, year: number, planCode = PLAN_CODE): Promise<{ plan: PlanRow; regime: RegimeRow; round: RoundRow }> {
  const plan = await planRepo.byCode(db, planCode);
  const regime = plan ? await reportRepo.regimeOfPlan(db, plan.id) : undefined;
  const round = regime && Number.isInteger(year) ? await reportRepo.periodicRound(db, regime.id, year) : undefined;
  if (!plan || !regime || !round)
    throw notFound('round_not_found', { vi: 'Không có kỳ báo cáo năm {year}.', en: 'There is no report round for {year}.' }, 'year', { year: String(year) });
  return { plan, regime, round };
}

/** Who reviews a unit's report: its district when it is a commune (level by level), else the regime's receiver. */
export async function reviewerOf(db: Db, org: Organization, regime: RegimeRow): Promise<Organization> {
  if (org.kind === 'commune_committee' && org.parent_id) {
    const parent = await findOrganization(db, org.parent_id);
    if (parent?.kind === 'district_committee') return parent;
  }
  const receiver = await findOrganization(db, regime.receiver_org_id);
  if (!receiver) throw new Error('regime receiver missing');
  return receiver;
}

export interface TaskEntry {
  task: AssignedTask;
  group: GroupRow | null;
  section: SectionRow | null;
}
export interface IndicatorEntry {
  indicator: IndicatorRow;
  /** The unit must enter a value before submitting. */
  owed: boolean;
  value: string | null;
  note: string | null;
  target: string | null;
  /** What the platform counted itself (computed indicators). */
  computed: string | null;
}
export interface ReportView {
  plan: PlanRow;
  regime: RegimeRow;
  round: RoundRow;
  org: Organization;
  reviewer: Organization;
  report: ReportRow | null;
  status: ReportStatus | 'not_started';
  tasks: TaskEntry[];
  indicators: IndicatorEntry[];
  events: ReportEventRow[];
  /** Evidence files, each under its task. */
  files: EvidenceFileRow[];
  can: { edit: boolean; review: boolean };
  daysLeft: number;
  overdue: boolean;
}

const EDITABLE: readonly (ReportStatus | 'not_started')[] = ['not_started', 'draft', 'returned'];

async function unitOf(db: Db, idOrSlug: string): Promise<Organization> {
  const org = await findOrganization(db, idOrSlug);
  if (!org) throw notFound('organization_not_found', { vi: 'Không tìm thấy cơ quan, đơn vị.', en: 'Organization not found.' }, 'org');
  return org;
}

/** A unit's report of a round as its form shows it; readable by the unit's members and the reviewers. */
export async function getReport(db: Db, p: Principal, year: number, orgRef: string): Promise<ReportView> {
  requireUser(p);
  const { plan, regime, round } = await annualRound(db, year);
  const org = await unitOf(db, orgRef);
  const reviewer = await reviewerOf(db, org, regime);
  const canRead = hasOrgRole(p, org.id, 'member') || hasOrgRole(p, reviewer.id, 'member') || hasOrgRole(p, regime.receiver_org_id, 'member');
  if (!canRead) throw forbidden('forbidden', NEED_ROLE);
  return viewOfReport(db, p, { plan, regime, round, org, reviewer });
}

async function viewOfReport(
  db: Db,
  p: Principal,
  ctx: { plan: PlanRow; regime: RegimeRow; round: RoundRow; org: Organization; reviewer: Organization },
): Promise<ReportView> {
  const { plan, round, org, reviewer } = ctx;
  const [assigned, groups, report, indicators, targets, computed] = await Promise.all([
    planRepo.tasksOf(db, plan.id, org.id, round.period_from, round.period_to),
    planRepo.groups(db, plan.id),
    reportRepo.report(db, round.id, org.id),
    planRepo.indicators(db, plan.id),
    planRepo.targets(db, plan.id),
    planRepo.computedValues(db, plan.id),
  ]);
  const [sections, values, events, files] = report
    ? await Promise.all([
        reportRepo.sections(db, report.id),
        reportRepo.values(db, report.id),
        reportRepo.events(db, report.id),
        reportRepo.files(db, report.id),
      ])
    : [[], [], [], []];
  const groupById = new Map(groups.map((g) => [g.id, g]));
  const sectionOf = new Map(sections.map((s) => [s.task_id, s]));
  const valueOf = new Map(values.map((v) => [v.indicator_id, v]));
  // A task carried twice (lead, and coordinating after a transfer) is one section.
  const seen = new Set<string>();
  const tasks: TaskEntry[] = [];
  for (const t of assigned) {
    if (seen.has(t.id)) continue;
    seen.add(t.id);
    tasks.push({ task: t, group: t.group_id ? (groupById.get(t.group_id) ?? null) : null, section: sectionOf.get(t.id) ?? null });
  }
  const mine = indicators.filter((i) => i.responsible_org_id === org.id);
  const status = report?.status ?? 'not_started';
  const daysLeft = daysUntil(round.deadline, todayVn());
  return {
    ...ctx,
    report: report ?? null,
    status,
    tasks,
    indicators: mine.map((i) => ({
      indicator: i,
      owed: i.scope === 'province' && i.source === 'entered',
      value: valueOf.get(i.id)?.value ?? null,
      note: valueOf.get(i.id)?.note ?? null,
      target: targets.find((t) => t.indicator_id === i.id && t.year === round.year)?.target ?? null,
      computed: computed.find((c) => c.indicator_id === i.id && c.year === round.year)?.value ?? null,
    })),
    events,
    files,
    can: {
      edit: hasOrgRole(p, org.id, 'editor') && EDITABLE.includes(status) && tasks.length > 0,
      review: hasOrgRole(p, reviewer.id, 'editor') && status === 'submitted',
    },
    daysLeft,
    overdue: daysLeft < 0 && status !== 'submitted' && status !== 'accepted',
  };
}

const keysOf = (view: ReportView) => ({
  tasks: new Set(view.tasks.map((t) => t.task.ref)),
  indicators: new Set(view.indicators.filter((i) => i.indicator.source === 'entered').map((i) => i.indicator.code)),
});

const short = (s: string | null | undefined): string | null => (s == null ? null : s.length > 200 ? `${s.slice(0, 200)}…` : s);

/** Which values a save changes (for the audit trail: who changed which value when). */
function changesOf(view: ReportView, clean: CleanReport): { field: string; from: string | null; to: string | null }[] {
  const out: { field: string; from: string | null; to: string | null }[] = [];
  for (const [ref, s] of clean.sections) {
    const before = view.tasks.find((t) => t.task.ref === ref)?.section;
    for (const k of ['status', 'done', 'results', 'difficulties', 'proposals'] as const) {
      const from = before?.[k] ?? null;
      if (from !== s[k]) out.push({ field: `sections.${ref}.${k}`, from: short(from), to: short(s[k]) });
    }
    if (JSON.stringify(before?.evidence ?? []) !== JSON.stringify(s.evidence))
      out.push({ field: `sections.${ref}.evidence`, from: null, to: short(s.evidence.map((e) => e.url).join(' ')) });
  }
  for (const [code, v] of clean.values) {
    const before = view.indicators.find((i) => i.indicator.code === code);
    const from = before?.value == null ? null : String(Number(before.value));
    const to = v.value === null ? null : String(v.value);
    if (from !== to) out.push({ field: `values.${code}`, from, to });
  }
  return out.slice(0, 200);
}

/** A step of a report: one event on its timeline and one audit record, in the step's transaction. */
async function logStep(
  trx: Db,
  actor: AuditActor,
  step: {
    reportId: string;
    year: number;
    org: string;
    event: string;
    audit: string;
    eventDetails: Record<string, unknown>;
    auditDetails?: Record<string, unknown>;
  },
): Promise<void> {
  await reportRepo.addEvent(trx, {
    report_id: step.reportId,
    actor_id: actor.userId,
    actor_label: actor.label,
    action: step.event,
    details: step.eventDetails,
  });
  await recordAudit(trx, actor, {
    action: step.audit,
    entityType: 'plan_report',
    entityId: step.reportId,
    details: { year: step.year, org: step.org, ...(step.auditDetails ?? step.eventDetails) },
  });
}

/** The report as its unit's editors may change it now (locked for the caller's transaction), or why not. */
export async function editable(trx: Db, p: Principal, year: number, orgRef: string) {
  requireUser(p);
  const { plan, regime, round } = await annualRound(trx, year);
  const org = await unitOf(trx, orgRef);
  if (!hasOrgRole(p, org.id, 'editor')) throw forbidden('forbidden', NEED_ROLE);
  const reviewer = await reviewerOf(trx, org, regime);
  const row = await reportRepo.lockOrCreate(trx, round.id, org.id);
  const view = await viewOfReport(trx, p, { plan, regime, round, org, reviewer });
  if (view.tasks.length === 0)
    throw conflict('no_tasks', { vi: 'Đơn vị không có nhiệm vụ nào trong kỳ báo cáo này.', en: 'The unit has no tasks in this round.' });
  if (row.status === 'submitted' || row.status === 'accepted')
    throw conflict(
      row.status === 'accepted' ? 'report_locked' : 'report_submitted',
      row.status === 'accepted'
        ? { vi: 'Báo cáo đã được chấp nhận và khóa.', en: 'The report has been accepted and is locked.' }
        : { vi: 'Báo cáo đã gửi, đang chờ xem xét; không sửa được.', en: 'The report has been submitted and awaits review; it cannot be changed.' },
    );
  return { view, row };
}

const sectionsWith = (view: ReportView, clean: CleanReport): Map<string, CleanSection> => {
  const merged = new Map<string, CleanSection>();
  for (const t of view.tasks) {
    const s = t.section;
    merged.set(
      t.task.ref,
      s
        ? { status: s.status, done: s.done, results: s.results, difficulties: s.difficulties, proposals: s.proposals, evidence: s.evidence }
        : { status: null, done: null, results: null, difficulties: null, proposals: null, evidence: [] },
    );
  }
  for (const [ref, s] of clean.sections) merged.set(ref, s);
  return merged;
};

async function write(trx: Db, view: ReportView, row: ReportRow, clean: CleanReport): Promise<void> {
  const taskIds = new Map(view.tasks.map((t) => [t.task.ref, t.task.id]));
  const indicatorIds = new Map(view.indicators.map((i) => [i.indicator.code, i.indicator.id]));
  await reportRepo.ensureSections(
    trx,
    row.id,
    view.tasks.map((t) => t.task.id),
  );
  await reportRepo.saveEntries(trx, row.id, clean, taskIds, indicatorIds);
}

/** Saves a draft (incomplete is fine; every field is still checked); the unit's editors, while it is theirs to edit. */
export async function saveReport(db: Db, p: Principal, actor: AuditActor, year: number, orgRef: string, input: ReportInput): Promise<ReportView> {
  return db.transaction().execute(async (trx) => {
    const { view, row } = await editable(trx, p, year, orgRef);
    const clean = cleanReportInput(input, keysOf(view));
    const changes = changesOf(view, clean);
    await write(trx, view, row, clean);
    if (row.status !== 'returned') await reportRepo.setStatus(trx, row.id, 'draft');
    else await reportRepo.touch(trx, row.id);
    await logStep(trx, actor, {
      reportId: row.id,
      year,
      org: view.org.slug,
      event: 'saved',
      audit: 'planning.report.save',
      eventDetails: { changes: changes.length },
      auditDetails: { changes },
    });
    return viewOfReport(trx, p, view);
  });
}

/**
 * Level by level: a district sends its report once the reports of its communes that owe one in
 * the round have been accepted (by the district itself, their reviewer).
 */
async function requireCommunesAccepted(trx: Db, view: ReportView): Promise<void> {
  if (view.org.kind !== 'district_committee') return;
  const owing = await planRepo.unitsWithTasks(trx, view.plan.id, view.round.period_from, view.round.period_to);
  const communes = await planRepo.communesOf(
    trx,
    view.org.id,
    owing.map((o) => o.org_id),
  );
  if (!communes.length) return;
  const accepted = new Set((await reportRepo.reportsOfRound(trx, view.round.id)).filter((r) => r.status === 'accepted').map((r) => r.org_id));
  const pending = communes.filter((c) => !accepted.has(c.id));
  if (pending.length)
    throw conflict(
      'communes_pending',
      { vi: 'Chưa gửi được: báo cáo của {units} chưa được chấp nhận.', en: 'Not yet: the reports of {units} have not been accepted.' },
      undefined,
      { units: pending.map((c) => c.name).join(', ') },
    );
}

/** Saves and submits: only a complete report is submitted (every missing field named at once). */
export async function submitReport(db: Db, p: Principal, actor: AuditActor, year: number, orgRef: string, input: ReportInput = {}): Promise<ReportView> {
  return db.transaction().execute(async (trx) => {
    const { view, row } = await editable(trx, p, year, orgRef);
    const clean = cleanReportInput(input, keysOf(view));
    await requireCommunesAccepted(trx, view);
    const sections = sectionsWith(view, clean);
    const values = new Map(view.indicators.map((i) => [i.indicator.code, { value: i.value === null ? null : Number(i.value) }]));
    for (const [code, v] of clean.values) values.set(code, { value: v.value });
    checkComplete(
      sections,
      view.tasks.map((t) => t.task.ref),
      values,
      view.indicators.filter((i) => i.owed).map((i) => i.indicator.code),
    );
    const changes = changesOf(view, clean);
    await write(trx, view, row, clean);
    const now = new Date();
    await reportRepo.setStatus(trx, row.id, 'submitted', { submitted_at: now, first_submitted_at: row.first_submitted_at ?? now, return_reason: null });
    await reportRepo.setSectionReasons(trx, row.id, new Map());
    const event = row.status === 'returned' ? 'resubmitted' : 'submitted';
    await logStep(trx, actor, {
      reportId: row.id,
      year,
      org: view.org.slug,
      event,
      audit: 'planning.report.submit',
      eventDetails: {},
      auditDetails: { changes },
    });
    return viewOfReport(trx, p, view);
  });
}

async function reviewable(trx: Db, p: Principal, year: number, orgRef: string) {
  requireUser(p);
  const { plan, regime, round } = await annualRound(trx, year);
  const org = await unitOf(trx, orgRef);
  const reviewer = await reviewerOf(trx, org, regime);
  if (!hasOrgRole(p, reviewer.id, 'editor')) throw forbidden('forbidden', NEED_ROLE);
  const row = await reportRepo.lockOrCreate(trx, round.id, org.id);
  if (row.status !== 'submitted')
    throw conflict('report_not_submitted', { vi: 'Chỉ xem xét được báo cáo đã gửi.', en: 'Only a submitted report can be reviewed.' });
  return { row, view: await viewOfReport(trx, p, { plan, regime, round, org, reviewer }) };
}

export interface ReturnInput {
  reason?: string | null;
  /** Task ref → what to fix in that section. */
  sections?: Record<string, string | null | undefined>;
}

/** The reviewer sends a report back with a reason, overall or per section (at least one). */
export async function returnReport(db: Db, p: Principal, actor: AuditActor, year: number, orgRef: string, input: ReturnInput): Promise<ReportView> {
  return db.transaction().execute(async (trx) => {
    const { row, view } = await reviewable(trx, p, year, orgRef);
    const errors = new FieldErrors();
    const reasons = new Map<string, string | null>();
    const clean = (v: unknown, field: string): string | null => {
      if (v == null) return null;
      if (typeof v !== 'string' || v.length > 5000) {
        errors.add(badRequest('invalid_reason', { vi: 'Lý do tối đa 5000 ký tự.', en: 'A reason is at most 5000 characters.' }, field));
        return null;
      }
      return v.normalize('NFC').trim() || null;
    };
    const reason = clean(input.reason, 'reason');
    for (const [ref, r] of Object.entries(input.sections ?? {})) {
      const task = view.tasks.find((t) => t.task.ref === ref);
      if (!task) {
        errors.add(
          badRequest('unknown_task', { vi: 'Nhiệm vụ {ref} không thuộc báo cáo này.', en: 'Task {ref} is not part of this report.' }, `sections.${ref}`, {
            ref,
          }),
        );
        continue;
      }
      const c = clean(r, `sections.${ref}`);
      if (c) reasons.set(task.task.id, c);
    }
    errors.throwIfAny();
    if (!reason && reasons.size === 0)
      throw badRequest(
        'reason_required',
        { vi: 'Cần nêu lý do trả lại (chung hoặc cho từng nhiệm vụ).', en: 'Give a reason for returning the report (overall or per task).' },
        'reason',
      );
    await reportRepo.setStatus(trx, row.id, 'returned', { return_reason: reason });
    await reportRepo.setSectionReasons(trx, row.id, reasons);
    const perSection = Object.fromEntries([...reasons].map(([id, r]) => [view.tasks.find((t) => t.task.id === id)!.task.ref, r]));
    await logStep(trx, actor, {
      reportId: row.id,
      year,
      org: view.org.slug,
      event: 'returned',
      audit: 'planning.report.return',
      eventDetails: { reason, sections: perSection },
    });
    return viewOfReport(trx, p, view);
  });
}

/** The reviewer accepts a submitted report, which locks it. */
export async function acceptReport(db: Db, p: Principal, actor: AuditActor, year: number, orgRef: string): Promise<ReportView> {
  return db.transaction().execute(async (trx) => {
    const { row, view } = await reviewable(trx, p, year, orgRef);
    await reportRepo.setStatus(trx, row.id, 'accepted', { accepted_at: new Date(), return_reason: null });
    await logStep(trx, actor, { reportId: row.id, year, org: view.org.slug, event: 'accepted', audit: 'planning.report.accept', eventDetails: {} });
    return viewOfReport(trx, p, view);
  });
}
