import type { RegimeRow } from '../tables.js';

type Rule = Pick<RegimeRow, 'cutoff_from_month' | 'cutoff_from_day' | 'cutoff_to_month' | 'cutoff_to_day' | 'deadline_month' | 'deadline_day'>;

const iso = (y: number, m: number, d: number): string => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/**
 * An annual round's data cut-off period and sending deadline (Nghị định 09/2019/NĐ-CP, Điều 12):
 * by default 15/12 of the previous year to 14/12 of the year; the deadline is the regime's
 * (15 November for the AI plan's report, which therefore closes before the cut-off ends: the
 * plan's own rule, kept as it is written).
 */
export function periodOf(rule: Rule, year: number): { from: string; to: string; deadline: string } {
  const fromYear =
    rule.cutoff_from_month > rule.cutoff_to_month || (rule.cutoff_from_month === rule.cutoff_to_month && rule.cutoff_from_day > rule.cutoff_to_day)
      ? year - 1
      : year;
  return {
    from: iso(fromYear, rule.cutoff_from_month, rule.cutoff_from_day),
    to: iso(year, rule.cutoff_to_month, rule.cutoff_to_day),
    deadline: iso(year, rule.deadline_month, rule.deadline_day),
  };
}

/** Whole days from `today` to `deadline` (both 'YYYY-MM-DD'); negative once it has passed. */
export function daysUntil(deadline: string, today: string): number {
  return Math.round((Date.parse(`${deadline}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}
