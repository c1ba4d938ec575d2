import { add, type Money } from '../../domain/money.js';
import type { RefundEventItem, ShipmentEventItem, TransactionEvent } from '../rows.js';
import type { SourceRef } from '../types.js';
import { reasonKey } from '../books/reimbursed-units.js';
import { positive } from './financial-events.js';
import { dayParser, RowError } from './fields.js';
import { currencyAmount, int, isObject, list, prop, requiredStr, str, type JsonObject } from './json-values.js';

/** transactions.json: the `transactions` of Finances 2024-06-19 listTransactions, pages merged. */
export const TRANSACTION_LISTS = { transaction: ['transactions'] } as const;

// Breakdown types, compared like reimbursement reasons. Amazon's own model example spells the
// principal "Principle", so both spellings are read.
const PRINCIPAL = new Set(['principal', 'principle']);
const FULFILMENT_FEE = new Set(['fbaperunitfulfillmentfee']);

/** The amounts of the breakdowns of a wanted type, at any depth; a matched node's children are not added again. */
function sumBreakdowns(nodes: readonly JsonObject[], wanted: ReadonlySet<string>): Money | undefined {
  let total: Money | undefined;
  for (const node of nodes) {
    const m = wanted.has(reasonKey(str(node, 'breakdownType') ?? ''))
      ? currencyAmount(prop(node, 'breakdownAmount'), 'breakdownAmount')
      : sumBreakdowns(list(node, 'breakdowns'), wanted);
    if (!m) continue;
    if (total && total.currency !== m.currency) throw new RowError(`breakdown amounts in ${total.currency} and ${m.currency}`);
    total = total ? add(total, m) : m;
  }
  return total;
}

function relatedId(transaction: JsonObject, name: string): string | undefined {
  for (const id of list(transaction, 'relatedIdentifiers')) if (str(id, 'relatedIdentifierName')?.toUpperCase() === name) return str(id, 'relatedIdentifierValue');
  return undefined;
}

/** An item's product: the ProductContext (or any context naming a SKU); items without one are not products. */
function productOf(item: JsonObject): { sku: string; quantity: number } | undefined {
  const contexts = list(item, 'contexts');
  const product = contexts.find((c) => str(c, 'contextType') === 'ProductContext') ?? contexts.find((c) => str(c, 'sku') !== undefined);
  const sku = product && str(product, 'sku');
  // A missing count is read as one unit, as in Finances v0: every shipped item is at least one.
  return product && sku ? { sku, quantity: int(product, 'quantityShipped', 1) } : undefined;
}

/**
 * Builds refund and shipment events from Finances 2024-06-19 transactions; other transaction
 * types give undefined (they are read, not used). One reader per file: it caches the last date.
 */
export function transactionReader(): (list: string, value: unknown, source: SourceRef) => TransactionEvent | undefined {
  const day = dayParser();
  return (_list, value, source) => {
    if (!isObject(value)) throw new RowError('not an object');
    const type = reasonKey(requiredStr(value, 'transactionType'));
    if (type !== 'shipment' && type !== 'refund') return undefined;
    const orderId = relatedId(value, 'ORDER_ID');
    if (orderId === undefined) throw new RowError('the ORDER_ID related identifier is missing');
    const posted = day(str(value, 'postedDate') ?? '', 'postedDate');
    const products = list(value, 'items').flatMap((item) => {
      const product = productOf(item);
      return product ? [{ item, ...product }] : [];
    });
    if (type === 'shipment') {
      const items: ShipmentEventItem[] = products.map(({ item, sku, quantity }) => {
        const fee = positive(sumBreakdowns(list(item, 'breakdowns'), FULFILMENT_FEE));
        return { sku, quantity, ...(fee ? { fulfillmentFee: fee } : {}) };
      });
      return { kind: 'shipment', source, day: posted, orderId, items };
    }
    const items: RefundEventItem[] = products.map(({ item, sku, quantity }) => {
      const principal = positive(sumBreakdowns(list(item, 'breakdowns'), PRINCIPAL));
      return { sku, quantity, ...(principal ? { principal } : {}) };
    });
    return { kind: 'refund', source, day: posted, orderId, items };
  };
}
