import type { Principal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { findOrganization } from '../../organizations/index.js';
import { planRepo } from '../plan/repository.js';
import { reportRepo } from '../reports/repository.js';
import { roundOverview, type RoundOverview } from '../reports/round.js';
import type { ConsolidatedRow, IndicatorRow, TaskStatus } from '../tables.js';
import { consolidatedRepo } from './repository.js';

export const STATUS_VI: Record<TaskStatus, string> = { not_started: 'Chưa triển khai', in_progress: 'Đang triển khai', done: 'Hoàn thành', overdue: 'Quá hạn' };
export const REPORT_STATUS_VI: Record<string, string> = {
  not_started: 'Chưa báo cáo',
  draft: 'Chưa báo cáo (đang soạn)',
  submitted: 'Đã gửi, đang xem xét',
  returned: 'Đã trả lại để bổ sung',
  accepted: 'Đã chấp nhận',
};

interface Counts {
  tasks: number;
  done: number;
  inProgress: number;
  notStarted: number;
  overdue: number;
  unreported: number;
}
const zero = (): Counts => ({ tasks: 0, done: 0, inProgress: 0, notStarted: 0, overdue: 0, unreported: 0 });
const KEY: Record<TaskStatus, keyof Counts> = { done: 'done', in_progress: 'inProgress', not_started: 'notStarted', overdue: 'overdue' };

export interface UnitAnnex {
  name: string;
  slug: string;
  reportStatus: string;
  tasks: {
    ref: string;
    role: string;
    text: string;
    status: string;
    done: string;
    results: string;
    difficulties: string;
    proposals: string;
    evidence: string;
  }[];
}

/** Everything the consolidated report says, as data: the DOCX template, the PDF and the JSON read this. */
export interface Consolidated {
  year: number;
  planTitle: string;
  regime: { code: string; name: string; frequency: string; periodFrom: string; periodTo: string; deadline: string; receiver: string; senders: string };
  parentIssuer: string;
  issuer: string;
  numberSymbol: string;
  place: string;
  docDate: string | null;
  placeDate: string;
  subtitle: string;
  summary: string;
  assessment: string;
  recommendations: string;
  recipients: string[];
  signerTitle: string;
  signerName: string;
  finalised: boolean;
  counts: { units: number; accepted: number; pending: number; missing: number };
  byGroup: (Counts & { code: string; title: string })[];
  byUnit: (Counts & { name: string; slug: string; reportStatus: string })[];
  indicators: {
    code: string;
    name: string;
    unit: string;
    scope: string;
    target: string;
    value: string;
    assessment: string;
    targetNumber: number | null;
    valueNumber: number | null;
  }[];
  difficulties: { unit: string; ref: string; text: string }[];
  proposals: { unit: string; ref: string; text: string }[];
  units: UnitAnnex[];
}

const viNumber = (n: number | null): string => (n === null ? '—' : n.toLocaleString('vi-VN', { maximumFractionDigits: 2 }));

function placeDateOf(place: string, iso: string | null): string {
  if (!iso) return `${place}, ngày     tháng     năm     `;
  const [y, m, d] = iso.split('-');
  return `${place}, ngày ${Number(d)} tháng ${Number(m)} năm ${y}`;
}

function assess(ind: IndicatorRow, target: number | null, value: number | null): string {
  if (value === null) return 'Chưa có số liệu';
  if (target === null) return 'Không đặt mục tiêu năm';
  const met = ind.direction === 'down' ? value <= target : value >= target;
  return met ? 'Đạt' : 'Chưa đạt';
}

/**
 * Builds the province's consolidated report of a year's round from the accepted unit reports:
 * units whose report is not accepted appear with their tasks as not reported. Department staff
 * and sysadmins only (the overview's rule).
 */
export async function buildConsolidated(db: Db, p: Principal, year: number): Promise<Consolidated> {
  const overview = await roundOverview(db, p, year);
  return consolidate(db, overview);
}

/** The same, from an overview already checked and loaded (the bench and the exports share it). */
export async function consolidate(db: Db, overview: RoundOverview): Promise<Consolidated> {
  const { plan, regime, round, units } = overview;
  const [groups, tasks, assignments, sections, values, indicators, targets, computed, doc, receiver, issuer] = await Promise.all([
    planRepo.groups(db, plan.id),
    // Every version's tasks: a round reports on those its assignments cover, amended or not since.
    planRepo.allTasks(db, plan.id),
    planRepo.assignments(db, plan.id),
    reportRepo.sectionsOfRound(db, round.id, ['accepted']),
    reportRepo.valuesOfRound(db, round.id, ['accepted']),
    planRepo.indicators(db, plan.id),
    planRepo.targets(db, plan.id),
    planRepo.computedValues(db, plan.id),
    consolidatedRepo.get(db, round.id),
    findOrganization(db, regime.receiver_org_id),
    plan.issuer_org_id ? findOrganization(db, plan.issuer_org_id) : Promise.resolve(undefined),
  ]);
  const d: ConsolidatedRow = doc ?? consolidatedRepo.defaults(round.id);
  const taskById = new Map(tasks.map((t) => [t.id, t]));
  const sectionKey = (orgId: string, taskId: string) => `${orgId}:${taskId}`;
  const sectionBy = new Map(sections.map((s) => [sectionKey(s.org_id, s.task_id), s]));
  const accepted = new Set(units.filter((u) => u.status === 'accepted').map((u) => u.org.id));
  const inRound = (a: { valid_from: string; valid_to: string | null }) =>
    a.valid_from <= round.period_to && (a.valid_to === null || a.valid_to > round.period_from);
  const active = assignments.filter((a) => inRound(a) && taskById.has(a.task_id));
  // Where an amendment replaced a task inside the round, a unit reports on the newer text (as its form does).
  const newest = new Map<string, number>();
  for (const a of active) {
    const t = taskById.get(a.task_id)!;
    const k = `${a.org_id}:${t.ref}`;
    newest.set(k, Math.max(newest.get(k) ?? 0, t.version_from));
  }

  const byGroup = new Map(groups.map((g) => [g.id, { code: g.code, title: g.title, ...zero() }]));
  const byUnit = new Map(units.map((u) => [u.org.id, { name: u.org.name, slug: u.org.slug, reportStatus: REPORT_STATUS_VI[u.status] ?? u.status, ...zero() }]));
  const annex = new Map<string, UnitAnnex>(
    units.map((u) => [u.org.id, { name: u.org.name, slug: u.org.slug, reportStatus: REPORT_STATUS_VI[u.status] ?? u.status, tasks: [] }]),
  );
  const difficulties: Consolidated['difficulties'] = [];
  const proposals: Consolidated['proposals'] = [];
  const counted = new Set<string>();
  for (const a of active) {
    const key = sectionKey(a.org_id, a.task_id);
    const task = taskById.get(a.task_id)!;
    if (counted.has(key) || task.version_from !== newest.get(`${a.org_id}:${task.ref}`)) continue;
    counted.add(key);
    const s = accepted.has(a.org_id) ? sectionBy.get(key) : undefined;
    const status = s?.status ?? null;
    for (const c of [task.group_id ? byGroup.get(task.group_id) : undefined, byUnit.get(a.org_id)]) {
      if (!c) continue;
      c.tasks += 1;
      if (status) c[KEY[status]] += 1;
      else c.unreported += 1;
    }
    const unit = annex.get(a.org_id);
    if (!unit) continue;
    unit.tasks.push({
      ref: task.ref,
      role: a.role === 'lead' ? 'chủ trì' : 'phối hợp',
      text: task.text,
      status: status ? STATUS_VI[status] : 'Chưa báo cáo',
      done: s?.done ?? '—',
      results: s?.results ?? '—',
      difficulties: s?.difficulties ?? '—',
      proposals: s?.proposals ?? '—',
      evidence: s?.evidence.length ? s.evidence.map((e) => e.url).join('; ') : '—',
    });
    if (s?.difficulties) difficulties.push({ unit: unit.name, ref: task.ref, text: s.difficulties });
    if (s?.proposals) proposals.push({ unit: unit.name, ref: task.ref, text: s.proposals });
  }

  const indicatorRows = indicators.map((ind) => {
    const t = targets.find((x) => x.indicator_id === ind.id && x.year === round.year);
    const target = t ? Number(t.target) : null;
    let value: number | null = null;
    if (ind.source === 'computed') {
      const c = computed.find((x) => x.indicator_id === ind.id && x.year === round.year);
      value = c ? Number(c.value) : null;
    } else {
      const entered = values.filter((v) => v.indicator_id === ind.id && v.value !== null).map((v) => Number(v.value));
      value = entered.length ? entered.reduce((x, y) => x + y, 0) : null;
    }
    return {
      code: ind.code,
      name: ind.name,
      unit: ind.unit,
      scope: ind.scope,
      target: viNumber(target),
      value: viNumber(value),
      assessment: assess(ind, target, value),
      targetNumber: target,
      valueNumber: value,
    };
  });

  const accepted_n = units.filter((u) => u.status === 'accepted').length;
  const pending = units.filter((u) => u.status === 'submitted' || u.status === 'returned').length;
  return {
    year: round.year,
    planTitle: plan.title,
    regime: {
      code: regime.code,
      name: regime.name,
      frequency: regime.frequency,
      periodFrom: round.period_from,
      periodTo: round.period_to,
      deadline: round.deadline,
      receiver: receiver?.name ?? '',
      senders: regime.senders,
    },
    parentIssuer: (issuer?.name ?? 'Ủy ban nhân dân tỉnh').replace(/^Ủy ban nhân dân/, 'UBND').toUpperCase(),
    issuer: (receiver?.name ?? '').toUpperCase(),
    numberSymbol: d.number_symbol,
    place: d.place,
    docDate: d.doc_date,
    placeDate: placeDateOf(d.place, d.doc_date),
    subtitle: `Tình hình triển khai thực hiện ${plan.title.charAt(0).toLowerCase()}${plan.title.slice(1)} năm ${round.year}`,
    summary: d.summary,
    assessment: d.assessment,
    recommendations: d.recommendations,
    recipients: d.recipients.length ? d.recipients : ['Bộ Khoa học và Công nghệ', 'UBND tỉnh', 'Lưu: VT'],
    signerTitle: d.signer_title,
    signerName: d.signer_name,
    finalised: d.finalised_at !== null,
    counts: { units: units.length, accepted: accepted_n, pending, missing: units.length - accepted_n - pending },
    byGroup: [...byGroup.values()].filter((g) => g.tasks > 0),
    byUnit: [...byUnit.values()],
    indicators: indicatorRows,
    difficulties,
    proposals,
    units: [...annex.values()],
  };
}
