import { PHYSICAL_RANGES } from '../../analytics/index.js';
import { pollutantOf, toMicrogramFactor } from '../air/pollutants.js';

/** The physical range of a Datastream's values in its own unit, when its parameter is known; undefined otherwise. */
export function rangeOf(name: string, definition: string, unitSymbol: unknown): { min: number; max: number } | undefined {
  const pollutant = pollutantOf(name, definition);
  if (pollutant) {
    const factor = toMicrogramFactor(unitSymbol);
    const r = PHYSICAL_RANGES[pollutant];
    return factor && r ? { min: r.min / factor, max: r.max / factor } : undefined;
  }
  const text = `${name} ${definition}`.toLowerCase();
  const unit = typeof unitSymbol === 'string' ? unitSymbol : '';
  const pick = (k: string) => ({ min: PHYSICAL_RANGES[k]!.min, max: PHYSICAL_RANGES[k]!.max });
  if (/\bph\b/.test(text)) return pick('ph');
  if (/(độ ẩm|humidity)/.test(text) && unit === '%') return pick('humidity');
  if (/(nhiệt độ|temperature)/.test(text) && /°?c$/i.test(unit)) return pick('temperature');
  if (/(oxy hòa tan|dissolved oxygen|\bdo\b)/.test(text) && /mg\/l/i.test(unit)) return pick('do');
  return undefined;
}
