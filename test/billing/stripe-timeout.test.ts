import { afterEach, describe, expect, it } from 'vitest';
import { createStripeGateway } from '../../src/billing/stripe-gateway.js';
import { silentServer } from '../support/silent-server.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('Stripe calls are bounded', () => {
  it('a Stripe API that never answers fails the call with a timeout', async () => {
    const s = await silentServer();
    close = s.close;
    const gateway = createStripeGateway({ apiKey: 'sk_test_x', apiBase: s.url, maxNetworkRetries: 0, timeoutMs: 50 });
    await expect(gateway.createCustomer('u-1', 'key-1')).rejects.toMatchObject({ type: 'StripeConnectionError', message: expect.stringMatching(/timeout/i) as unknown });
    await s.arrived;
  });
});
