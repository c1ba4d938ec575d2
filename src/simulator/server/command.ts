/**
 * `clario simulator [--port 3002] [--host 127.0.0.1] [--seller-folder DIR] [--seller-id ID]
 * [--client-id ID --client-secret SECRET] [--no-rate-limits] [--finances-v0-removed]
 * [--no-finances-transactions]`: the bundled Amazon on its own.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SIMULATOR_APPLICATION_ID, startSimulator, type StartedSimulator } from './app.js';
import { startStripeSimulator, type StartedStripeSimulator } from '../stripe/app.js';
import { SIMULATOR_DETAILS, SIMULATOR_OPTIONS, SIMULATOR_STRIPE_KEY, SIMULATOR_STRIPE_WEBHOOK_SECRET, SIMULATOR_SYNOPSIS } from './options.js';

export interface SimulatorIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Resolves when the process should stop (SIGINT/SIGTERM); the command then closes the server. */
  readonly untilStopped?: Promise<unknown>;
  /**
   * Supplies the folder when --seller-folder is not given (the CLI passes the demo seller
   * generator here); without it the option is required.
   */
  readonly defaultSellerFolder?: () => Promise<string>;
}

export { DEMO_SELLER_ID } from './options.js';

const USAGE = `usage: clario simulator ${SIMULATOR_SYNOPSIS}

${SIMULATOR_DETAILS}
`;

/**
 * What each Clario process needs to use this simulator rather than its own: Clario reads the
 * URL settings only when all three credentials are set, and then files by hand (CLAIMS_CHANNEL
 * auto means manual with credentials) unless told the case API is there.
 */
export function clarioEnvironment(url: string, clientId: string, clientSecret: string, stripeUrl: string): string[] {
  return [
    `AMAZON_LWA_CLIENT_ID=${clientId}`,
    `AMAZON_LWA_CLIENT_SECRET=${clientSecret}`,
    `AMAZON_SP_APP_ID=${SIMULATOR_APPLICATION_ID}`,
    `AMAZON_SP_API_URL=${url}`,
    `AMAZON_LWA_TOKEN_URL=${url}/auth/o2/token`,
    `AMAZON_LWA_AUTHORIZE_URL=${url}/ap/oa`,
    `AMAZON_LWA_PROFILE_URL=${url}/user/profile`,
    `AMAZON_CONSENT_URL=${url}`,
    // As fast as the bundled simulator polls: its reports are ready in moments.
    'AMAZON_REPORT_POLL_MS=50',
    'CLAIMS_CHANNEL=simulator',
    // One Stripe for every process: each bundled one knows only the customers it made.
    `STRIPE_API_KEY=${SIMULATOR_STRIPE_KEY}`,
    `STRIPE_API_BASE=${stripeUrl}`,
    `STRIPE_WEBHOOK_SECRET=${SIMULATOR_STRIPE_WEBHOOK_SECRET}`,
  ];
}

/** A bad command line: one line on stderr, exit 2. */
function usageError(io: SimulatorIo, message: string): number {
  io.stderr.write(`clario simulator: ${message.split(/\n|(?<=\.) To specify/)[0] ?? message} (clario simulator --help shows usage)\n`);
  return 2;
}

/** Runs the command; resolves with the exit code once stopped (or at once on a usage error). */
export async function runSimulatorCommand(argv: readonly string[], io: SimulatorIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { ...SIMULATOR_OPTIONS, help: { type: 'boolean', short: 'h', default: false } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return usageError(io, err instanceof Error ? err.message : String(err));
  }
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return usageError(io, `--port must be a port number, got ${JSON.stringify(values.port)}`);
  }
  const stripePort = Number(values['stripe-port']);
  if (!/^\d+$/.test(values['stripe-port']) || stripePort > 65535) {
    return usageError(io, `--stripe-port must be a port number, got ${JSON.stringify(values['stripe-port'])}`);
  }
  const webhookUrl = values['stripe-webhook-url'];
  if (webhookUrl !== undefined && !URL.canParse(webhookUrl)) return usageError(io, `--stripe-webhook-url must be a URL, got ${JSON.stringify(webhookUrl)}`);
  let folder = values['seller-folder'];
  if (!folder && io.defaultSellerFolder) {
    try {
      folder = await io.defaultSellerFolder();
    } catch (err) {
      io.stderr.write(`could not prepare the demo seller: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
  }
  if (!folder || !existsSync(folder) || !statSync(folder).isDirectory()) {
    return usageError(io, folder ? `${folder} is not a folder` : '--seller-folder DIR is required');
  }
  let sim: StartedSimulator;
  let stripe: StartedStripeSimulator;
  try {
    sim = await startSimulator(port, {
      host: values.host,
      sellers: new Map([[values['seller-id'], { folder: resolve(folder) }]]),
      clientId: values['client-id'],
      clientSecret: values['client-secret'],
      rateLimits: !values['no-rate-limits'],
      financesV0Removed: values['finances-v0-removed'],
      financesTransactions: !values['no-finances-transactions'],
    });
  } catch (err) {
    io.stderr.write(`could not start the simulator: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  try {
    stripe = await startStripeSimulator({
      host: values.host,
      port: stripePort,
      apiKey: SIMULATOR_STRIPE_KEY,
      ...(webhookUrl ? { webhook: { url: () => webhookUrl, secret: SIMULATOR_STRIPE_WEBHOOK_SECRET } } : {}),
    });
  } catch (err) {
    await sim.close();
    io.stderr.write(`could not start the Stripe simulator on --stripe-port ${stripePort}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  io.stdout.write(
    [
      `Amazon simulator listening on ${sim.url}`,
      `  seller:        ${values['seller-id']} (${resolve(folder)})`,
      `  consent:       ${sim.url}/apps/authorize/consent?application_id=${SIMULATOR_APPLICATION_ID}&state=STATE&redirect_uri=URL`,
      `  LWA token:     ${sim.url}/auth/o2/token (client id ${values['client-id']})`,
      `  LWA sign-in:   ${sim.url}/ap/oa, profile ${sim.url}/user/profile`,
      `  SP-API base:   ${sim.url}`,
      `  rate limits:   ${values['no-rate-limits'] ? 'off' : "Amazon's default usage plans"}`,
      `  finances:      ${values['no-finances-transactions'] ? 'no 2024-06-19' : '2024-06-19'}, ${values['finances-v0-removed'] ? 'v0 removed' : 'v0'}`,
      `Stripe simulator listening on ${stripe.url}`,
      `  webhooks:      ${webhookUrl ? `to ${webhookUrl}` : 'none (--stripe-webhook-url: Clario\'s URL + /api/v1/billing/stripe/webhook)'}`,
      '',
      'Give every Clario process (serve, worker) this environment to use this simulator:',
      ...clarioEnvironment(sim.url, values['client-id'], values['client-secret'], stripe.url).map((line) => `  ${line}`),
      '',
    ].join('\n'),
  );
  await (io.untilStopped ?? new Promise<never>(() => {}));
  await Promise.all([sim.close(), stripe.close()]);
  return 0;
}
