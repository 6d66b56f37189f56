import { describe, expect, it } from 'vitest';
import { daysUntil, periodOf } from './period.js';
import { reminderKind } from './reminders.js';

const ANNUAL = { cutoff_from_month: 12, cutoff_from_day: 15, cutoff_to_month: 12, cutoff_to_day: 14, deadline_month: 11, deadline_day: 15 };

describe('report periods and reminders', () => {
  it('puts an annual cut-off from 15/12 of the previous year to 14/12, with the regime deadline', () => {
    expect(periodOf(ANNUAL, 2026)).toEqual({ from: '2025-12-15', to: '2026-12-14', deadline: '2026-11-15' });
    expect(periodOf({ ...ANNUAL, cutoff_from_month: 1, cutoff_from_day: 1, cutoff_to_month: 12, cutoff_to_day: 31 }, 2024)).toEqual({
      from: '2024-01-01',
      to: '2024-12-31',
      deadline: '2024-11-15',
    });
  });

  it('counts whole days to a deadline', () => {
    expect(daysUntil('2026-11-15', '2026-11-08')).toBe(7);
    expect(daysUntil('2026-11-15', '2026-11-16')).toBe(-1);
    expect(daysUntil('2026-03-01', '2026-02-28')).toBe(1);
  });

  it('picks the reminder due, catching up a missed day, and overdue after the deadline', () => {
    const days = [14, 7, 1];
    expect(reminderKind(20, days)).toBeNull();
    expect(reminderKind(14, days)).toBe('before-14');
    expect(reminderKind(9, days)).toBe('before-14');
    expect(reminderKind(7, days)).toBe('before-7');
    expect(reminderKind(6, days)).toBe('before-7');
    expect(reminderKind(0, days)).toBe('before-1');
    expect(reminderKind(-1, days)).toBe('overdue');
  });
});
