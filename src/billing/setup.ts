// Stripe as the composition root reaches it: Stripe when a key is configured (STRIPE_API_BASE may
// point elsewhere), otherwise the bundled Stripe simulator on a loopback port, which sends its
// signed webhooks back to this service, so the embedded default charges fees with no account.
// Billing's capability and routes are built on the gateway by the composition root, which a test
// can hand a gateway of its own instead.
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/config.js';
import { startStripeSimulator } from '../simulator/stripe/app.js';
import type { Log } from '../workflow/log.js';
import { STRIPE_WEBHOOK_PATH } from './routes.js';
import { createStripeGateway, type FeeGateway } from './stripe-gateway.js';

export interface ReachedStripe {
  readonly gateway: FeeGateway;
  /** Where fees are charged, for the start-up banner. */
  readonly description: string;
  close(): Promise<void>;
}

export async function setupStripe(options: {
  config: Config['billing'];
  /** The bound on one Stripe request. */
  timeoutMs?: number;
  log: Log;
  publicUrl: () => string;
}): Promise<ReachedStripe> {
  let gatewayOptions: Parameters<typeof createStripeGateway>[0];
  let description: string;
  let close = () => Promise.resolve();
  if (options.config.stripe) {
    gatewayOptions = options.config.stripe;
    description = options.config.stripe.apiBase ? `Stripe API at ${options.config.stripe.apiBase}` : 'Stripe';
    if (!options.config.stripe.webhookSecret) options.log.warn({}, 'STRIPE_WEBHOOK_SECRET is not set: Stripe webhooks will be refused');
  } else {
    const webhookSecret = `whsec_${randomBytes(24).toString('base64url')}`;
    const sim = await startStripeSimulator({ webhook: { url: () => `${options.publicUrl()}${STRIPE_WEBHOOK_PATH}`, secret: webhookSecret } });
    gatewayOptions = { apiKey: sim.apiKey, apiBase: sim.url, webhookSecret };
    description = `the bundled Stripe simulator at ${sim.url}`;
    close = () => sim.close();
  }
  const gateway = createStripeGateway({ ...gatewayOptions, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) });
  return { gateway, description, close };
}
