import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from './server.js';

/** `tinhso aqi …` and `tinhso wqi` as a script would call them. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-indices-'));
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

describe('tinhso aqi and wqi', () => {
  it('prints the NowCast, or an error when 2 of the 3 latest hours are missing', () => {
    expect(tinhso('aqi', 'nowcast', '20,10').out.trim()).toBe('16.667');
    expect(tinhso('aqi', 'nowcast', '40,30,,,,,,,,,,').out.trim()).toBe(String(Math.round((62.5 / 1.75) * 1000) / 1000));
    const missing = tinhso('aqi', 'nowcast', ',,5,5,5');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/at least 2 of the 3 most recent hours/);
    const bad = tinhso('aqi', 'nowcast', '12,abc');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/C2: "abc" is not a concentration/);
  });

  it('prints the hourly index as JSON, and refuses one without PM', () => {
    const r = tinhso('aqi', 'hourly', '--pm25', '30', '--no2', '118.7', '--o3', '100');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ aqi: 60, dominant: 'pm25', sub_indices: { pm25: 60, no2: 59, o3: 31 }, category: { key: 'moderate', color: '#ffff00' } });
    expect(j.category.advice.sensitive.vi).toMatch(/ho hoặc khó thở/);
    const none = tinhso('aqi', 'hourly', '--no2', '40');
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/needs PM2.5 or PM10/);
  });

  it('prints one object per day from an hourly file, naming a bad cell', () => {
    const lines = ['time,pm25,no2,o3'];
    for (let h = 1; h <= 24; h++) lines.push(`2026-11-14T${String(h).padStart(2, '0')}:00+07:00,${h % 2 ? 20 : 40},${h === 9 ? 118.7 : 40},100`);
    lines.push('2026-11-15T01:00+07:00,55,,');
    const r = tinhso('aqi', 'daily', '--file', file('hours.csv', lines.join('\n')));
    expect(r.code, r.err).toBe(0);
    const days = JSON.parse(r.out);
    // The 14th: PM2.5 mean 30 → 60. The 15th has one hour so far: 55 µg/m³, on 50–80 → 100–150: 100 + 50·5/30 = 108.3 → 108.
    expect(days.map((d: { date: string; aqi: number }) => [d.date, d.aqi])).toEqual([
      ['2026-11-14', 60],
      ['2026-11-15', 108],
    ]);
    expect(days[0]).toMatchObject({ dominant: 'pm25', sub_indices: { pm25: 60, no2: 59, o3: 50 }, hours: { pm25: 24, no2: 24, o3: 24 } });
    const bad = tinhso('aqi', 'daily', '--file', file('bad.csv', 'time,pm25\n2026-11-14T01:00+07:00,1.234,5\n'));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/line 2/);
    const bad2 = tinhso('aqi', 'daily', '--file', file('bad2.csv', 'time,pm25\n14/11/2026 01:00,12\n'));
    expect(bad2.err).toMatch(/line 2, time: "14\/11\/2026 01:00" is not an ISO time with its offset/);
  });

  it('prints VN_WQI with each parameter’s index, and says what a short sample lacks', () => {
    const r = tinhso(
      'wqi',
      '--json',
      file('s.json', JSON.stringify({ pH: 7.2, T: 28, DO: 6.1, BOD5: 5, COD: 12, 'N-NH4': 0.2, Coliform: 3000, 'E.coli': 30 })),
    );
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.parameters).toMatchObject({ pH: 100, BOD5: 87.5, COD: 90, 'N-NH4': 100, Coliform: 95 });
    expect(j.wqi).toBe(Math.round(Math.sqrt(((j.parameters.DO + 87.5 + 90 + 100) / 4) * ((95 + j.parameters['E.coli']) / 2))));
    expect(j.category.name.vi).toBeTruthy();
    const unknown = tinhso('wqi', '--json', file('u.json', '{"pH": 7, "BOD": 3}'));
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/"BOD" is not a VN_WQI parameter/);
    const short = tinhso('wqi', '--json', file('short.json', '{"pH": 7, "BOD5": 3, "COD": 8}'));
    expect(short.code).toBe(1);
    expect(short.err).toMatch(/group IV/);
  });
});
