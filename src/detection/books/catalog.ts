import type { CustomerReturnRow, FinancialEvent, FeePreviewRow, InboundRecord, LedgerRow, ReimbursementRow, RemovalRow } from '../rows.js';

/**
 * Which FNSKU and ASIN go with a SKU, learnt from every row that names them together, so that a
 * claim built from a refund (which names only the SKU) still says which FNSKU and ASIN it is about.
 * Its size is the seller's catalogue, not the files'.
 */
export class Catalog {
  private readonly fnskuBySku = new Map<string, string>();
  private readonly asinByFnsku = new Map<string, string>();
  private readonly asinBySku = new Map<string, string>();

  note(sku: string | undefined, fnsku: string | undefined, asin: string | undefined): void {
    // The first pairing seen wins; checking before setting keeps the ledger's hot loop cheap.
    if (sku && fnsku && !this.fnskuBySku.has(sku)) this.fnskuBySku.set(sku, fnsku);
    if (asin) {
      if (fnsku && !this.asinByFnsku.has(fnsku)) this.asinByFnsku.set(fnsku, asin);
      if (sku && !this.asinBySku.has(sku)) this.asinBySku.set(sku, asin);
    }
  }

  fnskuOf(sku: string): string | undefined {
    return this.fnskuBySku.get(sku);
  }

  asinOf(fnsku: string | undefined, sku: string): string | undefined {
    return (fnsku === undefined ? undefined : this.asinByFnsku.get(fnsku)) ?? this.asinBySku.get(sku);
  }

  readonly ledger = (r: LedgerRow): void => this.note(r.sku, r.fnsku, r.asin);
  readonly reimbursements = (r: ReimbursementRow): void => this.note(r.sku, r.fnsku, r.asin);
  readonly customerReturns = (r: CustomerReturnRow): void => this.note(r.sku, r.fnsku, r.asin);
  readonly removals = (r: RemovalRow): void => this.note(r.sku, r.fnsku, undefined);
  readonly feePreview = (r: FeePreviewRow): void => this.note(r.sku, r.fnsku, r.asin);
  readonly inbound = (r: InboundRecord): void => {
    if (r.kind === 'item') this.note(r.sku, r.fnsku, undefined);
  };
  readonly financialEvents = (e: FinancialEvent): void => {
    if (e.kind === 'adjustment') for (const item of e.items) this.note(item.sku, item.fnsku, item.asin);
  };
}
