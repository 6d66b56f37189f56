import type { Db } from '../../platform/db/index.js';
import type { HomeWidget } from '../../platform/web/index.js';
import { UNIT_MESSAGES } from './messages.js';
import { childUnits } from './service.js';

/** Ninh Thuận's GSO code, and a date before the 1 July 2025 reform when it still had districts. */
const PROVINCE = '58';
const BEFORE_REFORM = '2025-03-01';
const TTL_MS = 10 * 60_000;

export interface UnitCounts {
  districts: number;
  communes: number;
}

/** Counts the province's district- and commune-level units before the reform; cached briefly. */
export function unitCounter(db: Db): () => Promise<UnitCounts | null> {
  let cached: { at: number; value: UnitCounts } | undefined;
  return async () => {
    if (cached && Date.now() - cached.at < TTL_MS) return cached.value;
    const districts = await childUnits(db, PROVINCE, BEFORE_REFORM);
    const communes = await Promise.all(districts.map((d) => childUnits(db, d.code, BEFORE_REFORM)));
    const value = { districts: districts.length, communes: communes.reduce((n, c) => n + c.length, 0) };
    if (value.districts === 0) return null;
    cached = { at: Date.now(), value };
    return value;
  };
}

/** The home page's figures of districts and communes, with the date they refer to. */
export function unitHomeWidgets(db: Db): HomeWidget[] {
  const counts = unitCounter(db);
  return [
    {
      kind: 'stats',
      order: 30,
      stats: async () => {
        const c = await counts();
        const note = UNIT_MESSAGES.statUnitsNote;
        return [
          { id: 'districts', value: c?.districts ?? null, label: UNIT_MESSAGES.statDistricts, note },
          { id: 'communes', value: c?.communes ?? null, label: UNIT_MESSAGES.statCommunes, note },
        ];
      },
    },
  ];
}
