// Who a request is for: the one rule every route follows (src/http/auth.ts, subjectOf).
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/http/errors.js';
import { covers, requireSubject, SERVICE_SEES_ALL, subjectOf, type Principal } from '../../src/http/auth.js';

const alice: Principal = { kind: 'seller', userId: 'alice', session: { id: 's-1', expiresAt: Date.UTC(2030, 0, 1) } };
const service: Principal = { kind: 'service' };
const nobody: Principal = { kind: 'anonymous', rejected: false };
const forged: Principal = { kind: 'anonymous', rejected: true };

describe('subjectOf', () => {
  it('gives a seller their own data, whether they name themself or no one', () => {
    expect(subjectOf(alice, undefined)).toEqual({ ok: true, userId: 'alice' });
    expect(subjectOf(alice, 'alice')).toEqual({ ok: true, userId: 'alice' });
    // Even where the service may see everyone, a seller never does.
    expect(subjectOf(alice, undefined, SERVICE_SEES_ALL)).toEqual({ ok: true, userId: 'alice' });
  });

  it("refuses a seller who names another seller (403), rather than answering with their own data", () => {
    expect(subjectOf(alice, 'bob')).toMatchObject({ ok: false, code: 'forbidden' });
    expect(subjectOf(alice, 'bob', SERVICE_SEES_ALL)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(subjectOf(alice, 'ALICE')).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('refuses an empty user id from anyone (400): it is neither "yourself" nor "no filter"', () => {
    expect(subjectOf(alice, '')).toMatchObject({ ok: false, code: 'invalid_request' });
    expect(subjectOf(service, '')).toMatchObject({ ok: false, code: 'invalid_request' });
    expect(subjectOf(service, '', SERVICE_SEES_ALL)).toMatchObject({ ok: false, code: 'invalid_request' });
  });

  it('gives the service the seller it names', () => {
    expect(subjectOf(service, 'bob')).toEqual({ ok: true, userId: 'bob' });
    expect(subjectOf(service, 'bob', SERVICE_SEES_ALL)).toEqual({ ok: true, userId: 'bob' });
  });

  it('makes the service name a seller on a per-user route, and lets it mean everyone only where the route says so', () => {
    expect(subjectOf(service, undefined)).toMatchObject({ ok: false, code: 'invalid_request', message: expect.stringMatching(/user_id/) });
    expect(subjectOf(service, undefined, SERVICE_SEES_ALL)).toEqual({ ok: true, userId: null });
  });

  it('refuses anonymous callers (401), saying whether their token was wrong', () => {
    expect(subjectOf(nobody, 'alice')).toEqual({ ok: false, code: 'unauthorized', message: 'send Authorization: Bearer <token>' });
    expect(subjectOf(forged, undefined, SERVICE_SEES_ALL)).toEqual({ ok: false, code: 'unauthorized', message: 'the token is not valid' });
  });
});

describe('requireSubject', () => {
  it('throws the refusal as an ApiError with its status', () => {
    const refused = (() => {
      try {
        requireSubject(alice, 'bob');
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ code: 'forbidden', status: 403 });
    expect(() => requireSubject(service, '')).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => requireSubject(nobody, undefined, SERVICE_SEES_ALL)).toThrow(expect.objectContaining({ status: 401 }));
  });

  it('returns the user id, or null for every seller', () => {
    expect(requireSubject(alice, undefined)).toBe('alice');
    expect(requireSubject(service, 'bob')).toBe('bob');
    expect(requireSubject(service, undefined, SERVICE_SEES_ALL)).toBeNull();
  });
});

describe('covers', () => {
  it("lets a seller see only their own records, and the service everyone's", () => {
    expect(covers('alice', 'alice')).toBe(true);
    expect(covers('alice', 'bob')).toBe(false);
    expect(covers(null, 'bob')).toBe(true);
  });
});
