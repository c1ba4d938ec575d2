// Which reminders are due, alone, and a property over random claims, cases and days: each
// (kind, subject) is proposed at most once, never about a claim that is filed, paid, expired or
// dismissed (a follow-up is about a filed case, and only while Amazon has not answered it), and a
// claim first seen with two days or less left gets the 2-day reminder only.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLAIM_STATUSES, type ClaimStatus } from '../../src/domain/claim-status.js';
import { dueReminders, reminderKey, REOPENABLE, UNFILED, type CaseFacts, type ClaimFacts, type DueReminder, type RejectionFacts, type ReminderWorld } from '../../src/domain/reminders.js';

const DAY = 86_400_000;
const at = (day: string, hour = 9) => new Date(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);
const rules = { followUpDays: 14, reopenNudgeDays: 3 };
const claim = (o: Partial<ClaimFacts> = {}): ClaimFacts => ({ id: 'c1', userId: 'u1', status: 'prompted', deadline: '2026-12-10', preparedFilingId: null, ...o });
const filed = (o: Partial<CaseFacts> = {}): CaseFacts => ({ filingId: 'f1', userId: 'u1', status: 'filed', caseId: '17000000001', filedAt: at('2026-11-01'), answered: false, ...o });
const rejection = (o: Partial<RejectionFacts> = {}): RejectionFacts => ({
  claimId: 'c1',
  userId: 'u1',
  claimStatus: 'prompted',
  deadline: '2027-03-01',
  caseId: '17000000002',
  round: '',
  filingId: 'f2',
  action: 'reprompt',
  rejectedAt: at('2026-11-01'),
  ...o,
});
const world = (o: Partial<ReminderWorld>): ReminderWorld => ({ now: at('2026-11-01'), claims: [], cases: [], rejections: [], sent: new Set(), ...o });
const kinds = (rs: DueReminder[]) => rs.map((r) => `${r.kind}:${r.subject}`);

describe('deadline reminders', () => {
  it('sends the 7-day reminder a week out, then the 2-day one, each once', () => {
    const c = [claim({ deadline: '2026-12-10' })];
    expect(dueReminders(world({ now: at('2026-12-02'), claims: c }), rules)).toEqual([]);
    const week = dueReminders(world({ now: at('2026-12-03'), claims: c }), rules);
    expect(week).toEqual([{ kind: 'deadline_7d', subject: 'c1', userId: 'u1', claimId: 'c1', filingId: null, due: '2026-12-10', daysLeft: 7 }]);
    const sent = new Set([reminderKey('deadline_7d', 'c1')]);
    expect(dueReminders(world({ now: at('2026-12-05'), claims: c, sent }), rules)).toEqual([]);
    expect(kinds(dueReminders(world({ now: at('2026-12-08'), claims: c, sent }), rules))).toEqual(['deadline_2d:c1']);
    sent.add(reminderKey('deadline_2d', 'c1'));
    expect(dueReminders(world({ now: at('2026-12-10', 23), claims: c, sent }), rules)).toEqual([]);
  });

  it('a claim first seen with one day left gets the 2-day reminder only, and nothing once its deadline has passed', () => {
    const c = [claim({ deadline: '2026-12-10' })];
    expect(kinds(dueReminders(world({ now: at('2026-12-09'), claims: c }), rules))).toEqual(['deadline_2d:c1']);
    const sent = new Set([reminderKey('deadline_2d', 'c1')]);
    expect(dueReminders(world({ now: at('2026-12-09'), claims: c, sent }), rules)).toEqual([]);
    expect(dueReminders(world({ now: at('2026-12-11'), claims: c }), rules)).toEqual([]);
  });

  it('names the prepared case of a claim ready to file by hand, and leaves filed, paid and dismissed claims alone', () => {
    const c = [
      claim({ id: 'ready', status: 'ready', preparedFilingId: 'fil_9' }),
      ...(['filed', 'rejected', 'paid', 'expired', 'dismissed'] as const).map((status) => claim({ id: status, status })),
      claim({ id: 'no-deadline', deadline: null }),
    ];
    expect(dueReminders(world({ now: at('2026-12-09'), claims: c }), rules)).toEqual([
      { kind: 'deadline_2d', subject: 'ready', userId: 'u1', claimId: 'ready', filingId: 'fil_9', due: '2026-12-10', daysLeft: 1 },
    ]);
  });
});

