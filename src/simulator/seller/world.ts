/**
 * The seller's structural activity, held in memory: orders, returns, refunds, reimbursements,
 * inbound shipments, removals and the ledger events they cause. Its size is bounded by the order
 * count, not by the ledger rows asked for; the ledger's filler rows are streamed at write time.
 *
 * The claims it plants are described in detection's output vocabulary, written down here from
 * DETECTION.md rather than imported: the ground truth is derived from what was planted, never
 * from detection's code, so a test comparing the two catches a claim type or key detection gets wrong.
 */
import type { Product } from './catalog.js';
import { Ids, Random } from './random.js';

/** The eleven claim types of DETECTION.md (version 2). */
export type ClaimType =
  | 'lost_warehouse'
  | 'damaged_warehouse'
  | 'inbound_shortage'
  | 'refund_not_returned'
  | 'return_damaged'
  | 'replacement_not_returned'
  | 'removal_shortfall'
  | 'removal_lost_in_transit'
  | 'fee_overcharge'
  | 'underpaid_reimbursement'
  | 'reimbursement_reversal';

/** The fields that identify a claim, as DETECTION.md names them. */
export interface ClaimKey {
  readonly fnsku?: string;
  /** A ledger event's Reference ID, or its day (YYYY-MM-DD) when it has none (DETECTION.md version 2). */
  readonly reference_id?: string;
  readonly shipment_id?: string;
  readonly order_id?: string;
  readonly removal_order_id?: string;
  readonly sku?: string;
  readonly tracking_number?: string;
  readonly reimbursement_id?: string;
}

/** One claim detection should find: a line of ground-truth.jsonl. */
export interface ExpectedClaim {
  readonly type: ClaimType;
  readonly key: ClaimKey;
  /** null only when the amount is unknown (null). */
  readonly currency: string | null;
  readonly quantity: number;
  /** Integer minor units, or null when neither a unit cost nor a sale price is known. */
  readonly amount: number | null;
  readonly status: 'eligible' | 'pending' | 'expired';
  readonly deadline: string;
  /** What was planted, in words. */
  readonly scenario: string;
}

/** Something planted that looks like a claim but must not be one. */
export interface PlantedNegative {
  readonly type: ClaimType;
  readonly key: ClaimKey;
  readonly why: string;
}

export interface LedgerEvent {
  readonly day: number;
  readonly product: Product;
  readonly eventType: 'Receipts' | 'Shipments' | 'CustomerReturns' | 'Adjustments' | 'VendorReturns' | 'WhseTransfers';
  readonly referenceId: string;
  readonly quantity: number;
  readonly fc: string;
  readonly disposition: string;
  readonly reason: string;
  readonly reconciled: number;
  readonly unreconciled: number;
}

export interface Order {
  readonly id: string;
  readonly day: number;
  readonly product: Product;
  readonly quantity: number;
  readonly fc: string;
  readonly outboundShipment: string;
  /** The FBAPerUnitFulfillmentFee charged for the whole line (quantity units), minor units. */
  readonly feeChargedMinor: number;
  /** False for an order placed before the shipments report's window. */
  readonly inReport: boolean;
}

export interface Refund {
  readonly orderId: string;
  readonly day: number;
  readonly product: Product;
  readonly quantity: number;
}

export interface CustomerReturn {
  readonly orderId: string;
  readonly day: number;
  readonly product: Product;
  readonly quantity: number;
  readonly fc: string;
  readonly disposition: 'SELLABLE' | 'DAMAGED' | 'CARRIER_DAMAGED' | 'CUSTOMER_DAMAGED' | 'DEFECTIVE';
  readonly reason: string;
}

export interface Reimbursement {
  readonly day: number;
  readonly id: string;
  /** Empty for what Amazon paid on its own: only a case id ties a payment to a claim someone filed. */
  readonly caseId: string;
  readonly orderId: string;
  readonly reason: 'Lost_Warehouse' | 'Damaged_Warehouse' | 'Lost_Inbound' | 'CustomerReturn' | 'CustomerServiceIssue' | 'Reimbursement_Reversal';
  readonly product: Product;
  readonly amountPerUnitMinor: number;
  /** Negative on a reversal: the units Amazon takes the money back for. */
  readonly cash: number;
  readonly inventory: number;
  /** A reversal names the reimbursement it takes back. */
  readonly original?: Reimbursement;
}

