// Property-based smoke of the trigger endpoints: whatever a caller sends, the answer is a clear
// 2xx or 4xx in the error format, never a 5xx. (The resilience suite runs this at length.)
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClario, type TestClario } from '../support/clario.js';
import { testCapabilities } from '../support/capabilities.js';

let t: TestClario;
beforeAll(async () => {
  t = await startTestClario({ capabilities: testCapabilities() });
});
afterAll(async () => {
  await t.close();
});

const id = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('u1', 'c-1', 'A1B2C3', ''), fc.integer(), fc.constant(null));
const body = fc.oneof(
  fc.anything(),
  fc.record(
    {
      user_id: id,
      sync_id: id,
      claim_id: id,
      case_id: id,
      payout_id: id,
      amount_minor: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(Number.MAX_SAFE_INTEGER + 2)),
      currency: fc.oneof(fc.constantFrom('USD', 'usd', 'XXX', 'EUR', ''), fc.string({ maxLength: 5 })),
      reason: fc.string({ maxLength: 50 }),
      matches: fc.anything(),
    },
    { requiredKeys: [] },
  ),
);
const phase = fc.oneof(fc.constantFrom('1', '2', '3', '4', '5', '6', '7'), fc.string({ maxLength: 6 }).map(encodeURIComponent), fc.integer().map(String));
const key = fc.option(fc.string({ minLength: 0, maxLength: 300 }), { nil: undefined });

describe('trigger endpoints under random input', () => {
  it('never answer 5xx, and every refusal uses the error format', async () => {
    await fc.assert(
      fc.asyncProperty(phase, body, key, async (p, b, k) => {
        const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${t.serviceToken}` };
        // Header values must be valid for fetch itself; the server sees only what a client can send.
        if (k !== undefined && /^[\x20-\x7e]*$/.test(k)) headers['idempotency-key'] = k;
        const res = await fetch(`${t.url}/api/v1/workflow/phase/${p}`, { method: 'POST', headers, body: JSON.stringify(b) ?? 'null' });
        const text = await res.text();
        expect(res.status, text).toBeLessThan(500);
        if (res.status >= 400) expect(JSON.parse(text).error.code).toEqual(expect.any(String));
      }),
      { numRuns: 300, seed: 20261122 },
    );
  });

  it('refuse an oversized body with 413', async () => {
    const res = await fetch(`${t.url}/api/v1/workflow/phase/4`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.serviceToken}` },
      body: JSON.stringify({ user_id: 'u', matches: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).error.code).toBe('payload_too_large');
  });
});
