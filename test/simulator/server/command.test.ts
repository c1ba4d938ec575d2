import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { clarioEnvironment, runSimulatorCommand, SIMULATOR_CLIENT_ID, SIMULATOR_CLIENT_SECRET } from '../../../src/simulator/server/index.js';
import { createStripeGateway } from '../../../src/billing/stripe-gateway.js';
import { money } from '../../../src/domain/money.js';
import { FIXTURE } from './harness.js';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

/** `clario simulator` on free ports, stopped by `stop()`; its output, the environment it printed, and its exit. */
async function started() {
  const out = capture();
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const exit = runSimulatorCommand(['--port', '0', '--stripe-port', '0', '--seller-folder', FIXTURE], { stdout: out.stream, stderr: capture().stream, untilStopped: stopped });
  // The environment is the banner's last part: once it is there, everything is listening.
  await vi.waitFor(() => expect(out.text()).toContain('STRIPE_WEBHOOK_SECRET'), { timeout: 60_000 });
  const env = Object.fromEntries([...out.text().matchAll(/^ {2}([A-Z_]+)=(\S+)$/gm)].map((m) => [m[1], m[2]]));
  return { out, env, stop, exit };
}

describe('clario simulator', () => {
  it('serves the seller folder until stopped, and prints where', async () => {
    const { out, stop, exit } = await started();
    expect(out.text()).toContain('listening on');
    const url = /listening on (\S+)/.exec(out.text())?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/auth/o2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x', client_id: 'nope', client_secret: 'nope' }) });
    expect(res.status).toBe(401);
    stop();
    expect(await exit).toBe(0);
  });

  it("prints the environment Clario processes need to use it, with credentials it accepts", async () => {
    const { out, env, stop, exit } = await started();
    expect(out.text()).toContain('CLAIMS_CHANNEL');
    const url = /listening on (\S+)/.exec(out.text())?.[1] ?? '';
    // Clario reads the URLs only with all three credentials, and files by hand unless told otherwise.
    expect(env).toMatchObject({ AMAZON_SP_APP_ID: expect.any(String), AMAZON_SP_API_URL: url, AMAZON_CONSENT_URL: url, CLAIMS_CHANNEL: 'simulator' });
    const token = await fetch(env.AMAZON_LWA_TOKEN_URL ?? '', {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'unknown', client_id: env.AMAZON_LWA_CLIENT_ID ?? '', client_secret: env.AMAZON_LWA_CLIENT_SECRET ?? '' }),
    });
    // The client is known; only the made-up refresh token is refused.
    expect(token.status).toBe(400);
    expect(((await token.json()) as { error: string }).error).toBe('invalid_grant');
    expect((await fetch(`${env.AMAZON_LWA_AUTHORIZE_URL ?? ''}?client_id=${env.AMAZON_LWA_CLIENT_ID ?? ''}&response_type=code&scope=profile&state=s&redirect_uri=http://127.0.0.1/cb`)).status).toBe(200);
    // The README shows the same lines for the default port.
    const readme = readFileSync('README.md', 'utf8');
    for (const line of clarioEnvironment('http://127.0.0.1:3002', SIMULATOR_CLIENT_ID, SIMULATOR_CLIENT_SECRET, 'http://127.0.0.1:3003')) expect(readme).toContain(`export ${line}\n`);
    stop();
    expect(await exit).toBe(0);
  });

  it('serves one Stripe for every process: a customer one process made, another charges', async () => {
    const { out, env, stop, exit } = await started();
    expect(out.text()).toContain('STRIPE_WEBHOOK_SECRET');
    // Two gateways, as two worker processes build them from the same environment.
    const gateway = () => createStripeGateway({ apiKey: env.STRIPE_API_KEY ?? '', apiBase: env.STRIPE_API_BASE, webhookSecret: env.STRIPE_WEBHOOK_SECRET });
    const customer = await gateway().createCustomer('seller-1', 'cus-seller-1');
    const charged = await gateway().chargeFee({ customerId: customer, userId: 'seller-1', claimId: 'clm-1', payoutId: 'p-1', fee: money(232, 'USD'), idempotencyKey: 'fee:p-1' });
    expect(charged).toMatchObject({ status: 'succeeded' });
    stop();
    expect(await exit).toBe(0);
  });

  it('exits 2 without a seller folder', async () => {
    const out = capture();
    const err = capture();
    expect(await runSimulatorCommand(['--port', '0'], { stdout: out.stream, stderr: err.stream })).toBe(2);
    expect(err.text()).toContain('--seller-folder');
  });
});
