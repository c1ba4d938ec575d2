// The ledger in the database. Posting is idempotent: (journal_id, account) is unique, so a journal
// posted again by a retry, or by both the phase and a webhook, lands once.
import { and, eq, sql } from 'drizzle-orm';
import type { Imbalance, LedgerEntry } from '../domain/ledger.js';
import { safeMinor } from '../domain/money.js';
import { rows, type Db } from '../store/db.js';
import { ledgerEntries } from '../store/schema/billing-tables.js';

export interface PostingContext {
  readonly userId: string;
  readonly claimId?: string | null;
  readonly payoutId?: string | null;
  readonly memo?: string;
}

/** Posts a journal's entries; a journal already posted is left as it is. */
export async function postJournal(q: Db, entries: readonly LedgerEntry[], ctx: PostingContext): Promise<void> {
  if (entries.length === 0) return;
  await q
    .insert(ledgerEntries)
    .values(
      entries.map((e) => ({
        journalId: e.journalId,
        account: e.account,
        amountMinor: e.amountMinor,
        currency: e.currency,
        userId: ctx.userId,
        claimId: ctx.claimId ?? null,
        payoutId: ctx.payoutId ?? null,
        memo: ctx.memo ?? null,
      })),
    )
    .onConflictDoNothing({ target: [ledgerEntries.journalId, ledgerEntries.account] });
}

/** Every journal that does not sum to zero in a currency; empty when the whole ledger balances. */
export async function ledgerImbalances(q: Db): Promise<Imbalance[]> {
  const found = await rows<{ journal_id: string; currency: string; sum: string }>(
    q,
    sql`SELECT journal_id, currency, SUM(amount_minor::numeric)::text AS sum FROM ledger_entries
        GROUP BY journal_id, currency HAVING SUM(amount_minor::numeric) <> 0 ORDER BY journal_id, currency`,
  );
  return found.map((r) => ({ journalId: r.journal_id, currency: r.currency, sumMinor: safeMinor(r.sum) }));
}

/** How many journals and entries the ledger holds. */
export async function ledgerSize(q: Db): Promise<{ journals: number; entries: number }> {
  const [r] = await rows<{ journals: number; entries: number }>(
    q,
    sql`SELECT COUNT(DISTINCT journal_id)::int AS journals, COUNT(*)::int AS entries FROM ledger_entries`,
  );
  return r ?? { journals: 0, entries: 0 };
}

/** An account's balance in a currency (debits positive). */
export async function accountBalance(q: Db, account: string, currency: string): Promise<number> {
  const [r] = await q
    .select({ sum: sql<string | null>`SUM(${ledgerEntries.amountMinor}::numeric)::text` })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.account, account), eq(ledgerEntries.currency, currency)));
  return safeMinor(r?.sum);
}
