import type { Principal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { buildConsolidated, type Consolidated } from '../consolidate/build.js';
import { reportRepo } from './repository.js';
import { annualRound } from './service.js';

export interface IndicatorHistory {
  code: string;
  name: string;
  unit: string;
  years: Record<number, { value: number | null; target: number | null; assessment: string }>;
}

/**
 * Each indicator's value against its target, year by year up to `current.year`, from each round's
 * accepted reports and the platform's counts (as the consolidated reports give them); the
 * Department's staff. `current` is that year's consolidation, which the caller has already built.
 */
export async function indicatorHistory(db: Db, p: Principal, current: Consolidated): Promise<{ years: number[]; indicators: IndicatorHistory[] }> {
  const year = current.year;
  const { regime } = await annualRound(db, year);
  const years = (await reportRepo.rounds(db, regime.id)).filter((r) => r.kind === 'periodic' && r.year <= year).map((r) => r.year);
  const out = new Map<string, IndicatorHistory>();
  for (const y of years) {
    for (const i of (y === year ? current : await buildConsolidated(db, p, y)).indicators) {
      const h = out.get(i.code) ?? { code: i.code, name: i.name, unit: i.unit, years: {} };
      h.years[y] = { value: i.valueNumber, target: i.targetNumber, assessment: i.assessment };
      out.set(i.code, h);
    }
  }
  return { years, indicators: [...out.values()] };
}
