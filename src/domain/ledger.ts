// The double-entry ledger's rules, pure. An entry is signed: positive debits, negative credits.
// A journal is the set of entries of one business event (`fee:<payout>`, `charge:<payout>`,
// `reversal:<payout>`, `refund:<payout>`); every journal sums to zero in each currency.
import type { Money } from './money.js';

export interface LedgerEntry {
  readonly journalId: string;
  readonly account: string;
  readonly amountMinor: number;
  readonly currency: string;
}

export interface Imbalance {
  readonly journalId: string;
  readonly currency: string;
  /** What the journal's entries sum to (zero when balanced). */
  readonly sumMinor: number;
}

export const REVENUE = 'revenue';
export const STRIPE_CASH = 'cash:stripe';
export const receivable = (userId: string) => `receivable:${userId}`;

/** Every journal whose entries do not sum to zero per currency; empty when the ledger balances. */
export function checkBalanced(entries: Iterable<LedgerEntry>): Imbalance[] {
  const sums = new Map<string, Imbalance>();
  for (const e of entries) {
    const key = `${e.journalId}\u0000${e.currency}`;
    const prev = sums.get(key)?.sumMinor ?? 0;
    sums.set(key, { journalId: e.journalId, currency: e.currency, sumMinor: prev + e.amountMinor });
  }
  return [...sums.values()].filter((s) => s.sumMinor !== 0);
}

/** Balance of each account per currency ("account currency" → signed minor units). */
export function balances(entries: Iterable<LedgerEntry>): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of entries) {
    const key = `${e.account} ${e.currency}`;
    out.set(key, (out.get(key) ?? 0) + e.amountMinor);
  }
  return out;
}

/** Two entries moving `amount` from `credit` to `debit`; nothing for a zero amount. */
function transfer(journalId: string, debit: string, credit: string, amount: Money): LedgerEntry[] {
  if (amount.minor < 0) throw new RangeError(`journal ${journalId}: a transfer amount is not negative`);
  if (amount.minor === 0) return [];
  return [
    { journalId, account: debit, amountMinor: amount.minor, currency: amount.currency },
    { journalId, account: credit, amountMinor: -amount.minor, currency: amount.currency },
  ];
}

/** The fee is earned: the seller owes it. */
export const feeJournal = (payoutId: string, userId: string, fee: Money) => transfer(`fee:${payoutId}`, receivable(userId), REVENUE, fee);
/** Stripe collected the fee. */
export const chargeJournal = (payoutId: string, userId: string, fee: Money) => transfer(`charge:${payoutId}`, STRIPE_CASH, receivable(userId), fee);
/** Amazon took money back: the part of the fee it stood for is given back (what the seller owes falls). */
export const reversalJournal = (payoutId: string, userId: string, credit: Money) => transfer(`reversal:${payoutId}`, REVENUE, receivable(userId), credit);
/** The credited fee had already been collected: Stripe pays it back. */
export const refundJournal = (payoutId: string, userId: string, credit: Money) => transfer(`refund:${payoutId}`, receivable(userId), STRIPE_CASH, credit);
