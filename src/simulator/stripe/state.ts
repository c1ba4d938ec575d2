// The simulated Stripe account's objects, in memory, shaped as Stripe returns them. Every customer
// gets a working test card as its default payment method, as a seller who set up billing has.
import { randomBytes } from 'node:crypto';

export type StripeObject = Record<string, unknown> & { id: string; object: string; created: number };

export interface StripeEvent {
  readonly id: string;
  readonly object: 'event';
  readonly api_version: string;
  readonly created: number;
  readonly type: string;
  readonly livemode: false;
  readonly pending_webhooks: number;
  readonly data: { readonly object: StripeObject };
  readonly request: { readonly id: string | null; readonly idempotency_key: string | null };
}

const API_VERSION = '2025-09-30.clover';

export function stripeId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
}

export class StripeState {
  readonly customers = new Map<string, StripeObject>();
  readonly paymentMethods = new Map<string, StripeObject>();
  readonly paymentIntents = new Map<string, StripeObject>();
  readonly charges = new Map<string, StripeObject>();
  readonly refunds = new Map<string, StripeObject>();
  readonly events: StripeEvent[] = [];
  /** Customers whose card is declined (a test sets this). */
  readonly declining = new Set<string>();

  constructor(private readonly now: () => number) {}

  seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  createCustomer(params: { email?: string | undefined; name?: string | undefined; metadata: Record<string, string> }): StripeObject {
    const id = stripeId('cus');
    const pm: StripeObject = {
      id: stripeId('pm'),
      object: 'payment_method',
      created: this.seconds(),
      type: 'card',
      card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: new Date(this.now()).getUTCFullYear() + 3, funding: 'credit' },
      customer: id,
      livemode: false,
      metadata: {},
    };
    this.paymentMethods.set(pm.id, pm);
    const customer: StripeObject = {
      id,
      object: 'customer',
      created: this.seconds(),
      email: params.email ?? null,
      name: params.name ?? null,
      metadata: params.metadata,
      livemode: false,
      invoice_settings: { default_payment_method: pm.id, custom_fields: null, footer: null, rendering_options: null },
    };
    this.customers.set(id, customer);
    return customer;
  }

  emit(type: string, object: StripeObject, idempotencyKey: string | null): StripeEvent {
    const event: StripeEvent = {
      id: stripeId('evt'),
      object: 'event',
      api_version: API_VERSION,
      created: this.seconds(),
      type,
      livemode: false,
      pending_webhooks: 1,
      data: { object: structuredClone(object) },
      request: { id: stripeId('req'), idempotency_key: idempotencyKey },
    };
    this.events.push(event);
    return event;
  }
}

/** Stripe's `metadata['k']:'v' AND customer:'cus_…'` search syntax, the subset Clario uses. */
export function matchesSearch(query: string, object: StripeObject): boolean | undefined {
  const clauses = query.split(/\s+AND\s+/);
  for (const clause of clauses) {
    const m = /^\s*(?:metadata\[(['"])(.+?)\1\]|([a-z_]+)):(['"])(.*)\4\s*$/.exec(clause);
    if (!m) return undefined;
    const value = m[5];
    const actual = m[2] !== undefined ? (object.metadata as Record<string, string> | undefined)?.[m[2]] : object[m[3] ?? ''];
    if (actual !== value) return false;
  }
  return true;
}
