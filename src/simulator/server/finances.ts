/**
 * Finances v0 `listFinancialEvents` over the folder's financial-events.json: PostedAfter /
 * PostedBefore filtering, MaxResultsPerPage pages across all event lists, opaque NextToken.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { FolderJson } from './folder-json.js';
import { dateParam, guard, invalidInput, param, sendErrors, type GuardOptions } from './wire.js';

export interface FinancesOptions extends GuardOptions {
  readonly json: FolderJson;
  /** Answer as a removed API version does (see REMOVED below). */
  readonly removed: boolean;
}

/**
 * Amazon documents only that calls to a removed version fail; when it removed Feeds and Reports
 * 2020-09-04 the gateway answered them 403 Unauthorized "Access to requested resource is
 * denied.", the answer for a path the application may not call.
 */
const REMOVED = { status: 403, code: 'Unauthorized', message: 'Access to requested resource is denied.' } as const;

interface Query {
  readonly after?: number;
  readonly before?: number;
  readonly max: number;
  readonly offset: number;
}

export function registerFinances(app: FastifyInstance, options: FinancesOptions): void {
  const { state } = options;

  app.get('/finances/v0/financialEvents', async (req, reply) => {
    if (options.removed) return sendErrors(reply.header('x-amzn-RequestId', randomUUID()), REMOVED.status, REMOVED.code, REMOVED.message);
    const sellerId = guard(req, reply, options, 'listFinancialEvents');
    if (!sellerId) return reply;
    let query: Query;
    const token = param(req.query, 'NextToken');
    if (token) {
      const saved = state.readPageToken(sellerId, token);
      if (!saved) return invalidInput(reply, 'Invalid NextToken');
      query = saved as unknown as Query;
    } else {
      const after = dateParam(req.query, 'PostedAfter');
      const before = dateParam(req.query, 'PostedBefore');
      const maxText = param(req.query, 'MaxResultsPerPage');
      const max = maxText === undefined ? 100 : Number(maxText);
      if (Number.isNaN(after) || Number.isNaN(before)) return invalidInput(reply, 'PostedAfter and PostedBefore must be ISO 8601 date-times');
      if (!Number.isInteger(max) || max < 1 || max > 100) return invalidInput(reply, 'MaxResultsPerPage must be between 1 and 100');
      if (before !== undefined && before > state.clock.now() - 2 * 60_000) return invalidInput(reply, 'PostedBefore must be no later than two minutes before the request was submitted');
      if (after !== undefined && before !== undefined && after >= before) return invalidInput(reply, 'PostedAfter must be before PostedBefore');
      query = { ...(after !== undefined ? { after } : {}), ...(before !== undefined ? { before } : {}), max, offset: 0 };
    }

    const seller = state.sellers.get(sellerId);
    const lists = seller ? await options.json.financesOf(seller.folder) : {};
    // Pages count events across the lists, in file order: list by list, event by event.
    const page: Record<string, Record<string, unknown>[]> = {};
    let index = 0;
    let taken = 0;
    let more = false;
    for (const [name, events] of Object.entries(lists)) {
      page[name] = [];
      for (const event of events) {
        if (!postedInside(event, query)) continue;
        if (index++ < query.offset) continue;
        if (taken === query.max) {
          more = true;
          break;
        }
        page[name].push(event);
        taken++;
      }
    }
    for (const name of Object.keys(lists)) page[name] ??= [];
    const nextToken = more ? state.pageToken(sellerId, { ...query, offset: query.offset + taken }) : undefined;
    return reply.send({ payload: { ...(nextToken ? { NextToken: nextToken } : {}), FinancialEvents: page } });
  });
}

/** Events without a readable PostedDate are kept: detection reports them, the API must not hide them. */
function postedInside(event: Record<string, unknown>, query: Query): boolean {
  const posted = typeof event.PostedDate === 'string' ? Date.parse(event.PostedDate) : Number.NaN;
  if (Number.isNaN(posted)) return true;
  if (query.after !== undefined && posted < query.after) return false;
  if (query.before !== undefined && posted >= query.before) return false;
  return true;
}
