/**
 * Parsed input rows: what the file readers produce and what the rules consume. The service can
 * build the same rows from its database, so detection does not depend on files.
 * Every row carries the file and line it came from; claims cite them as evidence.
 */
import type { Money } from '../domain/money.js';
import type { Day, SourceRef } from './types.js';

/** GET_LEDGER_DETAIL_VIEW_DATA: one inventory event. */
export interface LedgerRow {
  readonly source: SourceRef;
  readonly day: Day;
  readonly fnsku: string;
  readonly sku: string;
  readonly asin?: string;
  /** As written: "Adjustments", "Receipts", "CustomerReturns", ... */
  readonly eventType: string;
  /** For `Receipts`, the inbound shipment id. */
  readonly referenceId: string;
  /** Signed: losses and damages are negative. */
  readonly quantity: number;
  /** Adjustment reason code (M, 5, F, N, E, ...); empty for other events. */
  readonly reason: string;
  /** Marketplace country (US, CA, DE...), when the report has it. */
  readonly country?: string;
  /** The fulfilment centre (PHX7...), which Amazon's claim form asks for. */
  readonly fulfillmentCenter?: string;
  readonly disposition?: string;
  /** Units of the event not yet reconciled (found, reimbursed...), when the report has the column. */
  readonly unreconciled?: number;
}

/** GET_FBA_REIMBURSEMENTS_DATA: one reimbursement line Amazon approved. */
export interface ReimbursementRow {
  readonly source: SourceRef;
  /** Approval date. */
  readonly day: Day;
  readonly reimbursementId: string;
  readonly orderId?: string;
  /** As written, e.g. Lost_Warehouse. */
  readonly reason: string;
  readonly sku: string;
  readonly fnsku?: string;
  readonly asin?: string;
  readonly amountPerUnit: Money;
  readonly quantityCash: number;
  readonly quantityInventory: number;
  readonly quantityTotal: number;
  /** amount-total; negative on a reversal. */
  readonly amountTotal?: Money;
  /** On a reversal or clawback: the reimbursement it takes back. */
  readonly originalReimbursementId?: string;
}

/** GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA. */
export interface CustomerReturnRow {
  readonly source: SourceRef;
  readonly day: Day;
  readonly orderId: string;
  readonly sku: string;
  readonly fnsku?: string;
  readonly asin?: string;
  readonly quantity: number;
  /** detailed-disposition, upper-cased: SELLABLE, DAMAGED, CUSTOMER_DAMAGED, ... */
  readonly disposition: string;
  readonly fulfillmentCenter?: string;
}

/** GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA. */
export interface RemovalRow {
  readonly source: SourceRef;
  /** last-updated-date. */
  readonly day: Day;
  readonly orderId: string;
  readonly orderStatus: string;
  readonly sku: string;
  readonly fnsku?: string;
  readonly requested: number;
  readonly cancelled: number;
  readonly disposed: number;
  readonly shipped: number;
  readonly inProcess: number;
  /** The removal fee's currency, which is the marketplace's. */
  readonly currency?: string;
}

/** GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA: one carrier shipment of a removal order. */
export interface RemovalShipmentRow {
  readonly source: SourceRef;
  /** shipment-date. */
  readonly day: Day;
  readonly orderId: string;
  readonly sku: string;
  readonly fnsku?: string;
  readonly shipped: number;
  readonly carrier?: string;
  /** Empty when Amazon gave none. */
  readonly trackingNumber: string;
}

/** GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA: a free replacement Amazon shipped. */
export interface ReplacementRow {
  readonly source: SourceRef;
  /** shipment-date of the replacement. */
  readonly day: Day;
  readonly sku: string;
  readonly asin?: string;
  readonly quantity: number;
  readonly fulfillmentCenter?: string;
  readonly originalFulfillmentCenter?: string;
  readonly reasonCode?: string;
  readonly replacementOrderId?: string;
  readonly originalOrderId: string;
}

/** removal-receipts.csv: what the seller says arrived of one removal shipment. */
export interface RemovalReceiptRow {
  readonly source: SourceRef;
  readonly orderId: string;
  readonly sku: string;
  /** Empty when the seller gave none. */
  readonly trackingNumber: string;
  readonly received: number;
  /** received_date; absent on a row that records nothing arrived. */
  readonly day?: Day;
}

/** GET_AMAZON_FULFILLED_SHIPMENTS_DATA_GENERAL: one shipped order item. */
export interface CustomerShipmentRow {
  readonly source: SourceRef;
  readonly orderId: string;
  readonly sku: string;
  readonly quantity: number;
  /** item-price: the price of all `quantity` units of the line. */
  readonly itemPrice: Money;
}

/** GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA: the current expected fulfilment fee per unit. */
export interface FeePreviewRow {
  readonly source: SourceRef;
  readonly sku: string;
  readonly fnsku?: string;
  readonly asin?: string;
  readonly expectedFee: Money;
}

/** costs.csv: the seller's unit cost of a SKU in one currency. */
export interface CostRow {
  readonly source: SourceRef;
  readonly sku: string;
  readonly unitCost: Money;
}

/** inbound-shipments.json: a shipment (getShipments) or one of its items (getShipmentItems). */
export type InboundRecord =
  | { readonly kind: 'shipment'; readonly source: SourceRef; readonly shipmentId: string; readonly status: string }
  | {
      readonly kind: 'item';
      readonly source: SourceRef;
      readonly shipmentId: string;
      readonly sku: string;
      readonly fnsku?: string;
      readonly shipped: number;
      readonly received: number;
    };

export interface ShipmentEventItem {
  readonly sku: string;
  readonly quantity: number;
  /** Sum of the item's FBAPerUnitFulfillmentFee charges, as a positive amount; absent if none. */
  readonly fulfillmentFee?: Money;
}

export interface RefundEventItem {
  readonly sku: string;
  readonly quantity: number;
  /** Refunded principal (tax excluded), as a positive amount; absent if the event has none. */
  readonly principal?: Money;
}

export interface AdjustmentEventItem {
  readonly sku?: string;
  readonly fnsku?: string;
  readonly asin?: string;
  readonly quantity: number;
}

/** financial-events.json: one event of ShipmentEventList, RefundEventList or AdjustmentEventList. */
export type FinancialEvent =
  | {
      readonly kind: 'shipment';
      readonly source: SourceRef;
      readonly day: Day;
      readonly orderId: string;
      readonly items: readonly ShipmentEventItem[];
    }
  | {
      readonly kind: 'refund';
      readonly source: SourceRef;
      readonly day: Day;
      readonly orderId: string;
      readonly items: readonly RefundEventItem[];
    }
  | {
      readonly kind: 'adjustment';
      readonly source: SourceRef;
      readonly day: Day;
      /** As written: WAREHOUSE_LOST, WAREHOUSE_DAMAGE, MISSING_FROM_INBOUND, ... */
      readonly adjustmentType: string;
      readonly items: readonly AdjustmentEventItem[];
    };

/**
 * transactions.json (Finances 2024-06-19): refunds and shipment fees only. That API cannot say
 * which reimbursement a payment is, so it never yields adjustments.
 */
export type TransactionEvent = Extract<FinancialEvent, { readonly kind: 'shipment' | 'refund' }>;

type Rows<T> = Iterable<T> | AsyncIterable<T>;

/**
 * Everything detection can read, one stream per input file; a missing stream is a missing file.
 * Streams are read once each, in SOURCE_ORDER.
 */
export interface RowSources {
  readonly costs?: Rows<CostRow>;
  readonly removalReceipts?: Rows<RemovalReceiptRow>;
  readonly feePreview?: Rows<FeePreviewRow>;
  readonly inbound?: Rows<InboundRecord>;
  readonly financialEvents?: Rows<FinancialEvent>;
  /** Read only when `financialEvents` is absent: the two are views of the same money. */
  readonly transactions?: Rows<TransactionEvent>;
  readonly replacements?: Rows<ReplacementRow>;
  readonly customerReturns?: Rows<CustomerReturnRow>;
  readonly removals?: Rows<RemovalRow>;
  readonly removalShipments?: Rows<RemovalShipmentRow>;
  readonly reimbursements?: Rows<ReimbursementRow>;
  readonly ledger?: Rows<LedgerRow>;
  readonly customerShipments?: Rows<CustomerShipmentRow>;
}
export type SourceName = keyof RowSources;

/**
 * The order in which sources are read. It is part of the contract: small sources come first, so
 * that the rules can keep only the rows of the large ones (ledger, customer shipments) that
 * concern a candidate claim, and memory does not grow with those files.
 */
export const SOURCE_ORDER: readonly SourceName[] = [
  'costs',
  'removalReceipts',
  'feePreview',
  'inbound',
  'financialEvents',
  'transactions',
  'replacements',
  'customerReturns',
  'removals',
  'removalShipments',
  'reimbursements',
  'ledger',
  'customerShipments',
];
