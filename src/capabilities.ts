// The capabilities of every phase, and what they run against: real Amazon and Stripe when their
// credentials are configured, otherwise the bundled simulators (a demo seller, a test card),
// started in-process on loopback.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { LwaClient } from './amazon/lwa.js';
import { SELLER_CENTRAL_URLS, SP_API_ENDPOINTS } from './amazon/endpoints.js';
import { RateLimiter } from './amazon/rate-limit.js';
import { systemClock } from './amazon/clock.js';
import type { Config } from './config/config.js';
import type { Secrets } from './config/secrets.js';
import { readFile } from 'node:fs/promises';
import { connectRoutes } from './connect/routes.js';
import { setupBilling } from './billing/setup.js';
import { storeCosts } from './sync/seller-files.js';
import { detectionCapability, lastCompleteDay } from './discovery/detect-claims.js';
import { evidenceCapabilities } from './evidence/capability.js';
import type { Auth, Principal } from './http/auth.js';
import { createSecretBox, parseKeys } from './security/secret-box.js';
import { startDemoAmazon } from './simulator/demo.js';
import type { Database } from './store/db.js';
import { syncCapability } from './sync/capability.js';
import { learningCapability } from './learning/capability.js';
import { recordPayout } from './proof/after-payout.js';
import { learnedRates } from './learning/learned-rates.js';
import type { Capabilities } from './workflow/capabilities.js';
import { channelKind, simulatorChannel, type ClaimsChannel } from './filing/channel.js';
import { payoutsCapability } from './payouts/capability.js';
import type { Engine } from './workflow/engine.js';
import type { Log } from './workflow/log.js';

export interface CapabilitySetup {
  readonly capabilities: Capabilities;
  /** Routes the capabilities bring (connect, evidence and prompts, billing), given the engine once it exists. */
  readonly routes: (engine: Engine, auth: Auth) => (app: FastifyInstance, principal: (r: unknown) => Principal) => void | Promise<void>;
  /** Where fees are charged: Stripe, or the bundled Stripe simulator. */
  readonly stripe: string;
  /** Where Amazon (or the simulator) is, for the start-up banner. */
  readonly amazon: string;
  /** The bundled simulator's base URL when Amazon is simulated (its case API decides cases there). */
  readonly simulatorUrl: string | undefined;
  /** Where cases are filed: the simulator's case API, or prepared for the seller (manual). */
  readonly claimsChannel: ClaimsChannel;
  /**
   * Calls `listener` when the bundled Amazon decides a case (never for real Amazon, which is
   * polled), so the payout monitor looks at once; returns the unsubscribe.
   */
  onCaseDecided(listener: () => void): () => void;
  close(): Promise<void>;
}


/** Amazon takes minutes over a report (the client's defaults then); the simulator, moments. */
function pollOptions(firstMs: number | undefined) {
  return firstMs === undefined ? undefined : { initialIntervalMs: firstMs, maxIntervalMs: firstMs * 12 };
}

