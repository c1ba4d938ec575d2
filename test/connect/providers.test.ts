// Connect, sign-in and billing routes are Clario's whatever a test injects: without Amazon or
// Stripe they answer 503 naming what is missing (not a confusing 404), and with the Amazon and
// Stripe a test brings (here the bundled simulators) they work.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reachAmazon, type ReachedAmazon } from '../../src/amazon/reach-amazon.js';
import { STRIPE_WEBHOOK_PATH } from '../../src/billing/routes.js';
import { setupStripe, type ReachedStripe } from '../../src/billing/setup.js';
import { loadConfig } from '../../src/config/config.js';
import { rows } from '../../src/store/db.js';
import { silentLog } from '../../src/workflow/log.js';
import { testCapabilities } from '../support/capabilities.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { SellerBrowser } from '../support/seller-browser.js';

const AMAZON_ROUTES = ['/signin/amazon', '/signin/amazon/callback?state=s&code=c', '/connect', '/connect/callback?state=s&selling_partner_id=A1B2C3D4E5&spapi_oauth_code=x'];

describe('a Clario given its own capabilities and neither Amazon nor Stripe', () => {
  let t: TestClario;
  beforeAll(async () => {
    t = await startTestClario({ capabilities: testCapabilities() });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers the sign-in and connect routes 503, naming the Amazon settings', async () => {
    for (const path of AMAZON_ROUTES) {
      const r = await fetch(`${t.url}${path}`, { redirect: 'manual' });
      expect(r.status, path).toBe(503);
      const body = (await r.json()) as { error: { code: string; message: string } };
      expect(body.error.code, path).toBe('unavailable');
      expect(body.error.message, path).toMatch(/AMAZON_LWA_CLIENT_ID/);
    }
  });

  it("answers Stripe's webhook 503 naming STRIPE_API_KEY, and still serves the statement and the ledger check", async () => {
    const hook = await t.request(STRIPE_WEBHOOK_PATH, { token: null, body: '{}', headers: { 'stripe-signature': 't=1,v1=x' } });
    expect(hook.status).toBe(503);
    expect(hook.body.error.message).toMatch(/STRIPE_API_KEY/);
    expect((await t.request('/api/v1/sellers/alice/statement')).status).toBe(200);
    expect((await t.request('/api/v1/ops/ledger/check')).body).toMatchObject({ balanced: true });
  });
});

describe('a Clario given its own capabilities and the Amazon and Stripe a test brings', () => {
  let t: TestClario;
  let amazon: ReachedAmazon;
  let stripe: ReachedStripe;
  const dataDir = mkdtempSync(join(tmpdir(), 'clario-providers-'));
  // The bundled simulators, reached as an unconfigured process would, but owned by the test.
  const config = loadConfig({ CLARIO_DATA_DIR: dataDir, AMAZON_SIMULATOR_DECIDES_AFTER_MS: '0' });
  beforeAll(async () => {
    amazon = await reachAmazon({ config, log: silentLog, asOf: '2026-01-31' });
    stripe = await setupStripe({ config: config.billing, log: silentLog, publicUrl: () => t.url });
    t = await startTestClario({ capabilities: testCapabilities(), amazon, stripe });
  });
  afterAll(async () => {
    await t?.close();
    await amazon?.close();
    await stripe?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs a seller in and connects the demo seller through the injected Amazon', async () => {
    const browser = new SellerBrowser(t.url);
    const userId = await browser.signIn();
    await browser.connect();
    const [linked] = await rows<{ user_id: string }>(t.clario.database.db, sql`SELECT user_id FROM amazon_connections WHERE selling_partner_id = ${amazon.simulator?.sellingPartnerId ?? ''}`);
    expect(linked?.user_id).toBe(userId);
    // Connecting started phase 1 (the test's own sync capability).
    const [run] = await rows<{ n: number }>(t.clario.database.db, sql`SELECT count(*)::int AS n FROM phase_events WHERE phase = 1 AND user_id = ${userId}`);
    expect(run?.n).toBe(1);
    expect(t.clario.amazon).toBe(amazon.description);
  });

  it("the demo's Amazon still honours that connection after a restart (the grant is kept in the data folder)", async () => {
    // Before, a restart of the embedded service forgot the grant, and the demo seller's next sync
    // parked with reconnect_required.
    const file = join(dataDir, 'simulator', 'state.json');
    const kept = JSON.parse(readFileSync(file, 'utf8')) as { state: { refreshTokens: Array<[string, string]> } };
    const granted = kept.state.refreshTokens.filter(([, seller]) => seller === amazon.simulator?.sellingPartnerId);
    expect(granted).toHaveLength(1);
    await amazon.close();
    amazon = await reachAmazon({ config, log: silentLog, asOf: '2026-01-31' });
    expect((await amazon.lwa.refresh(granted[0]![0])).accessToken).toMatch(/^Atza\|/);
  });

  it("checks Stripe's webhook signature with the injected gateway", async () => {
    const hook = await t.request(STRIPE_WEBHOOK_PATH, { token: null, body: '{}', headers: { 'stripe-signature': 't=1,v1=x' } });
    expect(hook.status).toBe(400);
    expect(hook.body.error.code).toBe('invalid_signature');
    expect(t.clario.stripe).toBe(stripe.description);
  });
});