describe('follow-ups', () => {
  it('asks for a follow-up once a filed case has waited FILING_FOLLOW_UP_DAYS without an answer', () => {
    const f = [filed({ filedAt: new Date(at('2026-11-01').getTime()) })];
    expect(dueReminders(world({ now: new Date(at('2026-11-15').getTime() - 1), cases: f }), rules)).toEqual([]);
    expect(dueReminders(world({ now: at('2026-11-15'), cases: f }), rules)).toEqual([
      { kind: 'follow_up', subject: 'f1', userId: 'u1', claimId: null, filingId: 'f1', due: null, daysLeft: null },
    ]);
    expect(dueReminders(world({ now: at('2026-11-16'), cases: f, sent: new Set(['follow_up:f1']) }), rules)).toEqual([]);
  });

  it('not for a case Amazon answered, decided, or that nobody filed yet', () => {
    const f = [filed({ filingId: 'a', answered: true }), filed({ filingId: 'b', status: 'approved' }), filed({ filingId: 'c', status: 'prepared', caseId: null, filedAt: null })];
    expect(dueReminders(world({ now: at('2026-12-20'), cases: f }), rules)).toEqual([]);
  });
});

describe('reopening a rejected case', () => {
  it('as soon as the document Amazon asked for is in (the claim is ready again)', () => {
    const r = [rejection({ claimStatus: 'ready' })];
    expect(dueReminders(world({ now: at('2026-11-01', 10), rejections: r }), rules)).toEqual([
      { kind: 'reopen', subject: 'c1@17000000002', userId: 'u1', claimId: 'c1', filingId: 'f2', due: '2027-03-01', daysLeft: 120 },
    ]);
  });

  it('else as a nudge after REMINDER_REOPEN_NUDGE_DAYS, and never for a closed or refiled claim', () => {
    const r = [rejection()];
    expect(dueReminders(world({ now: at('2026-11-03'), rejections: r }), rules)).toEqual([]);
    expect(kinds(dueReminders(world({ now: at('2026-11-04'), rejections: r }), rules))).toEqual(['reopen:c1@17000000002']);
    const closed = [rejection({ action: 'closed' }), rejection({ action: 'review' }), ...(['filed', 'paid', 'dismissed', 'expired'] as const).map((claimStatus) => rejection({ claimStatus }))];
    expect(dueReminders(world({ now: at('2026-12-01'), rejections: closed }), rules)).toEqual([]);
  });

  it('a claim rejected again, on another case or on a reopening of the same, is reminded again', () => {
    const sent = new Set(['reopen:c1@17000000002']);
    const r = [rejection(), rejection({ caseId: '17000000003' }), rejection({ round: 'fil_reopening' })];
    expect(kinds(dueReminders(world({ now: at('2026-12-01'), rejections: r, sent }), rules))).toEqual(['reopen:c1@17000000003', 'reopen:c1@17000000002#fil_reopening']);
  });
});

