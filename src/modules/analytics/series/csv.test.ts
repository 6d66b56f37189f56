import { describe, expect, it } from 'vitest';
import { readSeriesCsv } from './csv.js';
import { timeAt } from './regular.js';
import { formatTime } from './time.js';

describe('series files', () => {
  it('reads several series at their own steps, fills skipped times as missing and keeps the input’s time style', () => {
    const all = readSeriesCsv(
      'series,time,value\nA,2026-01-01T00:00:00+07:00,1\nA,2026-01-01T01:00:00+07:00,\nA,2026-01-01T03:00:00+07:00,3\nM,2024-01-31,5\nM,2024-02-29,6\nM,2024-04-30,7\n',
    );
    expect(all.map((s) => s.name)).toEqual(['A', 'M']);
    const [a, m] = all;
    expect(a!.values).toEqual([1, null, null, 3]);
    expect(formatTime(timeAt(a!, 4), a!.style)).toBe('2026-01-01T04:00:00+07:00');
    expect(m!.step).toMatchObject({ kind: 'months', months: 1, monthEnd: true });
    expect(m!.values).toEqual([5, 6, null, 7]);
    expect(formatTime(timeAt(m!, 4), m!.style)).toBe('2024-05-31');
  });

  it('names the series and the row of every kind of bad input', () => {
    const bad = (text: string) => () => readSeriesCsv(`series,time,value\n${text}`);
    expect(bad('A,2026-01-01T00:00,1\nA,2026-01-01T01:00,1\nA,2026-01-01T02:00,1\nA,2026-01-01T02:30,2\n')).toThrow(
      'series "A", row 5: the gap from row 4 is not a whole number',
    );
    expect(bad('A,2026-01-01T00:00,1\nA,01/02/2026,1\n')).toThrow('series "A", row 3: "01/02/2026" is not an ISO 8601 time');
    expect(bad('A,2026-01-01T00:00,1\nA,2026-01-01T01:00,"1.234,5"\n')).toThrow('series "A", row 3: "1.234,5" is not a number');
    expect(bad('B,2026-01-01,1\nB,2026-01-03,2\nB,2026-01-02,3\n')).toThrow('series "B", row 4: earlier than row 3');
    expect(bad('B,2026-02-30,1\n')).toThrow('is not an ISO 8601 time');
    expect(() => readSeriesCsv('time,value\n2026-01-01,1\n')).toThrow('series,time,value');
  });
});
