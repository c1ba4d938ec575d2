// The filing world (real phase 5, the Amazon simulator's case API, the payout monitor) with the
// real phase 7 behind it: the billing capability charging a local Stripe simulator, the proof
// packet built in phase 7's commit, and the statement's routes. Closed after each test.
import { randomBytes } from 'node:crypto';
import { onTestFinished } from 'vitest';
import { billingCapability } from '../../src/billing/capability.js';
import { STRIPE_WEBHOOK_PATH } from '../../src/billing/routes.js';
import { createStripeGateway } from '../../src/billing/stripe-gateway.js';
import { learningCapability } from '../../src/learning/capability.js';
import { proofCapability } from '../../src/proof/capability.js';
import { createSecretBox, parseKeys } from '../../src/security/secret-box.js';
import { startStripeSimulator } from '../../src/simulator/stripe/app.js';
import { filingWorld, type World } from '../filing/support.js';

const SECRET = 'whsec_clario_payout_tests';

export async function paidWorld(o: { store?: 'pglite' | 'postgres' } = {}) {
  // Clario's key too: its webhook route opens what the capability sealed.
  const keys = `k1:${randomBytes(32).toString('base64')}`;
  const box = createSecretBox(parseKeys(keys));
  const started: { w?: World } = {};
  const stripe = await startStripeSimulator({
    webhook: { url: () => (started.w ? `${started.w.t.url}${STRIPE_WEBHOOK_PATH}` : undefined), secret: SECRET, retryDelaysMs: [20, 50, 100] },
  });
  onTestFinished(() => stripe.close());
  const gateway = createStripeGateway({ apiKey: stripe.apiKey, apiBase: stripe.url, webhookSecret: SECRET, maxNetworkRetries: 0 });
  const settlement = billingCapability({ gateway, box, feeRateBp: 2000 });
  const w = await filingWorld({
    capabilities: { settlement, learning: learningCapability(), proof: proofCapability() },
    stripe: { gateway, description: `the test's Stripe simulator at ${stripe.url}`, close: () => Promise.resolve() },
    env: { CLARIO_ENCRYPTION_KEYS: keys },
    ...(o.store ? { store: o.store } : {}),
  });
  started.w = w;
  return { ...w, stripe };
}
