import type { CustomerReturnRow, FeePreviewRow, FinancialEvent, InboundRecord, LedgerRow, ReimbursementRow, RemovalRow, RemovalShipmentRow, ReplacementRow } from '../rows.js';

interface Entry {
  fnsku: string | undefined;
  asin: string | undefined;
}

/**
 * Which FNSKU and ASIN go with a SKU, learnt from every row that names them together, so that a
 * claim built from a refund (which names only the SKU) still says which FNSKU and ASIN it is about.
 * Its size is the seller's catalogue, not the files'.
 */
export class Catalog {
  private readonly bySku = new Map<string, Entry>();
  private readonly asinByFnsku = new Map<string, string>();

  note(sku: string | undefined, fnsku: string | undefined, asin: string | undefined): void {
    if (!sku) return;
    // One lookup for the common case, a SKU already complete: this runs for every ledger row.
    const entry = this.bySku.get(sku);
    if (entry && entry.fnsku !== undefined && (entry.asin !== undefined || asin === undefined)) return;
    if (!entry) this.bySku.set(sku, { fnsku, asin });
    else {
      entry.fnsku ??= fnsku;
      entry.asin ??= asin;
    }
    if (fnsku && asin && !this.asinByFnsku.has(fnsku)) this.asinByFnsku.set(fnsku, asin);
  }

  fnskuOf(sku: string): string | undefined {
    return this.bySku.get(sku)?.fnsku;
  }

  asinOf(fnsku: string | undefined, sku: string): string | undefined {
    return (fnsku === undefined ? undefined : this.asinByFnsku.get(fnsku)) ?? this.bySku.get(sku)?.asin;
  }

  readonly ledger = (r: LedgerRow): void => this.note(r.sku, r.fnsku, r.asin);
  readonly reimbursements = (r: ReimbursementRow): void => this.note(r.sku, r.fnsku, r.asin);
  readonly customerReturns = (r: CustomerReturnRow): void => this.note(r.sku, r.fnsku, r.asin);
  readonly removals = (r: RemovalRow): void => this.note(r.sku, r.fnsku, undefined);
  readonly removalShipments = (r: RemovalShipmentRow): void => this.note(r.sku, r.fnsku, undefined);
  readonly replacements = (r: ReplacementRow): void => this.note(r.sku, undefined, r.asin);
  readonly feePreview = (r: FeePreviewRow): void => this.note(r.sku, r.fnsku, r.asin);
  readonly inbound = (r: InboundRecord): void => {
    if (r.kind === 'item') this.note(r.sku, r.fnsku, undefined);
  };
  readonly financialEvents = (e: FinancialEvent): void => {
    if (e.kind === 'adjustment') for (const item of e.items) this.note(item.sku, item.fnsku, item.asin);
  };
}
