import { decimal, isoStamp } from './calendar.js';
import type { Product } from './catalog.js';
import type { LineSink } from './sink.js';
import { reportedOrders, taxOf } from './write-reports.js';
import type { Reimbursement, World } from './world.js';

/**
 * Amounts as Finances writes them: a JSON number with two decimals. JSON.stringify cannot write
 * 12.50 with its trailing zero, so the number travels as a marked string and is unquoted after.
 */
const AMOUNT = '\u0000amount:';
const amount = (currency: string, minor: number) => ({ CurrencyCode: currency, CurrencyAmount: `${AMOUNT}${decimal(minor)}` });
const unquoteAmounts = (json: string): string => json.replace(/"\\u0000amount:(-?\d+\.\d\d)"/g, '$1');

// One JSON element per line: detection cites the line an element starts on as its evidence.
async function list(sink: LineSink, name: string, items: readonly unknown[], last: boolean): Promise<void> {
  await sink.write(`  ${JSON.stringify(name)}: [`);
  for (let i = 0; i < items.length; i++) {
    await sink.write(`    ${unquoteAmounts(JSON.stringify(items[i]))}${i < items.length - 1 ? ',' : ''}`);
  }
  await sink.write(last ? '  ]' : '  ],');
}

/** inbound-shipments.json: getShipments and getShipmentItems payload items (Fulfillment Inbound v0). */
export async function writeInbound(world: World, sink: LineSink): Promise<void> {
  await sink.write('{');
  await list(sink, 'shipments', world.inbound.map((s) => ({
    ShipmentId: s.id,
    ShipmentName: s.name,
    DestinationFulfillmentCenterId: s.fc,
    ShipmentStatus: s.status,
    LabelPrepType: 'SELLER_LABEL',
    AreCasesRequired: false,
    BoxContentsSource: 'FEED',
  })), false);
  await list(sink, 'items', world.inbound.flatMap((s) => s.items.map((i) => ({
    ShipmentId: s.id,
    SellerSKU: i.product.sku,
    FulfillmentNetworkSKU: i.product.fnsku,
    QuantityShipped: i.shipped,
    QuantityReceived: i.received,
    QuantityInCase: 0,
  }))), true);
  await sink.write('}');
}

const ADJUSTMENT_TYPES: Partial<Record<Reimbursement['reason'], string>> = {
  Lost_Warehouse: 'WAREHOUSE_LOST',
  Damaged_Warehouse: 'WAREHOUSE_DAMAGE',
  Lost_Inbound: 'MISSING_FROM_INBOUND',
};

/**
 * financial-events.json: the FinancialEvents object of listFinancialEvents, pages merged.
 * Warehouse reimbursements paid in cash also appear as AdjustmentEvents, posted a few days after
 * approval (not at all if that is after as-of): the second view of the same payments.
 */
export async function writeFinancialEvents(world: World, sink: LineSink): Promise<void> {
  const posted = (day: number, product: Product) => isoStamp(day, 43_200, product.market.offset);
  await sink.write('{');
  await list(sink, 'ShipmentEventList', reportedOrders(world).map((order) => {
    const p = order.product;
    const c = p.market.currency;
    return {
      AmazonOrderId: order.id,
      MarketplaceName: p.market.salesChannel,
      PostedDate: posted(order.day, p),
      ShipmentItemList: [{
        SellerSKU: p.sku,
        OrderItemId: order.id.replace(/-/g, '').slice(3),
        QuantityShipped: order.quantity,
        ItemChargeList: [
          { ChargeType: 'Principal', ChargeAmount: amount(c, p.priceMinor * order.quantity) },
          { ChargeType: 'Tax', ChargeAmount: amount(c, taxOf(p, order.quantity)) },
        ],
        ItemFeeList: [
          { FeeType: 'FBAPerUnitFulfillmentFee', FeeAmount: amount(c, -order.feeChargedMinor) },
          { FeeType: 'Commission', FeeAmount: amount(c, -Math.round((p.priceMinor * order.quantity * 15) / 100)) },
        ],
      }],
    };
  }), false);
  const refunds = world.refunds.map((x, i) => ({ x, i })).sort((a, b) => a.x.day - b.x.day || a.i - b.i);
  await list(sink, 'RefundEventList', refunds.map(({ x }) => {
    const p = x.product;
    const c = p.market.currency;
    return {
      AmazonOrderId: x.orderId,
      MarketplaceName: p.market.salesChannel,
      PostedDate: posted(x.day, p),
      ShipmentItemAdjustmentList: [{
        SellerSKU: p.sku,
        QuantityShipped: x.quantity,
        ItemChargeAdjustmentList: [
          { ChargeType: 'Principal', ChargeAmount: amount(c, -p.priceMinor * x.quantity) },
          { ChargeType: 'Tax', ChargeAmount: amount(c, -taxOf(p, x.quantity)) },
        ],
        ItemFeeAdjustmentList: [{ FeeType: 'Commission', FeeAmount: amount(c, Math.round((p.priceMinor * x.quantity * 12) / 100)) }],
      }],
    };
  }), false);
  const paid = world.reimbursements
    .map((x, i) => ({ x, i, type: ADJUSTMENT_TYPES[x.reason], day: x.day + 4 }))
    .filter((a) => a.type !== undefined && a.x.cash > 0 && a.day <= world.asOf)
    .sort((a, b) => a.day - b.day || a.i - b.i);
  await list(sink, 'AdjustmentEventList', paid.map(({ x, type, day }) => {
    const p = x.product;
    const c = p.market.currency;
    return {
      AdjustmentType: type,
      PostedDate: posted(day, p),
      AdjustmentAmount: amount(c, x.amountPerUnitMinor * x.cash),
      AdjustmentItemList: [{
        Quantity: String(x.cash),
        PerUnitAmount: amount(c, x.amountPerUnitMinor),
        TotalAmount: amount(c, x.amountPerUnitMinor * x.cash),
        SellerSKU: p.sku,
        FnSKU: p.fnsku,
        ProductDescription: p.title,
        ASIN: p.asin,
      }],
    };
  }), true);
  await sink.write('}');
}