describe('over random claims, cases and days', () => {
  const status = fc.constantFrom<ClaimStatus>(...CLAIM_STATUSES);
  const dayOffset = fc.integer({ min: -3, max: 20 });
  // Each claim has a deadline and, per day, a status; a case and a rejection per claim likewise.
  const subject = fc.record({
    deadline: fc.option(dayOffset, { nil: null }),
    statuses: fc.array(status, { minLength: 25, maxLength: 25 }),
    prepared: fc.boolean(),
    caseStatus: fc.array(fc.constantFrom<CaseFacts['status']>('prepared', 'filed', 'approved', 'rejected'), { minLength: 25, maxLength: 25 }),
    answered: fc.array(fc.boolean(), { minLength: 25, maxLength: 25 }),
    filedDay: fc.integer({ min: -20, max: 10 }),
    action: fc.constantFrom<RejectionFacts['action']>('reprompt', 'closed', 'review'),
    rejectedDay: fc.integer({ min: -10, max: 10 }),
    cases: fc.integer({ min: 1, max: 2 }),
  });
  const start = Date.parse('2026-11-01T00:00:00Z');
  const dayOf = (offset: number) => new Date(start + offset * DAY).toISOString().slice(0, 10);

  it('each (kind, subject) at most once, and only while its claim or case can use it', () => {
    fc.assert(
      fc.property(fc.array(subject, { minLength: 1, maxLength: 6 }), fc.array(fc.integer({ min: 0, max: 23 }), { minLength: 1, maxLength: 40 }), (subjects, hours) => {
        const sent = new Set<string>();
        // Rounds at random hours, in order: several a day, or days skipped.
        let t = start;
        for (const h of hours) {
          t += h * 3_600_000;
          const day = Math.floor((t - start) / DAY);
          const idx = Math.min(day, 24);
          const claims = subjects.map((s, i) => claim({ id: `c${i}`, status: s.statuses[idx]!, deadline: s.deadline === null ? null : dayOf(s.deadline), preparedFilingId: s.prepared ? `p${i}` : null }));
          const cases = subjects.flatMap((s, i) =>
            Array.from({ length: s.cases }, (_, k) => filed({ filingId: `f${i}_${k}`, status: s.caseStatus[idx]!, answered: s.answered[idx]!, filedAt: new Date(start + s.filedDay * DAY), caseId: s.caseStatus[idx] === 'prepared' ? null : `case${i}_${k}` })),
          );
          // The same rejection listed twice must still give one reminder.
          const rejections = subjects.flatMap((s, i) => {
            const r = rejection({ claimId: `c${i}`, claimStatus: s.statuses[idx]!, deadline: claims[i]!.deadline, caseId: `case${i}`, action: s.action, rejectedAt: new Date(start + s.rejectedDay * DAY) });
            return [r, r];
          });
          const due = dueReminders({ now: new Date(t), claims, cases, rejections, sent }, rules);
          for (const r of due) {
            const key = reminderKey(r.kind, r.subject);
            expect(sent.has(key), key).toBe(false);
            sent.add(key);
            if (r.kind === 'deadline_7d' || r.kind === 'deadline_2d') {
              const c = claims.find((x) => x.id === r.claimId)!;
              expect(UNFILED).toContain(c.status);
              expect(r.kind === 'deadline_7d' ? r.daysLeft! > 2 && r.daysLeft! <= 7 : r.daysLeft! >= 0 && r.daysLeft! <= 2).toBe(true);
              // The 7-day reminder never follows the 2-day one.
              if (r.kind === 'deadline_7d') expect(sent.has(reminderKey('deadline_2d', r.subject))).toBe(false);
            } else if (r.kind === 'reopen') {
              const c = claims.find((x) => x.id === r.claimId)!;
              expect(REOPENABLE).toContain(c.status);
            } else {
              const f = cases.find((x) => x.filingId === r.filingId)!;
              expect(f.status).toBe('filed');
              expect(f.answered).toBe(false);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a claim left unfiled every day of its last week gets both deadline reminders', () => {
    fc.assert(
      fc.property(fc.constantFrom<ClaimStatus>(...UNFILED), fc.integer({ min: 0, max: 23 }), (s, hour) => {
        const sent = new Set<string>();
        const c = [claim({ status: s, deadline: '2026-12-10' })];
        for (let d = 1; d <= 10; d++) {
          for (const r of dueReminders(world({ now: at(`2026-12-${String(d).padStart(2, '0')}`, hour), claims: c, sent }), rules)) sent.add(reminderKey(r.kind, r.subject));
        }
        expect([...sent].sort()).toEqual(['deadline_2d:c1', 'deadline_7d:c1']);
      }),
    );
  });
});
