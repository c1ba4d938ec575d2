/**
 * The bundled Stripe: a small server speaking Stripe's HTTP API for exactly the calls Clario makes
 * (form-encoded bodies in bracket notation, bearer API keys, idempotency keys, Stripe-shaped
 * objects and errors) and delivering signed webhooks, so the `stripe` package runs unchanged
 * against it. State lives in memory.
 */
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { FormError, parseForm } from './form.js';
import { registerResources } from './resources.js';
import { StripeState, type StripeEvent, type StripeObject } from './state.js';
import { WebhookSender, type Delivery, type WebhookEndpoint } from './webhooks.js';
import { installWire, sendError } from './wire.js';

export interface StripeSimulatorOptions {
  /** The secret key callers must present (default: a fresh sk_test_…). */
  readonly apiKey?: string;
  readonly webhook?: WebhookEndpoint;
  readonly now?: () => number;
}

export interface StripeSimulator {
  readonly app: FastifyInstance;
  readonly apiKey: string;
  readonly state: StripeState;
  /** Answers served from the idempotency store rather than executed. */
  readonly replays: { count: number };
  readonly deliveries: readonly Delivery[];
  /** Sends an event again, as Stripe does when it is unsure the first delivery landed. */
  redeliver(eventId: string): void;
  /**
   * The next `times` calls to `method path` take effect (or replay), then the connection drops
   * before the answer. The stripe package retries a closed connection once by itself.
   */
  dropNextResponse(method: string, path: string, times?: number): void;
  /** Waits until every webhook in flight has been delivered or given up. */
  webhooksIdle(): Promise<void>;
  close(): Promise<void>;
}

export function createStripeSimulator(options: StripeSimulatorOptions = {}): StripeSimulator {
  const now = options.now ?? Date.now;
  const apiKey = options.apiKey ?? `sk_test_${randomBytes(18).toString('base64url')}`;
  const state = new StripeState(now);
  const webhooks = new WebhookSender(options.webhook, now);
  const replays = { count: 0 };
  const drops = new Map<string, number>();
  // No request logging: headers carry the API key.
  // Closing cuts every connection: Node counts a client's socket that has not sent a request yet
  // (a pooled keep-alive connection, a request aborted while connecting) as busy, and would wait
  // for its 60 s header timeout before the close resolved.
  const app = Fastify({ logger: false, forceCloseConnections: true });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseForm(typeof body === 'string' ? body : body.toString('utf8')));
    } catch (err) {
      done(err as FormError, undefined);
    }
  });
  app.setErrorHandler((err: { statusCode?: number; message?: string }, _req, reply) => {
    if (err instanceof FormError || (err.statusCode && err.statusCode < 500)) {
      return sendError(reply, 400, { type: 'invalid_request_error', message: err.message ?? 'Invalid request' });
    }
    return sendError(reply, 500, { type: 'api_error', message: 'An unknown error occurred' });
  });
  app.setNotFoundHandler((req, reply) =>
    sendError(reply, 404, { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${req.url.split('?')[0] ?? ''}).` }),
  );
  installWire(app, apiKey, replays);
  app.addHook('onSend', async (req, reply, payload) => {
    const key = `${req.method} ${req.url.split('?')[0] ?? ''}`;
    const left = drops.get(key) ?? 0;
    if (left > 0) {
      drops.set(key, left - 1);
      reply.raw.socket?.destroy();
    }
    return payload;
  });
  registerResources(app, { state, webhooks });

  return {
    app,
    apiKey,
    state,
    replays,
    deliveries: webhooks.deliveries,
    redeliver(eventId) {
      const event = state.events.find((e) => e.id === eventId);
      if (!event) throw new Error(`no event ${eventId}`);
      webhooks.send(event);
    },
    dropNextResponse(method, path, times = 1) {
      drops.set(`${method.toUpperCase()} ${path}`, times);
    },
    webhooksIdle: () => webhooks.idle(),
    async close() {
      await webhooks.close();
      await app.close();
    },
  };
}

export interface StartedStripeSimulator extends StripeSimulator {
  /** http://127.0.0.1:port */
  readonly url: string;
}

/** Starts the simulator on a port (0: a free one) of loopback, or of `host`. */
export async function startStripeSimulator(options: StripeSimulatorOptions & { readonly port?: number; readonly host?: string } = {}): Promise<StartedStripeSimulator> {
  const sim = createStripeSimulator(options);
  const host = options.host ?? '127.0.0.1';
  await sim.app.listen({ port: options.port ?? 0, host });
  const address = sim.app.server.address();
  const port = address && typeof address === 'object' ? address.port : options.port;
  return Object.assign(sim, { url: `http://${host}:${port}` });
}

export type { StripeEvent, StripeObject };
