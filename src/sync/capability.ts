// Phase 1's capability: sync the seller's Amazon data. A grant Amazon no longer honours parks the
// workflow with a clear "reconnect" status rather than retrying for ever.
import { InvalidGrantError } from '../amazon/errors.js';
import type { LwaClient } from '../amazon/lwa.js';
import { createSpApiClient } from '../amazon/sp-api.js';
import type { RateLimiter } from '../amazon/rate-limit.js';
import type { PollOptions } from '../amazon/reports.js';
import { findConnection, refreshTokenOf, requireReconnect } from '../connect/connections.js';
import { NonRetryableError } from '../domain/errors.js';
import type { SecretBox } from '../security/secret-box.js';
import type { Database } from '../store/db.js';
import type { Capabilities } from '../workflow/capabilities.js';
import { syncSeller } from './sync-seller.js';

export interface SyncDeps {
  readonly database: Database;
  readonly box: SecretBox;
  readonly lwa: LwaClient;
  readonly spApiUrl: string;
  readonly limiter: RateLimiter;
  /** The bound on one SP-API exchange. */
  readonly timeoutMs?: number;
  readonly reportPoll?: PollOptions | undefined;
  readonly now?: () => Date;
}

export function syncCapability(deps: SyncDeps): Capabilities['sync'] {
  return {
    async start(ctx, run) {
      const connection = await findConnection(deps.database.db, run.userId);
      if (!connection) throw new NonRetryableError(`user ${run.userId} has not connected an Amazon account`, 'not_connected');
      if (connection.status === 'reconnect_required') {
        throw new NonRetryableError('Amazon no longer accepts this seller\'s authorization: connect again at /connect', 'reconnect_required');
      }
      const refreshToken = await refreshTokenOf(deps.database.db, deps.box, run.userId);
      if (!refreshToken) throw new NonRetryableError('no refresh token stored', 'not_connected');
      const client = createSpApiClient({
        baseUrl: deps.spApiUrl,
        sellerId: connection.sellingPartnerId,
        accessToken: deps.lwa.tokenSource(refreshToken),
        limiter: deps.limiter,
        // The attempt's signal: a lost lease or a timed-out attempt cancels the request in flight.
        signal: ctx.signal,
        ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
      });
      try {
        const summary = await syncSeller(run.userId, run.syncId, {
          db: deps.database.db,
          client,
          marketplaceIds: connection.marketplaceIds,
          now: deps.now?.() ?? new Date(),
          signal: ctx.signal,
          progress: (p) => ctx.reportProgress(p),
          ...(deps.reportPoll ? { reportPoll: deps.reportPoll } : {}),
        });
        return { completed: true, data: { sources: summary.sources, rows: summary.rows, new_rows: summary.newRows } };
      } catch (err) {
        if (err instanceof InvalidGrantError) {
          const error = { code: 'reconnect_required', message: 'Amazon refused the stored authorization; the seller must connect again' };
          await requireReconnect(deps.database.db, run.userId, error);
          throw new NonRetryableError(error.message, 'reconnect_required');
        }
        throw err;
      }
    },
  };
}
