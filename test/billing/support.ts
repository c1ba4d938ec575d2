// A Clario whose phase 7 is the real billing capability, charging a local Stripe simulator that
// sends its signed webhooks back to it. Claims are inserted as filed, as the filing phase leaves them.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { billingCapability } from '../../src/billing/capability.js';
import { STRIPE_WEBHOOK_PATH } from '../../src/billing/routes.js';
import { createStripeGateway } from '../../src/billing/stripe-gateway.js';
import { createSecretBox, parseKeys, type SecretBox } from '../../src/security/secret-box.js';
import { startStripeSimulator, type StartedStripeSimulator } from '../../src/simulator/stripe/app.js';
import { claims } from '../../src/store/schema/claims-tables.js';
import { phaseEvents } from '../../src/store/schema/workflow-tables.js';
import { testCapabilities } from '../support/capabilities.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { waitFor } from '../support/wait.js';

export const WEBHOOK_SECRET = 'whsec_clario_billing_tests';

export interface BillingHarness {
  readonly t: TestClario;
  readonly stripe: StartedStripeSimulator;
  /** The box billing seals Stripe ids with. */
  readonly box: SecretBox;
  fileClaim(o: { userId: string; claimId: string; caseId: string; amountMinor: number; currency: string }): Promise<void>;
  /** Triggers phase 7 over HTTP and waits until that event is completed (or parked). */
  payout(o: { userId: string; claimId: string; payoutId: string; amountMinor: number; currency: string; key?: string; kind?: 'reimbursement' | 'reversal'; reverses?: string }): Promise<{ eventId: string; status: string; result: Record<string, unknown> | null }>;
  close(): Promise<void>;
}

export async function startBilling(o: { store?: 'pglite' | 'postgres'; feeRateBp?: number } = {}): Promise<BillingHarness> {
  // Clario's key too: its webhook route opens what the capability sealed.
  const keys = `k1:${randomBytes(32).toString('base64')}`;
  const box = createSecretBox(parseKeys(keys));
  const started: { t?: TestClario } = {};
  const stripe = await startStripeSimulator({
    webhook: { url: () => (started.t ? `${started.t.url}${STRIPE_WEBHOOK_PATH}` : undefined), secret: WEBHOOK_SECRET, retryDelaysMs: [20, 50, 100, 200] },
  });
  // No network retries inside the client: the tests want to see the effects ledger's reconcile.
  const gateway = createStripeGateway({ apiKey: stripe.apiKey, apiBase: stripe.url, webhookSecret: WEBHOOK_SECRET, maxNetworkRetries: 0 });
  const settlement = billingCapability({ gateway, box, feeRateBp: o.feeRateBp ?? 2000, waitForOriginalMs: 50 });
  const t = await startTestClario({
    store: o.store ?? 'pglite',
    capabilities: { ...testCapabilities(), settlement },
    // Clario's own billing routes (the webhook, the statement) on this gateway; the harness closes the simulator.
    stripe: { gateway, description: `the test's Stripe simulator at ${stripe.url}`, close: () => Promise.resolve() },
    env: { WORKFLOW_MAX_ATTEMPTS: '5', CLARIO_ENCRYPTION_KEYS: keys },
  });
  started.t = t;
  return {
    t,
    stripe,
    box,
    async fileClaim(c) {
      await t.clario.database.db.insert(claims).values({
        id: c.claimId, userId: c.userId, type: 'lost_warehouse', status: 'filed', caseId: c.caseId, amountMinor: c.amountMinor, currency: c.currency,
      });
    },
    async payout(p) {
      const res = await t.request('/api/v1/workflow/payout/received', {
        body: {
          user_id: p.userId, claim_id: p.claimId, payout_id: p.payoutId, amount_minor: p.amountMinor, currency: p.currency,
          ...(p.kind ? { kind: p.kind } : {}), ...(p.reverses ? { reverses: p.reverses } : {}),
        },
        headers: { 'idempotency-key': p.key ?? `trigger-${p.payoutId}-${randomBytes(4).toString('hex')}` },
      });
      if (res.status !== 202 && res.status !== 200) throw new Error(`trigger refused: ${res.status} ${JSON.stringify(res.body)}`);
      const eventId = res.body.event_id as string;
      let row: typeof phaseEvents.$inferSelect | undefined;
      await waitFor(async () => {
        [row] = await t.clario.database.db.select().from(phaseEvents).where(eq(phaseEvents.id, eventId));
        return row?.status === 'completed' || row?.status === 'failed';
      }, `phase 7 for ${p.payoutId}`);
      return { eventId, status: row?.status ?? '?', result: row?.result ?? null };
    },
    async close() {
      await stripe.close();
      await t.close();
    },
  };
}