export async function setupCapabilities(o: {
  config: Config;
  database: Database;
  secrets: Secrets;
  log: Log;
  publicUrl: () => string;
}): Promise<CapabilitySetup> {
  const { config } = o;
  const box = createSecretBox(parseKeys(o.secrets.encryptionKeys));
  let lwa: LwaClient;
  let spApiUrl: string;
  let applicationId: string;
  let amazon: string;
  let simulatorUrl: string | undefined;
  let close = () => Promise.resolve();
  const decided = new Set<() => void>();
  let afterConnect: ((userId: string, partner: string) => Promise<void>) | undefined;
  const creds = config.amazon.credentials;
  if (creds) {
    const { urls, region } = config.amazon;
    lwa = new LwaClient({
      clientId: creds.clientId,
      clientSecret: creds.clientSecret,
      timeoutMs: config.providerTimeoutMs,
      consentBaseUrl: urls.consent ?? SELLER_CENTRAL_URLS[region],
      ...(urls.lwaAuthorize ? { authorizeUrl: urls.lwaAuthorize } : {}),
      ...(urls.lwaProfile ? { profileUrl: urls.lwaProfile } : {}),
      ...(urls.lwaToken ? { tokenUrl: urls.lwaToken } : {}),
    });
    spApiUrl = urls.spApi ?? SP_API_ENDPOINTS[region];
    applicationId = creds.appId;
    amazon = urls.spApi ? `SP-API at ${urls.spApi}` : `Amazon SP-API (${region})`;
  } else {
    const clientId = 'amzn1.application-oa2-client.clario-local';
    const clientSecret = randomBytes(24).toString('base64url');
    const demo = await startDemoAmazon({ dataDir: config.dataDir, clientId, clientSecret, asOf: lastCompleteDay(), log: o.log, decideAfterMs: config.amazon.simulatorDecidesAfterMs, onDecision: () => decided.forEach((l) => l()) });
    lwa = new LwaClient({
      clientId,
      clientSecret,
      timeoutMs: config.providerTimeoutMs,
      tokenUrl: `${demo.url}/auth/o2/token`,
      consentBaseUrl: demo.url,
      authorizeUrl: `${demo.url}/ap/oa`,
      profileUrl: `${demo.url}/user/profile`,
    });
    spApiUrl = demo.url;
    applicationId = 'amzn1.sp.solution.clario-local';
    amazon = `the bundled Amazon simulator at ${demo.url} (demo seller ${demo.sellingPartnerId})`;
    simulatorUrl = demo.url;
    close = () => demo.close();
    // The demo seller's unit costs come with it, as a real seller would upload theirs.
    afterConnect = async (userId, partner) => {
      if (partner === demo.sellingPartnerId) await storeCosts(o.database.db, userId, await readFile(demo.costsFile, 'utf8'));
    };
  }
  const limiter = new RateLimiter(systemClock);
  // After the fee is posted, in the same commit: the approval teaches the learning model and the
  // proof packet (which shows that fee) is rendered and stored.
  const billing = await setupBilling({
    config: config.billing,
    timeoutMs: config.providerTimeoutMs,
    box,
    db: () => o.database.db,
    log: o.log,
    publicUrl: o.publicUrl,
    afterSettle: async (tx, s) => {
      await recordPayout(tx, { claim: s.claim, caseId: s.caseId, payoutId: s.payoutId });
    },
  }).catch(async (err: unknown) => {
    await close();
    throw err;
  });
  const closeAmazon = close;
  close = async () => {
    await billing.close();
    await closeAmazon();
  };
  const evidence = evidenceCapabilities({ database: o.database, config, learned: learnedRates });
  const capabilities: Capabilities = {
    sync: syncCapability({ database: o.database, box, lwa, spApiUrl, limiter, timeoutMs: config.providerTimeoutMs, reportPoll: pollOptions(config.amazon.reportPollMs ?? (creds ? undefined : 50)) }),
    detection: detectionCapability({ db: o.database.db, asOf: lastCompleteDay }),
    learning: learningCapability(),
    settlement: billing.settlement,
    payouts: payoutsCapability(),
    evidence: evidence.evidence,
    routing: evidence.routing,
  };
  const claimsChannel: ClaimsChannel =
    channelKind(config.filing.channel, !creds) === 'simulator' ? simulatorChannel({ db: o.database.db, box, lwa, spApiUrl, timeoutMs: config.providerTimeoutMs }) : { kind: 'manual' };
  return {
    capabilities,
    amazon,
    simulatorUrl,
    stripe: billing.stripe,
    claimsChannel,
    onCaseDecided(listener) {
      decided.add(listener);
      return () => decided.delete(listener);
    },
    routes: (engine, auth) => async (app, principalOf) => {
      await evidence.routes(() => void engine.drainOutbox())(app, principalOf);
      connectRoutes({
        database: o.database,
        engine,
        auth,
        box,
        lwa,
        applicationId,
        beta: !creds,
        region: config.amazon.region,
        marketplaceIds: config.amazon.marketplaceIds,
        publicUrl: o.publicUrl,
        afterConnect,
      })(app, principalOf);
      return billing.routes(app, principalOf);
    },
    close,
  };
}
