/**
 * Finances: 2024-06-19 `listTransactions` (the current API) and v0 `listFinancialEvents`
 * (deprecated; kept while Amazon still answers it), page by page.
 */
import { NonRetryableError } from '../domain/errors.js';
import type { SpApiTransport } from './transport.js';

/**
 * Amazon's `FinancialEvents` object: one list per event kind (ShipmentEventList,
 * RefundEventList, AdjustmentEventList, …). The events are kept as Amazon sent them; detection
 * reads them leniently.
 */
export type FinancialEvents = Readonly<Record<string, readonly unknown[] | undefined>>;

export interface FinancialEventsPage {
  readonly financialEvents: FinancialEvents;
  /** Store it to resume after a crash; absent on the last page. */
  readonly nextToken?: string;
}

export interface ListFinancialEventsQuery {
  readonly postedAfter?: Date | string;
  /** Must be at least 2 minutes in the past; later values are pulled back (see below). */
  readonly postedBefore?: Date | string;
  /** 1 to 100 (Amazon's default 100). */
  readonly maxResultsPerPage?: number;
  /** Resume from a page token stored earlier. */
  readonly nextToken?: string;
}

interface ListFinancialEventsResponse {
  readonly payload?: { readonly NextToken?: string; readonly FinancialEvents?: FinancialEvents };
}

/** Amazon refuses a PostedBefore that is not more than 2 minutes in the past; keep a margin. */
const POSTED_BEFORE_LAG_MS = 3 * 60_000;

/** One transaction of Finances 2024-06-19, kept as Amazon sent it (detection reads it leniently). */
export type Transaction = Readonly<Record<string, unknown>>;

export interface TransactionsPage {
  readonly transactions: readonly Transaction[];
  /** The window this page belongs to: a page token is only good with the same arguments. */
  readonly postedAfter: string;
  readonly postedBefore: string;
  /** Absent on the window's last page. */
  readonly nextToken?: string;
}

export interface ListTransactionsQuery {
  /** Required by Amazon when no related identifier is given. */
  readonly postedAfter: Date | string;
  /** Default: as late as Amazon allows (see POSTED_BEFORE_LAG_MS). */
  readonly postedBefore?: Date | string;
  /** Omit it for every marketplace of the seller's region (Amazon: omit it for US MFN orders too). */
  readonly marketplaceId?: string;
}

interface ListTransactionsResponse {
  readonly payload?: { readonly nextToken?: string; readonly transactions?: readonly Transaction[] };
}

/**
 * Amazon answers an empty list, not an error, when postedAfter and postedBefore are more than
 * 180 days apart: longer ranges are split here so no caller can lose transactions that way.
 */
export const TRANSACTIONS_MAX_DAYS = 180;
const DAY_MS = 86_400_000;

export class FinancesApi {
  constructor(private readonly transport: SpApiTransport) {}

  /** Pages of financial events, oldest request first, until Amazon stops returning a NextToken. */
  async *listFinancialEvents(query: ListFinancialEventsQuery = {}): AsyncGenerator<FinancialEventsPage> {
    const max = query.maxResultsPerPage;
    if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > 100)) {
      throw new NonRetryableError('MaxResultsPerPage must be an integer from 1 to 100', 'invalid_finances_request');
    }
    const latest = this.transport.clock.now() - POSTED_BEFORE_LAG_MS;
    const before = query.postedBefore === undefined ? undefined : Math.min(new Date(query.postedBefore).getTime(), latest);
    let nextToken = query.nextToken;
    for (;;) {
      // With a NextToken, Amazon wants the token alone: it carries the original query.
      const q = nextToken
        ? { NextToken: nextToken }
        : {
            PostedAfter: query.postedAfter === undefined ? undefined : new Date(query.postedAfter).toISOString(),
            PostedBefore: before === undefined ? undefined : new Date(before).toISOString(),
            MaxResultsPerPage: max,
          };
      const res = await this.transport.call<ListFinancialEventsResponse>({
        operation: 'listFinancialEvents',
        method: 'GET',
        path: '/finances/v0/financialEvents',
        query: q,
      });
      nextToken = res.payload?.NextToken || undefined;
      yield { financialEvents: res.payload?.FinancialEvents ?? {}, ...(nextToken ? { nextToken } : {}) };
      if (!nextToken) return;
    }
  }

  /**
   * Pages of transactions posted in [postedAfter, postedBefore), in windows of at most 180 days,
   * oldest window first. Unlike v0, a nextToken is sent with the same arguments that produced it.
   */
  async *listTransactions(query: ListTransactionsQuery): AsyncGenerator<TransactionsPage> {
    const after = new Date(query.postedAfter).getTime();
    const latest = this.transport.clock.now() - POSTED_BEFORE_LAG_MS;
    const before = Math.min(query.postedBefore === undefined ? latest : new Date(query.postedBefore).getTime(), latest);
    if (Number.isNaN(after) || Number.isNaN(before)) throw new NonRetryableError('postedAfter and postedBefore must be dates', 'invalid_finances_request');
    for (let start = after; start < before; start += TRANSACTIONS_MAX_DAYS * DAY_MS) {
      const window = {
        postedAfter: new Date(start).toISOString(),
        postedBefore: new Date(Math.min(before, start + TRANSACTIONS_MAX_DAYS * DAY_MS)).toISOString(),
        marketplaceId: query.marketplaceId,
      };
      let nextToken: string | undefined;
      do {
        const res = await this.transport.call<ListTransactionsResponse>({
          operation: 'listTransactions',
          method: 'GET',
          path: '/finances/2024-06-19/transactions',
          query: { ...window, nextToken },
        });
        // Amazon may answer empty pages that still carry a token: keep going until it stops.
        nextToken = res.payload?.nextToken || undefined;
        yield { transactions: res.payload?.transactions ?? [], postedAfter: window.postedAfter, postedBefore: window.postedBefore, ...(nextToken ? { nextToken } : {}) };
      } while (nextToken);
    }
  }
}
