import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from './server.js';

/** `tinhso forecast` and `tinhso anomalies` as a script would call them. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-analytics-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const tinhso = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const file = (name: string, text: string) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
};
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms + 7 * HOUR).toISOString().slice(0, 19) + '+07:00';

/** Four weeks of hourly PM2.5 (a daily cycle, a little noise) for station A; twelve months of a monthly count for series B. */
function seriesFile(): { text: string; truthA: number[] } {
  const start = Date.parse('2026-10-01T00:00:00+07:00');
  let seed = 11;
  const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 2;
  const a = (t: number) => 30 + 12 * Math.sin((2 * Math.PI * t) / 24) + noise();
  const lines = ['series,time,value'];
  for (let t = 0; t < 24 * 28; t++) lines.push(`tram-a,${iso(start + t * HOUR)},${t === 200 ? '' : a(t).toFixed(2)}`);
  for (let m = 0; m < 12; m++) lines.push(`luot-khach,2025-${String(m + 1).padStart(2, '0')}-01,${1000 + 50 * m}`);
  const truthA = Array.from({ length: 24 }, (_, j) => 30 + 12 * Math.sin((2 * Math.PI * (24 * 28 + j)) / 24));
  return { text: `${lines.join('\n')}\n`, truthA };
}

describe('tinhso forecast', () => {
  it('prints H rows per series after its last time, in the input’s time style, with the interval around the mean', () => {
    const { text, truthA } = seriesFile();
    const r = tinhso('forecast', '--file', file('s.csv', text), '--horizon', '24', '--level', '80');
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toBe('series,time,mean,lower,upper');
    const a = lines.slice(1).filter((l) => l.startsWith('tram-a,'));
    const b = lines.slice(1).filter((l) => l.startsWith('luot-khach,'));
    expect(a).toHaveLength(24);
    expect(b).toHaveLength(24);
    expect(a[0]!.split(',')[1]).toBe('2026-10-29T00:00:00+07:00');
    expect(b[0]!.split(',')[1]).toBe('2026-01-01');
    expect(b[23]!.split(',')[1]).toBe('2027-12-01');
    let err = 0;
    a.forEach((l, j) => {
      const [, , mean, lower, upper] = l.split(',').map(Number);
      expect(lower!).toBeLessThan(mean!);
      expect(upper!).toBeGreaterThan(mean!);
      err += Math.abs(mean! - truthA[j]!);
    });
    expect(err / 24).toBeLessThan(2);
    expect(r.err).toMatch(/series "tram-a": model \w+ \(MASE [\d.]+ at \d rolling origins\), season 24/);
    expect(r.err).toMatch(/series "luot-khach": the series has only 12 values, too few to evaluate the models: forecast by a simpler model/);
  });

  it('refuses an irregular or unparseable time, a non-number and a season too long, naming the series and the row', () => {
    const irregular = tinhso(
      'forecast',
      '--file',
      file('i.csv', 'series,time,value\nx,2026-01-01T00:00:00Z,1\nx,2026-01-01T01:00:00Z,2\nx,2026-01-01T02:00:00Z,2\nx,2026-01-01T02:20:00Z,3\n'),
      '--horizon',
      '2',
    );
    expect(irregular.code).toBe(1);
    expect(irregular.err).toMatch(/series "x", row 5: the gap from row 4 is not a whole number/);
    expect(irregular.out).toBe('');
    const time = tinhso('forecast', '--file', file('t.csv', 'series,time,value\nx,2026-01-01,1\nx,02/01/2026,2\n'), '--horizon', '2');
    expect(time.err).toMatch(/series "x", row 3: "02\/01\/2026" is not an ISO 8601 time/);
    const value = tinhso('forecast', '--file', file('v.csv', 'series,time,value\nx,2026-01-01,1\nx,2026-01-02,cao\n'), '--horizon', '2');
    expect(value.err).toMatch(/series "x", row 3: "cao" is not a number/);
    const season = tinhso(
      'forecast',
      '--file',
      file('z.csv', 'series,time,value\nx,2026-01-01,1\nx,2026-01-02,2\nx,2026-01-03,3\n'),
      '--horizon',
      '2',
      '--season',
      '7',
    );
    expect(season.code).toBe(1);
    expect(season.err).toMatch(/series "x".*3 values, too short for a season of 7/);
    expect(tinhso('forecast', '--file', file('ok.csv', 'series,time,value\nx,2026-01-01,1\n'), '--horizon', '0').err).toMatch(/--horizon: "0"/);
  });
});

describe('tinhso anomalies', () => {
  it('prints one row per flagged point with its kind and score', () => {
    const start = Date.parse('2026-10-01T00:00:00Z');
    const lines = ['series,time,value'];
    for (let t = 0; t < 24 * 40; t++) {
      const v = t === 500 ? 900 : t >= 700 && t < 712 ? 41.5 : t === 800 ? -3 : 30 + 10 * Math.sin((2 * Math.PI * t) / 24) + ((t * 7919) % 13) / 6;
      if (t >= 600 && t < 603) continue;
      lines.push(`pm25,${new Date(start + t * HOUR).toISOString()},${v}`);
    }
    const r = tinhso('anomalies', '--file', file('a.csv', `${lines.join('\n')}\n`), '--parameter', 'pm25');
    expect(r.code, r.err).toBe(0);
    const rows = r.out.trim().split('\n');
    expect(rows[0]).toBe('series,time,kind,score');
    const at = (t: number, kind: string) => rows.some((l) => l.startsWith(`pm25,${new Date(start + t * HOUR).toISOString()},${kind},`));
    expect(at(500, 'spike')).toBe(true);
    expect(at(603, 'gap')).toBe(true);
    expect(at(711, 'stuck')).toBe(true);
    expect(at(800, 'range')).toBe(true);
    for (const l of rows.slice(1)) {
      const [, , kind, score] = l.split(',');
      expect(['spike', 'stuck', 'drift', 'gap', 'range']).toContain(kind);
      expect(Number(score)).toBeGreaterThan(0);
      expect(Number(score)).toBeLessThanOrEqual(1);
    }
    expect(tinhso('anomalies', '--file', 'khong-co.csv').err).toMatch(/cannot read khong-co\.csv/);
    expect(tinhso('anomalies', '--file', file('b.csv', 'series,time,value\nx,2026-01-01,1\n'), '--range', '5:1').code).toBe(1);
  });
});
