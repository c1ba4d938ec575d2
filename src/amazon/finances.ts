/** Finances v0 `listFinancialEvents`, page by page with NextToken. */
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
}
