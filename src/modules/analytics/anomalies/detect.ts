import type { Flag } from './kinds.js';
import { StreamDetector, type DetectorOptions } from './stream.js';

/** A stored series checked as if it arrived point by point: every flag, and each point's anomaly level. */
export function detectSeries(times: readonly number[], values: readonly (number | null)[], opts: DetectorOptions): { flags: Flag[]; levels: number[] } {
  const d = new StreamDetector(opts);
  const flags: Flag[] = [];
  const levels: number[] = [];
  for (let i = 0; i < times.length; i++) {
    const v = d.push(times[i]!, values[i] ?? null);
    flags.push(...v.flags);
    levels.push(v.level);
  }
  return { flags, levels };
}
