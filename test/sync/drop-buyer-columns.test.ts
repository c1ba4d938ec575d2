// The shipments report's buyer columns are cut from the header and every line alike, and what
// detection reads from that report is left as it was.
import { describe, expect, it } from 'vitest';
import { buyerColumnCut, isBuyerColumn } from '../../src/sync/drop-buyer-columns.js';

// Amazon's GET_AMAZON_FULFILLED_SHIPMENTS_DATA_GENERAL header (AMAZON.md §2).
const HEADER = ['amazon-order-id', 'merchant-order-id', 'shipment-id', 'shipment-item-id', 'amazon-order-item-id', 'merchant-order-item-id', 'purchase-date',
  'payments-date', 'shipment-date', 'reporting-date', 'buyer-email', 'buyer-name', 'buyer-phone-number', 'sku', 'product-name', 'quantity-shipped', 'currency',
  'item-price', 'item-tax', 'shipping-price', 'shipping-tax', 'gift-wrap-price', 'gift-wrap-tax', 'ship-service-level', 'recipient-name', 'ship-address-1',
  'ship-address-2', 'ship-address-3', 'ship-city', 'ship-state', 'ship-postal-code', 'ship-country', 'ship-phone-number', 'bill-address-1', 'bill-address-2',
  'bill-address-3', 'bill-city', 'bill-state', 'bill-postal-code', 'bill-country', 'item-promotion-discount', 'ship-promotion-discount', 'carrier',
  'tracking-number', 'estimated-arrival-date', 'fulfillment-center-id', 'fulfillment-channel', 'sales-channel'];
const BUYER = ['buyer-email', 'buyer-name', 'buyer-phone-number', 'recipient-name', 'ship-address-1', 'ship-address-2', 'ship-address-3', 'ship-city',
  'ship-state', 'ship-postal-code', 'ship-country', 'ship-phone-number', 'bill-address-1', 'bill-address-2', 'bill-address-3', 'bill-city', 'bill-state',
  'bill-postal-code', 'bill-country'];

/** A line whose every cell names its column, buyer cells holding recognisable personal data. */
const line = HEADER.map((h) => (BUYER.includes(h) ? `PII:${h}` : `v:${h}`)).join('\t');

describe('cutting buyer columns from a report', () => {
  it('names exactly the buyer name, e-mail, phone and address columns, in any spelling', () => {
    expect(HEADER.filter(isBuyerColumn)).toEqual(BUYER);
    expect(['Buyer Email', 'SHIP_POSTAL_CODE', 'Bill Country'].every(isBuyerColumn)).toBe(true);
    expect(['ship-service-level', 'shipment-date', 'ship-promotion-discount', 'shipping-price', 'sku'].some(isBuyerColumn)).toBe(false);
  });

  it('keeps the header and each line in step, with every column detection reads', () => {
    const cut = buyerColumnCut(HEADER.join('\t'));
    const kept = HEADER.filter((h) => !BUYER.includes(h));
    expect(cut?.header).toBe(kept.join('\t'));
    const out = cut?.line(line) ?? '';
    expect(out).not.toMatch(/PII/);
    expect(out.split('\t')).toEqual(kept.map((h) => `v:${h}`));
    // What detection needs from the shipments report (src/detection/read/customer-shipments.ts).
    for (const c of ['amazon-order-id', 'sku', 'quantity-shipped', 'currency', 'item-price']) expect(kept).toContain(c);
  });

  it('does not store a line of another width, whose buyer data could sit anywhere', () => {
    const cut = buyerColumnCut(HEADER.join('\t'));
    expect(cut?.line(`${line}\textra`)).toBeUndefined();
    expect(cut?.line(line.split('\t').slice(0, 20).join('\t'))).toBeUndefined();
  });

  it('leaves a report without buyer columns alone', () => {
    expect(buyerColumnCut('request-date\torder-id\tshipment-date\tsku\tfnsku\tdisposition\tshipped-quantity\tcarrier\ttracking-number\tremoval-order-type')).toBeUndefined();
  });
});
