/**
 * Finances 2024-06-19 transactions made from a seller folder's Finances v0 events, so one
 * folder serves both APIs with the same money: a ShipmentEvent becomes a `Shipment`
 * transaction, a RefundEvent a `Refund`, an AdjustmentEvent an `Adjustment` described as
 * FBAInventoryReimbursement (this API does not say which kind of reimbursement). Charges and
 * fees become nested `breakdowns`; the SKU and quantity a `ProductContext`.
 */
import { createHash } from 'node:crypto';
import { minorDigits } from './amounts.js';
import type { FinancialEventsFile } from './folder-json.js';

type Json = Record<string, unknown>;

/** Marketplace ids by the MarketplaceName v0 events carry (Amazon's published ids). */
const MARKETPLACE_IDS: Readonly<Record<string, string>> = {
  'Amazon.com': 'ATVPDKIKX0DER',
  'Amazon.ca': 'A2EUQ1WTGCTBG2',
  'Amazon.com.mx': 'A1AM78C64UM0Y8',
  'Amazon.co.uk': 'A1F83G8C2ARO7P',
  'Amazon.de': 'A1PA6795UKMFR9',
  'Amazon.fr': 'A13V1IB3VIYZZH',
  'Amazon.it': 'APJ6JRA9NG5V4',
  'Amazon.es': 'A1RKKUPIHCS9HS',
  'Amazon.co.jp': 'A1VC38T7YXB528',
};

const objects = (value: unknown): Json[] => (Array.isArray(value) ? value.filter((v): v is Json => !!v && typeof v === 'object') : []);
const text = (o: Json, name: string): string | undefined => (typeof o[name] === 'string' && o[name] !== '' ? o[name] : undefined);

interface Amount {
  readonly currencyCode: string;
  readonly currencyAmount: number;
}

/** v0's `{CurrencyCode, CurrencyAmount}` as 2024-06-19's `{currencyCode, currencyAmount}`. */
function amountOf(value: unknown): Amount | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const o = value as Json;
  const code = text(o, 'CurrencyCode');
  const amount = typeof o.CurrencyAmount === 'number' ? o.CurrencyAmount : Number(o.CurrencyAmount);
  return code && Number.isFinite(amount) ? { currencyCode: code, currencyAmount: amount } : undefined;
}

/** Sums amounts of one currency, rounded to the currency's minor digits so 0.1 + 0.2 stays 0.3. */
function sum(amounts: ReadonlyArray<Amount | undefined>): Amount | undefined {
  const present = amounts.filter((a): a is Amount => a !== undefined);
  const first = present[0];
  if (!first || present.some((a) => a.currencyCode !== first.currencyCode)) return undefined;
  const digits = minorDigits(first.currencyCode);
  const total = present.reduce((n, a) => n + a.currencyAmount, 0);
  return { currencyCode: first.currencyCode, currencyAmount: Number(total.toFixed(digits)) };
}

/** One breakdown per charge or fee entry, under a parent breakdown that totals them. */
function group(type: string, entries: readonly Json[], typeField: string, amountField: string): Json | undefined {
  const children = entries.flatMap((e) => {
    const amount = amountOf(e[amountField]);
    const name = text(e, typeField);
    return amount && name ? [{ breakdownType: name, breakdownAmount: amount, breakdowns: [] }] : [];
  });
  const total = sum(children.map((c) => c.breakdownAmount));
  return total ? { breakdownType: type, breakdownAmount: total, breakdowns: children } : undefined;
}

function itemOf(it: Json, charges: readonly Json[], fees: readonly Json[]): Json {
  const breakdowns = [group('ProductCharges', charges, 'ChargeType', 'ChargeAmount'), group('AmazonFees', fees, 'FeeType', 'FeeAmount')].filter((b): b is Json => b !== undefined);
  const total = sum(breakdowns.map((b) => b.breakdownAmount as Amount));
  const adjustmentId = text(it, 'OrderAdjustmentItemId');
  return {
    ...(text(it, 'SellerSKU') ? { description: text(it, 'SellerSKU') } : {}),
    ...(total ? { totalAmount: total } : {}),
    ...(adjustmentId ? { relatedIdentifiers: [{ itemRelatedIdentifierName: 'ORDER_ADJUSTMENT_ITEM_ID', itemRelatedIdentifierValue: adjustmentId }] } : {}),
    breakdowns,
    contexts: [{
      contextType: 'ProductContext',
      ...(text(it, 'SellerSKU') ? { sku: text(it, 'SellerSKU') } : {}),
      ...(typeof it.QuantityShipped === 'number' ? { quantityShipped: it.QuantityShipped } : {}),
      fulfillmentNetwork: 'AFN',
    }],
  };
}

