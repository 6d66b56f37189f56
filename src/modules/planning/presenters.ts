import type { ReportView } from './reports/service.js';
import type { RoundOverview, OnTimeRate } from './reports/round.js';
import type { getPlan } from './plan/service.js';

const num = (s: string | null): number | null => (s === null ? null : Number(s));

export const presentReport = (v: ReportView) => ({
  year: v.round.year,
  round: { title: v.round.title, periodFrom: v.round.period_from, periodTo: v.round.period_to, deadline: v.round.deadline },
  org: { id: v.org.id, slug: v.org.slug, name: v.org.name },
  reviewer: { slug: v.reviewer.slug, name: v.reviewer.name },
  status: v.status,
  returnReason: v.report?.return_reason ?? null,
  submittedAt: v.report?.submitted_at?.toISOString() ?? null,
  acceptedAt: v.report?.accepted_at?.toISOString() ?? null,
  daysLeft: v.daysLeft,
  overdue: v.overdue,
  can: v.can,
  sections: v.tasks.map((t) => ({
    ref: t.task.ref,
    role: t.task.role,
    group: t.group?.code ?? null,
    text: t.task.text,
    status: t.section?.status ?? null,
    done: t.section?.done ?? null,
    results: t.section?.results ?? null,
    difficulties: t.section?.difficulties ?? null,
    proposals: t.section?.proposals ?? null,
    evidence: t.section?.evidence ?? [],
    files: v.files
      .filter((f) => f.task_id === t.task.id)
      .map((f) => ({
        id: f.id,
        name: f.name,
        contentType: f.content_type,
        size: Number(f.size),
        url: `/api/v1/planning/reports/${v.round.year}/units/${v.org.slug}/evidence/${f.id}`,
      })),
    returnReason: t.section?.return_reason ?? null,
  })),
  indicators: v.indicators.map((i) => ({
    code: i.indicator.code,
    name: i.indicator.name,
    unit: i.indicator.unit,
    source: i.indicator.source,
    required: i.owed,
    value: num(i.value),
    note: i.note,
    target: num(i.target),
    computed: num(i.computed),
  })),
  events: v.events.map((e) => ({ at: e.at.toISOString(), action: e.action, actor: e.actor_label, details: e.details })),
});

export const presentOverview = (o: RoundOverview) => ({
  year: o.round.year,
  deadline: o.round.deadline,
  daysLeft: o.daysLeft,
  units: o.units.map((u) => ({
    slug: u.org.slug,
    name: u.org.name,
    kind: u.org.kind,
    tasks: u.tasks,
    status: u.status,
    submittedAt: u.submittedAt?.toISOString() ?? null,
    acceptedAt: u.acceptedAt?.toISOString() ?? null,
    onTime: u.onTime,
    overdue: u.overdue,
  })),
});

export const presentOnTime = (rates: OnTimeRate[]) =>
  rates.map((r) => ({ slug: r.org.slug, name: r.org.name, rounds: r.rounds, onTime: r.onTime, rate: r.rate }));

export const presentPlan = (p: Awaited<ReturnType<typeof getPlan>>) => {
  const org = (id: string | null) => {
    const o = id ? p.orgs.get(id) : undefined;
    return o ? { slug: o.slug, name: o.name } : null;
  };
  return {
    code: p.plan.code,
    title: p.plan.title,
    titleEn: p.plan.title_en,
    decisionRef: p.plan.decision_ref,
    years: { from: p.plan.first_year, to: p.plan.last_year },
    versions: p.versions.map((v) => ({ version: v.version, note: v.note, decisionRef: v.decision_ref, effectiveFrom: v.effective_from })),
    groups: p.groups.map((g) => ({ code: g.code, title: g.title, titleEn: g.title_en })),
    tasks: p.tasks.map((t) => ({
      ref: t.ref,
      group: p.groups.find((g) => g.id === t.group_id)?.code ?? null,
      heading: t.heading,
      text: t.text,
      assignments: p.assignments
        .filter((a) => a.task_id === t.id)
        .map((a) => ({ org: org(a.org_id), role: a.role, validFrom: a.valid_from, validTo: a.valid_to, succeeds: a.succeeds_id })),
    })),
    indicators: p.indicators.map((i) => ({
      code: i.code,
      scope: i.scope,
      name: i.name,
      nameEn: i.name_en,
      unit: i.unit,
      direction: i.direction,
      source: i.source,
      responsible: org(i.responsible_org_id),
      targets: Object.fromEntries(p.targets.filter((t) => t.indicator_id === i.id).map((t) => [t.year, Number(t.target)])),
      computed: Object.fromEntries(p.computed.filter((c) => c.indicator_id === i.id).map((c) => [c.year, Number(c.value)])),
      note: i.note,
    })),
  };
};