export interface InboundShipment {
  readonly id: string;
  readonly name: string;
  readonly status: 'CLOSED' | 'RECEIVING' | 'SHIPPED' | 'WORKING';
  readonly fc: string;
  readonly items: { readonly product: Product; readonly shipped: number; readonly received: number }[];
}

export interface Removal {
  readonly id: string;
  readonly requestDay: number;
  readonly lastDay: number;
  readonly type: 'Return' | 'Disposal';
  readonly status: 'Completed' | 'Pending' | 'Cancelled';
  readonly product: Product;
  readonly requested: number;
  readonly cancelled: number;
  readonly disposed: number;
  readonly shipped: number;
  readonly inProcess: number;
}

/** A free replacement Amazon shipped a customer for an order (the replacements report). */
export interface Replacement {
  readonly day: number;
  readonly original: Order;
  readonly replacementOrderId: string;
  readonly quantity: number;
  readonly fc: string;
  readonly reasonCode: string;
}

/**
 * A parcel of a removal order on its way back to the seller (the removal shipments report), and
 * what the seller recorded of it in removal-receipts.csv. Removals without a planted parcel get
 * one parcel of all their shipped units, received in full (removalParcels in write-reports.ts).
 */
export interface RemovalParcel {
  readonly removal: Removal;
  readonly day: number;
  readonly shipped: number;
  readonly carrier: string;
  readonly tracking: string;
  /** The seller's receipt: none (no row) when the parcel never came; `tracking` as the seller typed it. */
  readonly receipt?: { readonly units: number; readonly day?: number; readonly tracking?: string };
}

export class World {
  readonly products: Product[] = [];
  readonly orders: Order[] = [];
  readonly refunds: Refund[] = [];
  readonly returns: CustomerReturn[] = [];
  readonly reimbursements: Reimbursement[] = [];
  readonly inbound: InboundShipment[] = [];
  readonly removals: Removal[] = [];
  readonly replacements: Replacement[] = [];
  readonly parcels: RemovalParcel[] = [];
  readonly expected: ExpectedClaim[] = [];
  readonly negatives: PlantedNegative[] = [];
  private readonly ledgerByDay = new Map<number, LedgerEvent[]>();
  private ledgerCount = 0;
  readonly ids: Ids;

  constructor(
    readonly seed: number,
    readonly asOf: number,
    /** First day of the activity (as-of minus the months asked for). */
    readonly start: number,
  ) {
    this.ids = new Ids(Random.stream(seed, 'ids'));
  }

  ledger(event: Pick<LedgerEvent, 'day' | 'product' | 'eventType' | 'quantity'> & Partial<LedgerEvent>): void {
    const full: LedgerEvent = {
      referenceId: '',
      reason: '',
      fc: event.product.market.fulfillmentCenters[0] ?? '',
      disposition: 'SELLABLE',
      reconciled: 0,
      unreconciled: 0,
      ...event,
    };
    const list = this.ledgerByDay.get(full.day);
    if (list) list.push(full);
    else this.ledgerByDay.set(full.day, [full]);
    this.ledgerCount++;
  }

  /** Structural ledger events of one day, in the order they were added. */
  ledgerOn(day: number): readonly LedgerEvent[] {
    return this.ledgerByDay.get(day) ?? [];
  }

  get ledgerEvents(): number {
    return this.ledgerCount;
  }

  /** The first and last day with a structural ledger event (planted events may predate `start`). */
  ledgerSpan(): { first: number; last: number } {
    const days = [...this.ledgerByDay.keys()];
    return { first: Math.min(this.start, ...days), last: this.asOf };
  }

  /** Status of a claim at as-of, as DETECTION.md defines it: expired wins over pending. */
  status(deadline: number, pendingUntil?: number): ExpectedClaim['status'] {
    if (this.asOf > deadline) return 'expired';
    if (pendingUntil !== undefined && this.asOf < pendingUntil) return 'pending';
    return 'eligible';
  }
}
