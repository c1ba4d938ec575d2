// One count of calendar days for File today's `days_left` and the deadline reminders: n days after
// any instant is n days away, whatever the hour, across months, leap days and years.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysBetween, utcDay } from '../../src/domain/calendar-days.js';
import { dueReminders } from '../../src/domain/reminders.js';
import { daysLeft } from '../../src/filing/file-today.js';

const DAY_MS = 86_400_000;

describe('calendar days', () => {
  it('counts n days from any instant as n, 0 on the day itself and negative once past', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), fc.integer({ min: -800, max: 800 }), (t, n) => {
        const today = utcDay(new Date(t));
        const day = utcDay(new Date(t + n * DAY_MS));
        expect(daysBetween(today, day)).toBe(n);
      }),
    );
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(utcDay(new Date('2027-01-30T23:59:59.999Z'))).toBe('2027-01-30');
  });

  it('gives File today the days the reminders count: the 2-day reminder falls on days_left 2', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2030, 0, 1) }), fc.integer({ min: 0, max: 7 }), (t, n) => {
        const now = new Date(t);
        const deadline = utcDay(new Date(t + n * DAY_MS));
        const [due] = dueReminders({ now, claims: [{ id: 'c', userId: 'u', status: 'ready', deadline, preparedFilingId: null }], cases: [], rejections: [], sent: new Set() }, { followUpDays: 14, reopenNudgeDays: 7 });
        expect(due?.daysLeft).toBe(daysLeft(utcDay(now), deadline));
        expect(due?.kind).toBe(n <= 2 ? 'deadline_2d' : 'deadline_7d');
      }),
    );
    expect(daysLeft('2027-01-30', null)).toBeNull();
  });
});
