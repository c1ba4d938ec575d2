// Where a case goes. SP-API cannot open a reimbursement case (AMAZON.md §0), so: the simulator's
// case API when Amazon is the bundled simulator, else the manual channel, which prepares the
// case for the seller to file in Seller Central and record the case id back.
import { findConnection, refreshTokenOf } from '../connect/connections.js';
import type { LwaClient } from '../amazon/lwa.js';
import { NonRetryableError } from '../domain/errors.js';
import type { SecretBox } from '../security/secret-box.js';
import type { Db } from '../store/db.js';
import { createCaseApi, type CaseApi } from './case-api.js';

export type ClaimsChannel =
  | {
      readonly kind: 'simulator';
      /** The seller's case API; `signal` (a stopping loop's) cancels its calls in flight. */
      caseApi(userId: string, signal?: AbortSignal): Promise<CaseApi>;
    }
  | { readonly kind: 'manual' };

export type ChannelSetting = 'auto' | 'simulator' | 'manual';

export function channelKind(setting: ChannelSetting, bundledSimulator: boolean): 'simulator' | 'manual' {
  return setting === 'auto' ? (bundledSimulator ? 'simulator' : 'manual') : setting;
}

/** The case API at the SP-API base URL, called with the seller's own access token. */
export function simulatorChannel(deps: { db: Db; box: SecretBox; lwa: LwaClient; spApiUrl: string; timeoutMs?: number; fetch?: typeof fetch }): ClaimsChannel {
  return {
    kind: 'simulator',
    async caseApi(userId, signal) {
      const connection = await findConnection(deps.db, userId);
      if (!connection || connection.status !== 'connected') throw new NonRetryableError(`user ${userId} has no working Amazon connection`, 'not_connected');
      const refreshToken = await refreshTokenOf(deps.db, deps.box, userId);
      if (!refreshToken) throw new NonRetryableError(`user ${userId} has no refresh token stored`, 'not_connected');
      return createCaseApi({
        baseUrl: deps.spApiUrl,
        accessToken: deps.lwa.tokenSource(refreshToken),
        ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
        ...(signal ? { signal } : {}),
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
      });
    },
  };
}
