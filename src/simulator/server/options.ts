// `clario simulator`'s options, apart from the server so the CLI's table can list them cheaply.
import type { ParseArgsConfig } from 'node:util';

export const SIMULATOR_CLIENT_ID = 'amzn1.application-oa2-client.clario-simulator';
export const SIMULATOR_CLIENT_SECRET = 'clario-simulator-secret';
export const SIMULATOR_APPLICATION_ID = 'amzn1.sp.solution.clario-simulator';

/** The standalone Stripe simulator's secret key and webhook signing secret (a trial's, like the client secret above). */
export const SIMULATOR_STRIPE_KEY = 'sk_test_clario_simulator';
export const SIMULATOR_STRIPE_WEBHOOK_SECRET = 'whsec_clario_simulator';

/** The demo seller's selling_partner_id when none is given. */
export const DEMO_SELLER_ID = 'A1CLARIODEMO01';

export const SIMULATOR_OPTIONS = {
  port: { type: 'string', default: '3002' },
  host: { type: 'string', default: '127.0.0.1' },
  'seller-folder': { type: 'string' },
  'seller-id': { type: 'string', default: DEMO_SELLER_ID },
  'client-id': { type: 'string', default: SIMULATOR_CLIENT_ID },
  'client-secret': { type: 'string', default: SIMULATOR_CLIENT_SECRET },
  'no-rate-limits': { type: 'boolean', default: false },
  'finances-v0-removed': { type: 'boolean', default: false },
  'no-finances-transactions': { type: 'boolean', default: false },
  'stripe-port': { type: 'string', default: '3003' },
  'stripe-webhook-url': { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** The usage line after `clario simulator`: every option, so `clario --help` lists them all. */
export const SIMULATOR_SYNOPSIS =
  '[--port 3002] [--host 127.0.0.1] [--seller-folder DIR] [--seller-id ID] [--client-id ID] [--client-secret SECRET] [--no-rate-limits] [--finances-v0-removed] [--no-finances-transactions] [--stripe-port 3003] [--stripe-webhook-url URL]';

export const SIMULATOR_DETAILS = `Serves Login with Amazon, SP-API Reports/Finances/Inbound and a case API over the seller
folder DIR (the files listed in docs/detection.md; by default, the generated demo seller in
CLARIO_DATA_DIR). --finances-v0-removed answers Finances v0 as a removed version (403);
--no-finances-transactions serves no Finances 2024-06-19 (404), to try Clario's fallback to v0.
It also serves a Stripe simulator on --stripe-port, so several Clario processes charge fees at one
Stripe (each process's own bundled one knows only its own customers); with --stripe-webhook-url
(Clario's URL + /api/v1/billing/stripe/webhook) it sends Stripe's signed webhooks there.
Exit codes: 0 stopped, 1 could not start, 2 bad usage.`;
