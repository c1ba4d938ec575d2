// One Stripe customer per seller, made once: through the effects ledger (a crash after Stripe made
// it is reconciled by searching for the user id), then kept sealed in billing_customers.
import { eq } from 'drizzle-orm';
import type { SecretBox } from '../security/secret-box.js';
import type { Db } from '../store/db.js';
import { billingCustomers } from '../store/schema/billing-tables.js';
import type { Effects } from '../workflow/effects.js';
import type { FeeGateway } from './stripe-gateway.js';

const context = (userId: string) => `billing_customer:${userId}`;

/** `signal`: the phase attempt's; it cancels the Stripe call in flight. */
export async function customerFor(options: { db: Db; box: SecretBox; gateway: FeeGateway; effects: Effects; userId: string; signal?: AbortSignal }): Promise<string> {
  const { db, box, gateway, userId } = options;
  const [known] = await db.select().from(billingCustomers).where(eq(billingCustomers.userId, userId));
  if (known) return box.open(known.customerRef, context(userId));
  // The effect's stored answer is sealed too: the effects table is not a place for Stripe ids.
  const made = await options.effects.once<{ sealed: string }>(`stripe-customer:${userId}`, 'stripe_customer', {
    perform: async (key) => ({ sealed: box.seal(await gateway.createCustomer(userId, key, options.signal), context(userId)) }),
    reconcile: async () => {
      const id = await gateway.findCustomer(userId, options.signal);
      return id ? { sealed: box.seal(id, context(userId)) } : undefined;
    },
  });
  await db.insert(billingCustomers).values({ userId, customerRef: made.sealed }).onConflictDoNothing();
  const [row] = await db.select().from(billingCustomers).where(eq(billingCustomers.userId, userId));
  return box.open(row?.customerRef ?? made.sealed, context(userId));
}
