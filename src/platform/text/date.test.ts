import { describe, expect, it } from 'vitest';
import { formatViDateTime, parseViDateTime, vnInstant } from './date.js';

describe('Vietnamese dates', () => {
  it('reads dd/mm/yyyy with an optional time, and ISO', () => {
    expect(parseViDateTime('20/11/2026')).toEqual({ date: '2026-11-20', time: null });
    expect(parseViDateTime(' 5/1/2027 8:30 ')).toEqual({ date: '2027-01-05', time: '08:30' });
    expect(parseViDateTime('05/01/2027 8h30')).toEqual({ date: '2027-01-05', time: '08:30' });
    expect(parseViDateTime('2026-11-20T14:00')).toEqual({ date: '2026-11-20', time: '14:00' });
  });
  it('refuses what is not a calendar date or time', () => {
    for (const bad of ['31/02/2026', '2026-13-01', '20/11/2026 24:00', '11/20/2026', 'mai', '']) expect(parseViDateTime(bad)).toBeNull();
  });
  it('places a local time in Vietnam and writes it back', () => {
    expect(vnInstant('2026-11-20', '08:30').toISOString()).toBe('2026-11-20T01:30:00.000Z');
    expect(formatViDateTime(new Date('2026-11-20T01:30:00Z'))).toBe('20/11/2026 08:30');
  });
});
