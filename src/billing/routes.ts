// Billing's HTTP: the Stripe webhook (authenticated by Stripe's signature, not a token), the
// seller's statement, and the ledger check for operators.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireService, requireSubject, type Principal } from '../http/auth.js';
import { errorBody } from '../http/errors.js';
import { ErrorBody, Id } from '../http/schemas.js';
import type { SecretBox } from '../security/secret-box.js';
import type { Db } from '../store/db.js';
import type { Log } from '../workflow/log.js';
import { ledgerImbalances, ledgerSize } from './ledger-store.js';
import { sellerStatement, statementCsv } from './statement.js';
import { WebhookNotConfiguredError, type FeeGateway } from './stripe-gateway.js';
import { handleStripeEvent } from './webhook.js';

export interface BillingRouteDeps {
  /** The database, once it exists (routes are registered before the service is built). */
  readonly db: () => Db;
  readonly box: SecretBox;
  /** Stripe (or its simulator); absent in a process given no Stripe, where the webhook answers 503. */
  readonly gateway: FeeGateway | undefined;
  readonly log: Log;
}

export const STRIPE_WEBHOOK_PATH = '/api/v1/billing/stripe/webhook';

/** The webhook's answer (503) in a process started without Stripe. */
export const STRIPE_NOT_SET_UP = 'Stripe is not set up in this process (no STRIPE_API_KEY, and no Stripe gateway was given to it)';

export function billingRoutes(deps: BillingRouteDeps) {
  return async (app: FastifyInstance, principal: (r: unknown) => Principal): Promise<void> => {
    // The signature covers the exact bytes Stripe sent: this route alone keeps its body raw.
    await app.register((scope, _options, done) => {
      scope.removeContentTypeParser('application/json');
      scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
      scope.post(
        STRIPE_WEBHOOK_PATH,
        { config: { public: true, rateLimit: { max: 6000, timeWindow: '1 minute' } }, schema: { operationId: 'receiveStripeWebhook', summary: 'Stripe webhooks (signed by Stripe)', description: 'Stripe\'s event callbacks (payments, refunds). Proves itself with the Stripe-Signature header over the raw body, not a token; each event takes effect once. 503 when this process has no Stripe or no webhook secret.', tags: ['billing'], response: { 400: ErrorBody, 503: ErrorBody } } },
        async (request, reply) => {
          const gateway = deps.gateway;
          if (!gateway) return reply.status(503).send(errorBody('unavailable', STRIPE_NOT_SET_UP));
          const signature = request.headers['stripe-signature'];
          if (typeof signature !== 'string' || !Buffer.isBuffer(request.body)) {
            return reply.status(400).send(errorBody('invalid_signature', 'send the Stripe-Signature header and the JSON body Stripe signed'));
          }
          let event;
          try {
            event = gateway.verifyWebhook(request.body, signature);
          } catch (err) {
            if (err instanceof WebhookNotConfiguredError) return reply.status(503).send(errorBody('unavailable', 'Stripe webhooks are not configured: set STRIPE_WEBHOOK_SECRET'));
            return reply.status(400).send(errorBody('invalid_signature', 'the Stripe signature does not match, or is too old'));
          }
          const outcome = await handleStripeEvent(deps.db(), deps.box, event);
          deps.log.info({ stripeEvent: event.id, type: event.type, outcome }, 'stripe webhook');
          return reply.send({ received: true, outcome });
        },
      );
      done();
    });

    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get(
      '/api/v1/sellers/:user_id/statement',
      {
        schema: {
          operationId: 'getSellerStatement', summary: "A seller's statement: recovered, pending, fees charged and refunded, per month and currency", description: 'A seller\'s statement: money recovered and pending, fees charged and refunded, per month and currency, in integer minor units. A seller reads their own.',
          tags: ['billing'],
          params: z.object({ user_id: Id }),
          querystring: z.object({ format: z.enum(['json', 'csv']).default('json') }),
        },
      },
      async (request, reply) => {
        requireSubject(principal(request), request.params.user_id);
        const statement = await sellerStatement(deps.db(), request.params.user_id);
        if (request.query.format === 'csv') {
          return reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="clario-statement-${request.params.user_id}.csv"`)
            .send(statementCsv(statement));
        }
        return statement;
      },
    );

    r.get('/api/v1/ops/ledger/check', { schema: { operationId: 'checkLedger', summary: 'Does every ledger journal balance per currency?', description: 'Checks that every ledger journal balances per currency and lists any that do not. Service token only.', tags: ['operations'] } }, async (request) => {
      requireService(principal(request));
      const db = deps.db();
      const [imbalances, size] = await Promise.all([ledgerImbalances(db), ledgerSize(db)]);
      return {
        balanced: imbalances.length === 0,
        journals: size.journals,
        entries: size.entries,
        imbalances: imbalances.map((i) => ({ journal_id: i.journalId, currency: i.currency, sum_minor: i.sumMinor })),
      };
    });
  };
}
