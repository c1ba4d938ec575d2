// A phase's error code is one of Clario's (a misspelt one does not compile), Login with Amazon's
// `lwa_<error>`, or another system's passed through unchanged.
import { describe, expect, it } from 'vitest';
import { NonRetryableError, NotAvailableError, RetryAfterError, errorCode, foreignCode, type PhaseErrorCode } from '../../src/domain/errors.js';
import { LwaRequestError, SpApiRequestError } from '../../src/amazon/errors.js';

describe('phase error codes', () => {
  it("are Clario's own for its errors", () => {
    expect(errorCode(new NonRetryableError('no'))).toBe('non_retryable');
    expect(errorCode(new RetryAfterError('later', 1000, 'claim_not_filed'))).toBe('claim_not_filed');
    expect(errorCode(new NotAvailableError('filing'))).toBe('not_available');
    expect(errorCode(new LwaRequestError(400, 'invalid_client', 'unknown client'))).toBe('lwa_invalid_client');
  });

  it("pass another system's code through unchanged, and name a codeless error phase_error", () => {
    expect(errorCode(new SpApiRequestError('getReport', 400, [{ code: 'InvalidInput', message: 'bad' }]))).toBe('InvalidInput');
    expect(errorCode(new SpApiRequestError('getReport', 404, []))).toBe('http_404');
    expect(errorCode(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe('23505');
    expect(errorCode(new Error('boom'))).toBe('phase_error');
    expect(errorCode('not even an error')).toBe('phase_error');
  });
});

// Never run: only compiled, so that a code outside the union fails `tsc`.
export function wrongCodesDoNotCompile(): PhaseErrorCode[] {
  // @ts-expect-error a misspelt code of Clario's own
  const misspelt: PhaseErrorCode = 'invlaid_trigger';
  return [misspelt, foreignCode('InvalidInput'), 'lwa_invalid_grant', new NonRetryableError('x', 'invalid_trigger').code];
}
