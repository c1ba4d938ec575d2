/**
 * Finances 2024-06-19 `listTransactions` over the seller folder (see FolderJson.transactionsOf),
 * with the model's rules: postedAfter required unless a related identifier is given,
 * postedBefore at least two minutes old (its default), more than 180 days between them answers
 * an empty list, and a nextToken only goes with the same arguments that produced it.
 */
import type { FastifyInstance } from 'fastify';
import type { FolderJson } from './folder-json.js';
import { dateParam, guard, invalidInput, param, type GuardOptions } from './wire.js';

export interface TransactionsOptions extends GuardOptions {
  readonly json: FolderJson;
  readonly pageSize: number;
}

const DAY = 86_400_000;
const FILTERABLE_IDENTIFIERS = ['ORDER_ID', 'FINANCIAL_EVENT_GROUP_ID'];
const ARGUMENTS = ['postedAfter', 'postedBefore', 'marketplaceId', 'transactionStatus', 'relatedIdentifierName', 'relatedIdentifierValue'] as const;

interface Selection {
  readonly after?: number;
  readonly before: number;
  readonly marketplaceId?: string;
  readonly status?: string;
  readonly related?: { readonly name: string; readonly value: string };
}

export function registerTransactions(app: FastifyInstance, options: TransactionsOptions): void {
  const { state } = options;
  // A sync pages through one selection: filtering all transactions again for every page made the
  // pages quadratic. The last few selections' matches are kept, for as long as the file is the same.
  const recent = new Map<string, { all: readonly Record<string, unknown>[]; matching: readonly Record<string, unknown>[] }>();
  const matchingOf = (all: readonly Record<string, unknown>[], key: string, selection: Selection) => {
    const hit = recent.get(key);
    if (hit?.all === all) return hit.matching;
    const matching = all.filter((t) => matches(t, selection));
    recent.delete(key);
    recent.set(key, { all, matching });
    for (const old of recent.keys()) {
      if (recent.size <= 8) break;
      recent.delete(old);
    }
    return matching;
  };

  app.get('/finances/2024-06-19/transactions', async (req, reply) => {
    const sellerId = guard(req, reply, options, 'listTransactions');
    if (!sellerId) return reply;
    // The arguments as sent: a page token is bound to them.
    const args = JSON.stringify(ARGUMENTS.map((name) => param(req.query, name) ?? null));
    let offset = 0;
    const token = param(req.query, 'nextToken');
    if (token) {
      const saved = state.readPageToken(sellerId, token);
      if (!saved) return invalidInput(reply, 'Invalid nextToken');
      if (saved.args !== args) return invalidInput(reply, 'The nextToken must be sent with the same arguments as the call that produced it');
      offset = Number(saved.offset);
    }

    const after = dateParam(req.query, 'postedAfter');
    const beforeParam = dateParam(req.query, 'postedBefore');
    const name = param(req.query, 'relatedIdentifierName');
    const value = param(req.query, 'relatedIdentifierValue');
    const latest = state.clock.now() - 2 * 60_000;
    if (Number.isNaN(after) || Number.isNaN(beforeParam)) return invalidInput(reply, 'postedAfter and postedBefore must be ISO 8601 date-times');
    if (after === undefined && !name) return invalidInput(reply, 'Start date cannot be null');
    if (name && !FILTERABLE_IDENTIFIERS.includes(name)) return invalidInput(reply, `relatedIdentifierName must be one of ${FILTERABLE_IDENTIFIERS.join(', ')}`);
    if (name && !value) return invalidInput(reply, 'relatedIdentifierValue is required with relatedIdentifierName');
    if (beforeParam !== undefined && beforeParam > latest) return invalidInput(reply, 'postedBefore must be no later than two minutes before the request was submitted');
    const before = beforeParam ?? latest;
    if (after !== undefined && after >= before) return invalidInput(reply, 'postedAfter must be before postedBefore');
    const marketplaceId = param(req.query, 'marketplaceId');
    const status = param(req.query, 'transactionStatus');
    const selection: Selection = {
      ...(after !== undefined ? { after } : {}),
      before,
      ...(marketplaceId ? { marketplaceId } : {}),
      ...(status ? { status } : {}),
      ...(name && value ? { related: { name, value } } : {}),
    };

    // As Amazon documents it: a range of more than 180 days is not an error, just empty.
    if (after !== undefined && before - after > 180 * DAY) return reply.send({ payload: { transactions: [] } });
    const seller = state.sellers.get(sellerId);
    const all = seller ? await options.json.transactionsOf(seller.folder, sellerId) : [];
    const matching = matchingOf(all, `${sellerId}\u0000${JSON.stringify(selection)}`, selection);
    const page = matching.slice(offset, offset + options.pageSize);
    const next = offset + page.length;
    const nextToken = next < matching.length ? state.pageToken(sellerId, { args, offset: next }) : undefined;
    return reply.send({ payload: { transactions: page, ...(nextToken ? { nextToken } : {}) } });
  });
}

function matches(t: Record<string, unknown>, s: Selection): boolean {
  // Transactions without a readable postedDate are kept: detection reports them, the API must not hide them.
  const posted = typeof t.postedDate === 'string' ? Date.parse(t.postedDate) : Number.NaN;
  if (!Number.isNaN(posted) && ((s.after !== undefined && posted < s.after) || posted >= s.before)) return false;
  if (s.marketplaceId && (t.marketplaceDetails as { marketplaceId?: unknown } | undefined)?.marketplaceId !== s.marketplaceId) return false;
  if (s.status && String(t.transactionStatus).toUpperCase() !== s.status.toUpperCase()) return false;
  if (s.related) {
    const ids = Array.isArray(t.relatedIdentifiers) ? (t.relatedIdentifiers as Array<Record<string, unknown>>) : [];
    if (!ids.some((id) => id.relatedIdentifierName === s.related?.name && id.relatedIdentifierValue === s.related?.value)) return false;
  }
  return true;
}
