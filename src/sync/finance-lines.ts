// A sync's finance data: refunds and fee charges from Finances 2024-06-19 listTransactions into
// transactions.json, or, for a sync in which Amazon refuses that version (not offered to this
// app or region), from v0 listFinancialEvents into financial-events.json while Amazon still
// answers v0. v0 is deprecated, so 2024-06-19 is always tried first: once Amazon removes v0,
// nothing changes here. The choice is made on the first call, so one sync never mixes the two;
// materialize.ts then hands detection only the file of the latest sync's choice.
import type { FinancialEventsPage, TransactionsPage } from '../amazon/finances.js';
import { SpApiRequestError } from '../amazon/errors.js';
import { NonRetryableError } from '../domain/errors.js';
import type { SyncSource } from './sources.js';
import type { SourceLine, SyncContext } from './sync-seller.js';

/** The list name transactions are stored under, so the file is `{"transactions": [...]}`. */
export const TRANSACTIONS_LIST = 'transactions';

/**
 * Amazon refused the API version itself rather than this request: 404 (no such resource here),
 * 403 after a fresh access token (what a removed or unavailable version answers), 410, or a 400
 * that says the version is deprecated or unsupported.
 */
export function isVersionRefused(err: unknown): err is SpApiRequestError {
  if (!(err instanceof SpApiRequestError)) return false;
  if (err.status === 403 || err.status === 404 || err.status === 410) return true;
  return err.status === 400 && /deprecat|removed|not (available|supported)|unsupported/i.test(err.message);
}

export interface FinanceLines {
  /** The file the lines belong to: the source's own, or its fallback's. */
  readonly file: string;
  readonly lines: AsyncGenerator<SourceLine>;
}

/** Picks the API for this sync (one call to find out) and returns its lines. */
export async function financeLines(source: SyncSource, ctx: SyncContext, startOf: (file: string) => Promise<Date>): Promise<FinanceLines> {
  const pages = ctx.client.finances.listTransactions({ postedAfter: await startOf(source.file), postedBefore: ctx.now });
  let first: IteratorResult<TransactionsPage>;
  try {
    first = await pages.next();
  } catch (err) {
    if (!source.fallback || !isVersionRefused(err)) throw err;
    return { file: source.fallback, lines: v0Lines(ctx, await startOf(source.fallback), err) };
  }
  return { file: source.file, lines: transactionLines(ctx, first, pages) };
}

async function* transactionLines(ctx: SyncContext, first: IteratorResult<TransactionsPage>, rest: AsyncGenerator<TransactionsPage>): AsyncGenerator<SourceLine> {
  let page = 0;
  for (let p = first; !p.done; p = await rest.next()) {
    if (ctx.signal.aborted) throw new Error('sync stopped: the worker lost its lease');
    page++;
    const documentId = `transactions-${p.value.postedAfter.slice(0, 10)}-page-${page}`;
    for (const t of p.value.transactions) {
      const id = typeof t.transactionId === 'string' && t.transactionId !== '' ? t.transactionId : undefined;
      yield { line: `${TRANSACTIONS_LIST}\t${JSON.stringify(t)}`, documentId, ...(id ? { key: id } : {}) };
    }
  }
}

async function* v0Lines(ctx: SyncContext, start: Date, refused: SpApiRequestError): AsyncGenerator<SourceLine> {
  let page = 0;
  const events = ctx.client.finances.listFinancialEvents({ postedAfter: start, postedBefore: ctx.now });
  for (;;) {
    let next: IteratorResult<FinancialEventsPage>;
    try {
      next = await events.next();
    } catch (err) {
      // Both versions refused: say so, or an operator sees only v0's answer and wonders why.
      if (page === 0 && err instanceof SpApiRequestError) {
        throw new NonRetryableError(`Amazon refused Finances 2024-06-19 (${refused.message}) and v0 (${err.message})`, err.code);
      }
      throw err;
    }
    if (next.done) return;
    page++;
    for (const [list, items] of Object.entries(next.value.financialEvents)) {
      for (const e of items ?? []) yield { line: `${list}\t${JSON.stringify(e)}`, documentId: `finances-page-${page}` };
    }
  }
}
