// What the sync, the connect flow and filing talk to: real Amazon when LWA credentials are
// configured, otherwise the bundled Amazon simulator (a demo seller, its own Amazon deciding
// cases) started in-process on loopback.
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/config.js';
import { startDemoAmazon } from '../simulator/demo.js';
import type { SimulatorLog } from '../simulator/host-log.js';
import type { UsagePlanOverrides } from '../simulator/server/index.js';
import { SELLER_CENTRAL_URLS, SP_API_ENDPOINTS } from './endpoints.js';
import { LwaClient } from './lwa.js';

export interface ReachedAmazon {
  readonly lwa: LwaClient;
  readonly spApiUrl: string;
  readonly applicationId: string;
  /** Where Amazon (or the simulator) is, for the start-up banner. */
  readonly description: string;
  /** The bundled simulator: its URL (its case API decides cases there) and its demo seller. */
  readonly simulator: { readonly url: string; readonly sellingPartnerId: string; readonly costsFile: string } | undefined;
  /**
   * Calls `listener` when the bundled Amazon decides a case (never for real Amazon, which is
   * polled), so the payout loop looks at once; returns the unsubscribe.
   */
  onCaseDecided(listener: () => void): () => void;
  close(): Promise<void>;
}

export async function reachAmazon(options: {
  config: Config;
  log: SimulatorLog;
  asOf: string;
  /** The bundled simulator's usage plans where they differ from Amazon's defaults. */
  simulatorUsagePlans?: UsagePlanOverrides;
}): Promise<ReachedAmazon> {
  const { config } = options;
  const creds = config.amazon.credentials;
  if (creds) {
    const { urls, region } = config.amazon;
    const lwa = new LwaClient({
      clientId: creds.clientId,
      clientSecret: creds.clientSecret,
      timeoutMs: config.providerTimeoutMs,
      consentBaseUrl: urls.consent ?? SELLER_CENTRAL_URLS[region],
      ...(urls.lwaAuthorize ? { authorizeUrl: urls.lwaAuthorize } : {}),
      ...(urls.lwaProfile ? { profileUrl: urls.lwaProfile } : {}),
      ...(urls.lwaToken ? { tokenUrl: urls.lwaToken } : {}),
    });
    return {
      lwa,
      spApiUrl: urls.spApi ?? SP_API_ENDPOINTS[region],
      applicationId: creds.appId,
      description: urls.spApi ? `SP-API at ${urls.spApi}` : `Amazon SP-API (${region})`,
      simulator: undefined,
      onCaseDecided: () => () => undefined,
      close: () => Promise.resolve(),
    };
  }
  const clientId = 'amzn1.application-oa2-client.clario-local';
  const clientSecret = randomBytes(24).toString('base64url');
  const decided = new Set<() => void>();
  const demo = await startDemoAmazon({
    dataDir: config.dataDir,
    clientId,
    clientSecret,
    asOf: options.asOf,
    log: options.log,
    decideAfterMs: config.amazon.simulatorDecidesAfterMs,
    onDecision: () => decided.forEach((l) => l()),
    ...(options.simulatorUsagePlans ? { usagePlans: options.simulatorUsagePlans } : {}),
  });
  return {
    lwa: new LwaClient({
      clientId,
      clientSecret,
      timeoutMs: config.providerTimeoutMs,
      tokenUrl: `${demo.url}/auth/o2/token`,
      consentBaseUrl: demo.url,
      authorizeUrl: `${demo.url}/ap/oa`,
      profileUrl: `${demo.url}/user/profile`,
    }),
    spApiUrl: demo.url,
    applicationId: 'amzn1.sp.solution.clario-local',
    description: `the bundled Amazon simulator at ${demo.url} (demo seller ${demo.sellingPartnerId})`,
    simulator: { url: demo.url, sellingPartnerId: demo.sellingPartnerId, costsFile: demo.costsFile },
    onCaseDecided(listener) {
      decided.add(listener);
      return () => decided.delete(listener);
    },
    close: () => demo.close(),
  };
}
