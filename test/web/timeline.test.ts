// The page's pure parts, without a browser: the live timeline moved on by WebSocket messages, and
// money shown from integer minor units.
import { describe, expect, it } from 'vitest';
import type { PhaseStatus } from '../../src/domain/phase-status.js';
import { PHASES, type PhaseNumber } from '../../src/domain/phase.js';
import type { PhaseMessage, ProgressMessage } from '../../src/workflow/messages.js';
import { applyMessage, empty, fromStatus, progressOf, progressText } from '../../web/src/lib/timeline.js';
import { daysUntil, formatMoney } from '../../web/src/lib/format.js';

const msg = (phase: PhaseNumber, status: PhaseStatus, extra: Partial<PhaseMessage> = {}): PhaseMessage => ({
  type: 'workflow.phase', event_id: `e${phase}`, phase, name: PHASES[phase].key, status, user_id: 'u1', sync_id: 's1', claim_id: null,
  attempt: 1, data: {}, at: '2026-11-22T10:00:00Z', ...extra,
});
const progress = (phase: PhaseNumber, data: ProgressMessage['data']): ProgressMessage => ({
  type: 'workflow.progress', event_id: `e${phase}`, phase, name: PHASES[phase].key, status: 'running', user_id: 'u1', sync_id: 's1', claim_id: null,
  data, at: '2026-11-22T10:00:00Z',
});

describe('the live timeline', () => {
  const start = fromStatus({ runs: [{ sync_id: 's1', created_at: null, phases: [{ phase: 1, name: 'onboarding', status: 'running' }], claim_phases: {} }] });

  it('moves a phase through its statuses and keeps what it found', () => {
    let s = applyMessage(start, progress(1, { sources_done: 3, sources_total: 8 }));
    expect(progressOf(s.phases[1]?.progress)).toEqual({ done: 3, total: 8, what: 'sources' });
    s = applyMessage(s, msg(1, 'completed', { data: { rows: 10 } }));
    s = applyMessage(s, msg(2, 'running'));
    expect(s.phases[1]).toMatchObject({ status: 'completed', data: { rows: 10 } });
    expect(s.phases[2]?.status).toBe('running');
  });

  it("says the rows of the source just read as that source's, not as a running total", () => {
    // The sync's progress: `rows` counts the source it just finished (src/sync/sync-seller.ts).
    expect(progressText({ source: 'GET_FBA_REIMBURSEMENTS_DATA.tsv', sources_done: 6, sources_total: 10, rows: 251, new_rows: 251 })).toBe('sources: 6 of 10 · 251 rows in the last one');
    expect(progressText({ sources_done: 1, sources_total: 10, rows: 1 })).toBe('sources: 1 of 10 · 1 row in the last one');
    expect(progressText({ sources_done: 3, sources_total: 8 })).toBe('sources: 3 of 8');
    expect(progressText({ rows: 5 })).toBeNull();
  });

  it('shows why a phase failed, and forgets it when a retry completes', () => {
    const failed = applyMessage(start, msg(3, 'failed', { data: { error: { code: 'not_available', message: 'not in this build' } } }));
    expect(failed.phases[3]).toMatchObject({ status: 'failed', last_error: { code: 'not_available' } });
    expect(applyMessage(failed, msg(3, 'completed')).phases[3]?.last_error).toBeNull();
  });

  it('starts a new timeline for a new sync, and ignores a late message of an older one', () => {
    const next = applyMessage(start, msg(1, 'pending', { sync_id: 's2' }));
    expect(next.syncId).toBe('s2');
    expect(Object.keys(next.phases)).toEqual(['1']);
    expect(applyMessage(next, msg(3, 'failed', { sync_id: 's1' }))).toBe(next);
    // Claim phases are counted by the status endpoint, not here.
    expect(applyMessage(next, msg(5, 'completed', { sync_id: 's2' }))).toBe(next);
    expect(applyMessage(empty, msg(2, 'running')).syncId).toBe('s1');
  });

  it('is not moved by a frame that is not a sync phase message', () => {
    expect(applyMessage(start, { type: 'error', code: 'unknown_since', message: 'no event e0 in your history' })).toBe(start);
    expect(applyMessage(start, { type: 'prompt.answered', prompt_id: 'p1', claim_id: 'c1', user_id: 'u1', action: 'confirm', file_ids: [], at: '2026-11-22T10:00:00Z' })).toBe(start);
  });

  it('finds no progress where there is no done/total pair', () => {
    expect(progressOf({ rows: 5 })).toBeNull();
    expect(progressOf({ claims_done: 1, claims_total: 0 })).toBeNull();
    expect(progressOf(null)).toBeNull();
  });
});

describe('money on the page', () => {
  it('shows minor units in the currency’s own digits', () => {
    expect(formatMoney({ minor: 123456, currency: 'USD' })).toMatch(/1,234\.56/);
    expect(formatMoney({ minor: 1234, currency: 'JPY' })).toMatch(/1,234(?![.\d])/);
    expect(formatMoney({ minor: 1234, currency: 'KWD' })).toMatch(/1\.234/);
    expect(formatMoney({ minor: -250, currency: 'EUR' })).toMatch(/2\.50/);
    expect(formatMoney(null)).toBe('—');
  });

  it('counts days to a deadline in UTC calendar days', () => {
    const now = new Date('2026-11-22T23:30:00Z');
    expect(daysUntil('2026-11-22', now)).toBe(0);
    expect(daysUntil('2026-12-02', now)).toBe(10);
    expect(daysUntil(null, now)).toBeNull();
  });
});
