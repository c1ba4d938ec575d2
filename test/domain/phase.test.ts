import { describe, expect, it } from 'vitest';
import { PHASES, PHASE_NUMBERS, canFollow, isPhaseNumber, parsePhaseNumber } from '../../src/domain/phase.js';
import { canTransition } from '../../src/domain/phase-status.js';
import { canMoveClaim } from '../../src/domain/claim-status.js';
import { DEFAULT_THRESHOLDS, route, validateThresholds } from '../../src/domain/routing.js';
import { backoffDelay, decideRetry } from '../../src/domain/retry.js';

describe('phase numbers', () => {
  it('accepts exactly the integers 1 to 7', () => {
    expect(PHASE_NUMBERS.every(isPhaseNumber)).toBe(true);
    for (const bad of [0, 8, -1, 1.5, NaN, Infinity, '1', null]) expect(isPhaseNumber(bad)).toBe(false);
  });

  it('parses path parameters strictly', () => {
    expect(parsePhaseNumber('7')).toBe(7);
    for (const bad of ['0', '8', '-1', '1.5', 'abc', '', '01', ' 1', '1e0', '0x1']) expect(parsePhaseNumber(bad)).toBeUndefined();
  });

  it('chains the sync phases and fans claims out to learning or payment', () => {
    expect(canFollow(1, 2) && canFollow(2, 3) && canFollow(3, 4) && canFollow(4, 5)).toBe(true);
    expect(canFollow(5, 6) && canFollow(5, 7)).toBe(true);
    expect(canFollow(1, 3)).toBe(false);
    expect(PHASES[7].webhook).toBe('payout/received');
    expect(PHASE_NUMBERS.filter((p) => PHASES[p].scope === 'claim')).toEqual([5, 6, 7]);
  });
});

describe('status machines', () => {
  it('parks failed phases until a replay, and never reopens completed ones', () => {
    expect(canTransition('pending', 'running')).toBe(true);
    expect(canTransition('running', 'failed')).toBe(true);
    expect(canTransition('failed', 'pending')).toBe(true);
    expect(canTransition('failed', 'running')).toBe(false);
    expect(canTransition('completed', 'pending')).toBe(false);
  });

  it('lets a rejected claim be filed again but never a paid one', () => {
    expect(canMoveClaim('rejected', 'filed')).toBe(true);
    expect(canMoveClaim('paid', 'filed')).toBe(false);
    expect(canMoveClaim('filed', 'paid')).toBe(true);
  });
});

describe('routing', () => {
  it('routes by the seed thresholds, inclusive at the lower edge', () => {
    expect(route(0.85)).toBe('auto_submit');
    expect(route(0.8499)).toBe('smart_prompt');
    expect(route(0.5)).toBe('smart_prompt');
    expect(route(0.4999)).toBe('hold');
    expect(route(0.7, { autoSubmit: 0.7, smartPrompt: 0.3 })).toBe('auto_submit');
    expect(() => route(1.2)).toThrow(RangeError);
    expect(validateThresholds(DEFAULT_THRESHOLDS)).toBeUndefined();
    expect(validateThresholds({ autoSubmit: 0.4, smartPrompt: 0.6 })).toMatch(/must not exceed/);
  });
});

describe('retries', () => {
  const policy = { baseMs: 1000, maxMs: 60_000 };
  it('backs off exponentially with jitter under a cap', () => {
    expect(backoffDelay(policy, 1, 0.999)).toBeLessThanOrEqual(1000);
    expect(backoffDelay(policy, 4, 0.999)).toBeLessThanOrEqual(8000);
    expect(backoffDelay(policy, 4, 0.999)).toBeGreaterThan(4000);
    expect(backoffDelay(policy, 30, 0.999)).toBeLessThanOrEqual(60_000);
    expect(backoffDelay(policy, 3, 0)).toBe(500); // never an instant retry
  });

  it('parks when attempts run out or the error says retrying cannot help', () => {
    const base = { policy, random: 0.5, retryable: true, maxAttempts: 3 };
    expect(decideRetry({ ...base, attempt: 1 }).kind).toBe('retry');
    expect(decideRetry({ ...base, attempt: 3 }).kind).toBe('park');
    expect(decideRetry({ ...base, attempt: 1, retryable: false }).kind).toBe('park');
    expect(decideRetry({ ...base, attempt: 1, retryAfterMs: 42_000 })).toEqual({ kind: 'retry', delayMs: 42_000 });
  });
});
