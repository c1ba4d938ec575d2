import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClario, type TestClario } from '../support/clario.js';

let t: TestClario;
beforeAll(async () => {
  t = await startTestClario({ env: { RATE_LIMIT_ANONYMOUS_PER_MINUTE: '3', RATE_LIMIT_SELLER_PER_MINUTE: '5', RATE_LIMIT_SERVICE_PER_MINUTE: '1000' } });
});
afterAll(async () => {
  await t.close();
});

describe('rate limits', () => {
  it('are tight for callers without a valid token', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await t.request('/api/v1/workflow/queue/stats', { token: 'guessing' })).status);
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    const limited = await t.request('/api/v1/workflow/queue/stats', { token: null });
    expect(limited.body.error.code).toBe('rate_limited');
  });

  it('are per seller, and generous for the service token', async () => {
    const seller = await t.sellerToken('busy-seller');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await t.request('/api/v1/workflow/status/busy-seller', { token: seller })).status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
    const other = await t.sellerToken('calm-seller');
    expect((await t.request('/api/v1/workflow/status/calm-seller', { token: other })).status).toBe(200);
    const service = await Promise.all(Array.from({ length: 50 }, () => t.request('/api/v1/workflow/queue/stats')));
    expect(service.every((r) => r.status === 200)).toBe(true);
  });
});
