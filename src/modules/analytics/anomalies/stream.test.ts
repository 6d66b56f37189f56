import { describe, expect, it } from 'vitest';
import { detectSeries } from './detect.js';
import { StreamDetector } from './stream.js';

const HOUR = 3_600_000;
const rng = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
const calm = (n: number, seed = 3) => {
  const r = rng(seed);
  return Array.from({ length: n }, (_, t) => 25 + 8 * Math.sin((2 * Math.PI * t) / 24) + 2 * r());
};
const times = (n: number) => Array.from({ length: n }, (_, i) => Date.UTC(2026, 0, 1) + i * HOUR);
const kindsAt = (flags: { at: number; kind: string }[], at: number) => flags.filter((f) => f.at === at).map((f) => f.kind);

describe('streaming anomaly detection', () => {
  it('flags a spike, a stuck sensor, a gap and an impossible value where they are, and not the ordinary points', () => {
    const v: (number | null)[] = calm(24 * 60);
    const t = times(v.length);
    v[1000] = 400;
    for (let i = 1100; i < 1112; i++) v[i] = 31.4;
    v[1200] = v[1201] = v[1202] = null;
    v[1300] = -5;
    const { flags } = detectSeries(t, v, { stepMs: HOUR, range: { min: 0, max: 1000 } });
    expect(kindsAt(flags, t[1000]!)).toContain('spike');
    expect(kindsAt(flags, t[1111]!)).toContain('stuck');
    expect(kindsAt(flags, t[1104]!)).toEqual([]);
    expect(kindsAt(flags, t[1203]!)).toContain('gap');
    expect(kindsAt(flags, t[1300]!)).toEqual(['range']);
    const ordinary = flags.filter((f) => f.at < t[1000]! && f.kind !== 'drift');
    expect(ordinary).toEqual([]);
    for (const f of flags) expect(f.score > 0 && f.score <= 1).toBe(true);
  });

  it('flags a sensor drifting slowly away from its level', () => {
    const v = calm(24 * 120).map((x, t) => (t > 24 * 60 ? x + (t - 24 * 60) * 0.1 : x));
    const { flags } = detectSeries(times(v.length), v, { stepMs: HOUR });
    const drift = flags.filter((f) => f.kind === 'drift');
    expect(drift.length).toBeGreaterThan(0);
    expect(drift[0]!.at).toBeGreaterThan(times(v.length)[24 * 60]!);
  });

  it('carries its state as JSON: stopping and resuming gives the same verdicts as one run', () => {
    const v = calm(2000);
    v[1500] = 300;
    const t = times(v.length);
    const one = detectSeries(t, v, { stepMs: HOUR });
    const first = new StreamDetector({ stepMs: HOUR });
    const levels: number[] = [];
    for (let i = 0; i < 1200; i++) levels.push(first.push(t[i]!, v[i]!).level);
    const resumed = new StreamDetector({ stepMs: HOUR }, JSON.parse(JSON.stringify(first.state)));
    for (let i = 1200; i < v.length; i++) levels.push(resumed.push(t[i]!, v[i]!).level);
    expect(levels).toEqual(one.levels);
  });
});
