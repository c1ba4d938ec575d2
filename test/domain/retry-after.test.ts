// The one Retry-After parser (src/domain/retry.ts) that the Amazon transport, Login with Amazon,
// webhook delivery and the client all use: both RFC 9110 forms, bounded, against an injected clock.
import { describe, expect, it } from 'vitest';
import { parseHttpDate, parseRetryAfter } from '../../src/domain/retry.js';

const now = Date.parse('2030-01-01T00:00:00Z');
const max = 10 * 60_000;

describe('parseRetryAfter', () => {
  it.each([
    ['0', 0],
    ['7', 7_000],
    [' 120 ', 120_000],
    ['Tue, 01 Jan 2030 00:00:30 GMT', 30_000],
    ['Tuesday, 01-Jan-30 00:01:00 GMT', 60_000],
    ['Tue Jan  1 00:00:05 2030', 5_000],
  ])('reads %j as %j ms', (value, ms) => {
    expect(parseRetryAfter(value, now, max)).toBe(ms);
  });

  it('reads a date in the past as "now", never a negative wait', () => {
    expect(parseRetryAfter('Mon, 31 Dec 2029 23:59:00 GMT', now, max)).toBe(0);
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', now, max)).toBe(0);
  });

  it('caps huge values at the bound', () => {
    expect(parseRetryAfter('86400', now, max)).toBe(max);
    expect(parseRetryAfter('9'.repeat(40), now, max)).toBe(max);
    expect(parseRetryAfter('Fri, 01 Jan 2100 00:00:00 GMT', now, max)).toBe(max);
  });

  it.each([null, undefined, '', 'soon', '-5', '1.5', '5s', '0x10', 'Infinity', '1e3', '9'.repeat(400), 'Tue, 01 Jan 2030 00:00:30 PST', 'Tue, 31 Feb 2030 00:00:30 GMT', 'Tue, 01 Jan 2030 25:00:00 GMT', '2030-01-01T00:00:30Z'])(
    'ignores %j (the caller falls back to its own backoff)',
    (value) => {
      expect(parseRetryAfter(value, now, max)).toBeUndefined();
    },
  );

  it('follows the clock it is given', () => {
    const header = 'Tue, 01 Jan 2030 00:00:30 GMT';
    expect(parseRetryAfter(header, now + 10_000, max)).toBe(20_000);
    expect(parseRetryAfter(header, now + 60_000, max)).toBe(0);
  });
});

describe('parseHttpDate', () => {
  it('puts a two-digit RFC 850 year more than 50 years ahead in the past century', () => {
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', now)).toBe(Date.parse('1994-11-06T08:49:37Z'));
    expect(parseHttpDate('Monday, 01-Jan-35 00:00:00 GMT', now)).toBe(Date.parse('2035-01-01T00:00:00Z'));
  });
});
