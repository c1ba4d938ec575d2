// The effects ledger. A call with consequences outside Clario (filing a case, charging a fee) is
// recorded as an intent under a deterministic key before it is made, the key is passed to the
// provider as its idempotency key, and a retry asks the provider first ("does this case already
// exist?"): a crash between the call and our record can then never make the effect happen twice.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../store/db.js';
import { inSpan } from '../observability/tracing.js';
import { effects as effectsTable } from '../store/schema/workflow-tables.js';

export interface EffectCall<T> {
  /** Makes the call; `idempotencyKey` must be sent to the provider. */
  perform(idempotencyKey: string): Promise<T>;
  /**
   * Asks the provider whether an earlier attempt already took effect; undefined when it did not.
   * Without it, the provider's own idempotency-key handling is all that stands between a crash
   * and a duplicate, so every provider that can be asked should be.
   */
  reconcile?(idempotencyKey: string): Promise<T | undefined>;
}

export interface Effects {
  once<T>(key: string, kind: string, call: EffectCall<T>): Promise<T>;
}

export function createEffects(db: Db, eventId: string | null): Effects {
  return {
    async once<T>(key: string, kind: string, call: EffectCall<T>): Promise<T> {
      await db.insert(effectsTable).values({ key, kind, eventId, status: 'intent' }).onConflictDoNothing();
      const [row] = await db.select().from(effectsTable).where(eq(effectsTable.key, key));
      if (!row) throw new Error(`effect ${key} vanished`);
      if (row.status === 'done') return row.response as T;
      if (row.attempts > 0 && call.reconcile) {
        const found = await call.reconcile(key);
        if (found !== undefined) {
          await markDone(db, key, found);
          return found;
        }
      }
      // Count the attempt before making it, so a crash during the call is seen as "maybe done".
      await db
        .update(effectsTable)
        .set({ attempts: sql`${effectsTable.attempts} + 1`, updatedAt: sql`now()` })
        .where(eq(effectsTable.key, key));
      // The provider's call (Amazon's case, Stripe's charge) as a span of the phase attempt.
      const result = await inSpan(`clario.effect ${kind}`, { attributes: { 'clario.effect.kind': kind } }, () => call.perform(key));
      await markDone(db, key, result);
      return result;
    },
  };
}

async function markDone(db: Db, key: string, response: unknown): Promise<void> {
  await db
    .update(effectsTable)
    .set({ status: 'done', response: response ?? null, updatedAt: sql`now()` })
    .where(eq(effectsTable.key, key));
}