function adjustmentItemOf(it: Json): Json {
  const total = amountOf(it.TotalAmount);
  return {
    ...(text(it, 'ProductDescription') ? { description: text(it, 'ProductDescription') } : {}),
    ...(total ? { totalAmount: total, breakdowns: [{ breakdownType: 'FBAInventoryReimbursement', breakdownAmount: total, breakdowns: [] }] } : {}),
    contexts: [{ contextType: 'ProductContext', ...(text(it, 'ASIN') ? { asin: text(it, 'ASIN') } : {}), ...(text(it, 'SellerSKU') ? { sku: text(it, 'SellerSKU') } : {}), fulfillmentNetwork: 'AFN' }],
  };
}

const KINDS: Readonly<Record<string, { type: string; description: string }>> = {
  ShipmentEventList: { type: 'Shipment', description: 'Order Payment' },
  RefundEventList: { type: 'Refund', description: 'Refund Order' },
  AdjustmentEventList: { type: 'Adjustment', description: 'FBAInventoryReimbursement' },
};

/** The transactions of a seller's v0 events, oldest posted first; other event lists are not converted. */
export function transactionsOf(lists: FinancialEventsFile, sellerId: string): Json[] {
  const out: Array<{ posted: number; index: number; transaction: Json }> = [];
  for (const [list, events] of Object.entries(lists)) {
    const kind = KINDS[list];
    if (!kind) continue;
    for (const [index, event] of events.entries()) {
      const marketplaceName = text(event, 'MarketplaceName') ?? 'Amazon.com';
      const marketplaceId = MARKETPLACE_IDS[marketplaceName] ?? 'ATVPDKIKX0DER';
      const orderId = text(event, 'AmazonOrderId');
      const items = list === 'AdjustmentEventList'
        ? objects(event.AdjustmentItemList).map(adjustmentItemOf)
        : objects(event.ShipmentItemAdjustmentList ?? event.ShipmentItemList).map((it) =>
            itemOf(it, objects(it.ItemChargeAdjustmentList ?? it.ItemChargeList), objects(it.ItemFeeAdjustmentList ?? it.ItemFeeList)));
      const total = list === 'AdjustmentEventList' ? amountOf(event.AdjustmentAmount) : sum(items.map((i) => i.totalAmount as Amount | undefined));
      const postedDate = text(event, 'PostedDate');
      out.push({
        posted: postedDate ? Date.parse(postedDate) : Number.NaN,
        index: out.length,
        transaction: {
          sellingPartnerMetadata: { sellingPartnerId: sellerId, accountType: 'Standard Orders', marketplaceId },
          relatedIdentifiers: orderId ? [{ relatedIdentifierName: 'ORDER_ID', relatedIdentifierValue: orderId }] : [],
          transactionType: kind.type,
          // Stable across calls and restarts: the same event is always the same transaction.
          transactionId: createHash('sha256').update(`${sellerId}\n${list}\n${index}\n${JSON.stringify(event)}`).digest('base64url').slice(0, 43),
          transactionStatus: 'RELEASED',
          description: kind.description,
          ...(postedDate ? { postedDate } : {}),
          ...(total ? { totalAmount: total } : {}),
          marketplaceDetails: { marketplaceId, marketplaceName },
          items,
        },
      });
    }
  }
  // Undated events last, as they came: the API's date filter keeps them (see transactions.ts).
  out.sort((a, b) => (Number.isNaN(a.posted) ? 1 : 0) - (Number.isNaN(b.posted) ? 1 : 0) || (a.posted - b.posted || 0) || a.index - b.index);
  return out.map((o) => o.transaction);
}
