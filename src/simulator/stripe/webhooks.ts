// Delivers the simulated account's events to the configured endpoint as Stripe does: a JSON POST
// signed with the endpoint secret, retried with backoff until a 2xx or the attempts run out.
import { signStripePayload } from './signature.js';
import type { StripeEvent } from './state.js';

export interface WebhookEndpoint {
  /** Where to POST; undefined while the receiver is not listening yet (events then wait). */
  readonly url: () => string | undefined;
  readonly secret: string;
  /** Waits between attempts (Stripe waits hours; tests and the demo, moments). */
  readonly retryDelaysMs?: readonly number[];
}

export interface Delivery {
  readonly eventId: string;
  readonly attempt: number;
  readonly status: number | 'error';
}

export class WebhookSender {
  readonly deliveries: Delivery[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly endpoint: WebhookEndpoint | undefined,
    private readonly now: () => number,
  ) {}

  /** Sends in the background; `idle()` waits for every delivery in progress. */
  send(event: StripeEvent): void {
    if (!this.endpoint) return;
    const p = this.deliver(this.endpoint, event).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }

  private async deliver(endpoint: WebhookEndpoint, event: StripeEvent): Promise<void> {
    const delays = endpoint.retryDelaysMs ?? [50, 200, 1000, 5000];
    const payload = JSON.stringify(event, null, 2);
    for (let attempt = 1; attempt <= delays.length + 1 && !this.closed; attempt++) {
      const url = endpoint.url();
      let status: number | 'error' = 'error';
      if (url) {
        try {
          const res = await fetch(url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json; charset=utf-8',
              'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
              'stripe-signature': signStripePayload(payload, endpoint.secret, Math.floor(this.now() / 1000)),
            },
            body: payload,
            signal: AbortSignal.timeout(10_000),
          });
          await res.arrayBuffer();
          status = res.status;
        } catch {
          status = 'error';
        }
      }
      this.deliveries.push({ eventId: event.id, attempt, status });
      if (typeof status === 'number' && status >= 200 && status < 300) return;
      const wait = delays[attempt - 1];
      if (wait === undefined) return;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
