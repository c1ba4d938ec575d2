// Billing as the composition root wires it: Stripe when a key is configured (STRIPE_API_BASE may
// point elsewhere), otherwise the bundled Stripe simulator on a loopback port, which sends its
// signed webhooks back to this service, so the embedded default charges fees with no account.
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/config.js';
import type { SecretBox } from '../security/secret-box.js';
import { startStripeSimulator } from '../simulator/stripe/app.js';
import type { Db } from '../store/db.js';
import type { Capabilities } from '../workflow/capabilities.js';
import type { Log } from '../workflow/log.js';
import { billingCapability } from './capability.js';
import { billingRoutes, STRIPE_WEBHOOK_PATH } from './routes.js';
import { createStripeGateway } from './stripe-gateway.js';

export interface BillingSetup {
  readonly settlement: Capabilities['settlement'];
  readonly routes: ReturnType<typeof billingRoutes>;
  /** Where fees are charged, for the start-up banner. */
  readonly stripe: string;
  close(): Promise<void>;
}

export async function setupBilling(options: {
  config: Config['billing'];
  /** The bound on one Stripe request. */
  timeoutMs?: number;
  box: SecretBox;
  db: () => Db;
  log: Log;
  publicUrl: () => string;
}): Promise<BillingSetup> {
  let gatewayOptions: Parameters<typeof createStripeGateway>[0];
  let stripe: string;
  let close = () => Promise.resolve();
  if (options.config.stripe) {
    gatewayOptions = options.config.stripe;
    stripe = options.config.stripe.apiBase ? `Stripe API at ${options.config.stripe.apiBase}` : 'Stripe';
    if (!options.config.stripe.webhookSecret) options.log.warn({}, 'STRIPE_WEBHOOK_SECRET is not set: Stripe webhooks will be refused');
  } else {
    const webhookSecret = `whsec_${randomBytes(24).toString('base64url')}`;
    const sim = await startStripeSimulator({ webhook: { url: () => `${options.publicUrl()}${STRIPE_WEBHOOK_PATH}`, secret: webhookSecret } });
    gatewayOptions = { apiKey: sim.apiKey, apiBase: sim.url, webhookSecret };
    stripe = `the bundled Stripe simulator at ${sim.url}`;
    close = () => sim.close();
  }
  const gateway = createStripeGateway({ ...gatewayOptions, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) });
  return {
    settlement: billingCapability({ gateway, box: options.box, feeRateBp: options.config.feeRateBp }),
    routes: billingRoutes({ db: options.db, box: options.box, gateway, log: options.log }),
    stripe,
    close,
  };
}
