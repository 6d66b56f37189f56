import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../../platform/db/index.js';
import { ROOT } from '../../../platform/root.js';
import type { PlanningTables } from '../tables.js';
import { parsePlanTasks } from './parse.js';
import { ALL_DEPARTMENTS, ALL_DISTRICTS, ANNUAL_REGIME, GROUPS, INDICATORS, PLAN_FILE, PLAN_META, TASKS } from './reference.js';
import { periodOf } from '../reports/period.js';

/** The plan's text, shipped in data/plan (a public administrative document). */
export const planText = (): string => fs.readFileSync(path.join(ROOT, PLAN_FILE), 'utf8');

/**
 * Loads the 2023 AI plan, its indicators, its annual reporting regime and the annual rounds of its
 * years into a fresh database (does nothing when the plan is there). Tasks are the parser's quotes;
 * a task the reference table does not place, or a unit slug the organization tree lacks, stops the
 * seed: the reference data is either whole or absent.
 */
export async function seedPlanning(db: Db): Promise<void> {
  const t = db.withTables<PlanningTables>();
  if (await t.selectFrom('plan').select('id').where('code', '=', PLAN_META.code).executeTakeFirst()) return;
  const parsed = parsePlanTasks(planText());
  await db.transaction().execute(async (trx) => {
    const q = trx.withTables<PlanningTables>();
    const orgs = await q.selectFrom('organization').select(['id', 'slug', 'kind']).execute();
    const bySlug = new Map(orgs.map((o) => [o.slug, o.id]));
    const unitsOf = (slug: string): string[] => {
      if (slug === ALL_DEPARTMENTS) return orgs.filter((o) => o.kind === 'department').map((o) => o.id);
      if (slug === ALL_DISTRICTS) return orgs.filter((o) => o.kind === 'district_committee').map((o) => o.id);
      const id = bySlug.get(slug);
      if (!id) throw new Error(`planning seed: no organization ${slug}`);
      return [id];
    };
    const plan = await q
      .insertInto('plan')
      .values({
        code: PLAN_META.code,
        title: PLAN_META.title,
        title_en: PLAN_META.titleEn,
        issuer_org_id: bySlug.get(PLAN_META.issuer) ?? null,
        decision_ref: PLAN_META.decisionRef,
        issued_on: PLAN_META.issuedOn,
        first_year: PLAN_META.firstYear,
        last_year: PLAN_META.lastYear,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await q
      .insertInto('plan_version')
      .values({
        plan_id: plan.id,
        version: 1,
        note: 'Kế hoạch ban hành',
        decision_ref: PLAN_META.decisionRef,
        effective_from: PLAN_META.issuedOn,
        created_by: null,
      })
      .execute();
    const groups = await q
      .insertInto('plan_group')
      .values(GROUPS.map((g, i) => ({ plan_id: plan.id, code: g.code, position: i + 1, title: g.title, title_en: g.titleEn })))
      .returning(['id', 'code'])
      .execute();
    const groupId = new Map(groups.map((g) => [g.code, g.id]));
    const seen = new Set<string>();
    for (const [i, task] of parsed.entries()) {
      const ref = TASKS[task.ref];
      if (!ref) throw new Error(`planning seed: task ${task.ref} of the plan's text has no reference entry`);
      seen.add(task.ref);
      const row = await q
        .insertInto('plan_task')
        .values({
          plan_id: plan.id,
          group_id: groupId.get(ref.group) ?? null,
          ref: task.ref,
          position: i + 1,
          heading: task.headingText,
          text: task.text,
          version_from: 1,
          version_to: null,
          replaces_id: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const lead = new Set(ref.lead.flatMap(unitsOf));
      const coordinate = new Set((ref.coordinate ?? []).flatMap(unitsOf).filter((o) => !lead.has(o)));
      const rows = [
        ...[...lead].map((org_id) => ({ task_id: row.id, org_id, role: 'lead' as const })),
        ...[...coordinate].map((org_id) => ({ task_id: row.id, org_id, role: 'coordinate' as const })),
      ];
      await q
        .insertInto('plan_assignment')
        .values(rows.map((r) => ({ ...r, valid_to: null, succeeds_id: null, note: null })))
        .execute();
    }
    const missing = Object.keys(TASKS).filter((r) => !seen.has(r));
    if (missing.length) throw new Error(`planning seed: reference tasks not in the plan's text: ${missing.join(', ')}`);

    for (const ind of INDICATORS) {
      const row = await q
        .insertInto('plan_indicator')
        .values({
          plan_id: plan.id,
          code: ind.code,
          scope: ind.scope,
          name: ind.name,
          name_en: ind.nameEn,
          unit: ind.unit,
          unit_en: ind.unitEn,
          direction: ind.direction ?? 'up',
          baseline: null,
          baseline_year: null,
          responsible_org_id: unitsOf(ind.responsible)[0]!,
          source: ind.computeKey ? 'computed' : 'entered',
          compute_key: ind.computeKey ?? null,
          note: ind.note,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const targets = Object.entries(ind.targets).map(([year, target]) => ({ indicator_id: row.id, year: Number(year), target }));
      if (targets.length) await q.insertInto('plan_indicator_target').values(targets).execute();
    }

    const regime = await q
      .insertInto('plan_regime')
      .values({
        code: ANNUAL_REGIME.code,
        plan_id: plan.id,
        name: ANNUAL_REGIME.name,
        name_en: ANNUAL_REGIME.nameEn,
        content: ANNUAL_REGIME.content,
        senders: ANNUAL_REGIME.senders,
        receiver_org_id: unitsOf(ANNUAL_REGIME.receiver)[0]!,
        channel: ANNUAL_REGIME.channel,
        frequency: ANNUAL_REGIME.frequency,
        deadline_month: ANNUAL_REGIME.deadline.month,
        deadline_day: ANNUAL_REGIME.deadline.day,
        outline: ANNUAL_REGIME.outline,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const rounds = [];
    for (let year = PLAN_META.firstYear; year <= PLAN_META.lastYear; year++) {
      const p = periodOf(regime, year);
      rounds.push({
        regime_id: regime.id,
        kind: 'periodic' as const,
        year,
        title: `${ANNUAL_REGIME.name} năm ${year}`,
        period_from: p.from,
        period_to: p.to,
        deadline: p.deadline,
      });
    }
    await q.insertInto('plan_round').values(rounds).execute();
  });
}
