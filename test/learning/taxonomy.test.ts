// Amazon's case replies, as sellers receive them, read into the taxonomy.
import { describe, expect, it } from 'vitest';
import { actionFor, classifyRejection, missingDocuments, readRejection, REJECTION_CODES, type RejectionCode } from '../../src/domain/rejection.js';

const TABLE: ReadonlyArray<readonly [string, RejectionCode]> = [
  [
    'Hello, we have reviewed your request. To process the reimbursement, please provide a valid supplier invoice or proof of ownership for the units in question. Invoices must show your name and address.',
    'missing_proof_of_ownership',
  ],
  ['We require an invoice that lists the ASIN and quantities; the invoice you provided was not included in the case.', 'missing_proof_of_ownership'],
  ['Please attach the manufacturer invoice dated before the inventory event so we can validate your claim.', 'missing_proof_of_ownership'],
  [
    'Per our FBA Inventory Reimbursement Policy, reimbursement requests must be filed within 60 days of the inventory event. This request is outside the eligible timeframe.',
    'outside_window',
  ],
  ['Unfortunately the claim window has expired for shipment FBA17XYZ. We cannot reopen it.', 'outside_window'],
  ['Your request was submitted more than 120 days after the refund was issued and is not eligible.', 'outside_window'],
  ['Our records show these units have already been reimbursed on 2026-09-14 (reimbursement ID 1234567890).', 'already_reimbursed'],
  ['A reimbursement was already issued for this FNSKU. Please check the Reimbursements report.', 'already_reimbursed'],
  ['This appears to be a duplicate claim of case 17234567801; no further action is needed.', 'already_reimbursed'],
  ['After investigation, the 3 units were found in our fulfillment center and have been reconciled to your sellable inventory.', 'units_found'],
  ['We located the missing units; they were returned to your fulfillable inventory on Oct 2.', 'units_found'],
  ['We are unable to verify the shipment quantity. Please provide proof of delivery (POD) or the carrier tracking number.', 'insufficient_information'],
  ['Additional information is required to investigate. Please provide the bill of lading for this LTL shipment.', 'insufficient_information'],
  ['The information provided is insufficient for us to complete the investigation.', 'insufficient_information'],
  ['Thank you for contacting Seller Support. We have closed this case.', 'other'],
  ['', 'other'],
];

describe('the rejection taxonomy', () => {
  it.each(TABLE)('reads %j as %s', (text, code) => {
    expect(classifyRejection(text)).toBe(code);
  });

  it('reads a missing reason as other', () => {
    expect(classifyRejection(null)).toBe('other');
    expect(readRejection(undefined, 'lost_warehouse')).toEqual({ code: 'other', rawText: null, action: 'review', needs: [] });
  });

  it('reprompts what can be fixed and closes what cannot', () => {
    const actions = Object.fromEntries(REJECTION_CODES.map((c) => [c, actionFor(c)]));
    expect(actions).toEqual({
      missing_proof_of_ownership: 'reprompt',
      insufficient_information: 'reprompt',
      outside_window: 'closed',
      already_reimbursed: 'closed',
      units_found: 'closed',
      other: 'review',
    });
  });

  it('asks for exactly the document Amazon names, else what the claim type is proven with', () => {
    expect(missingDocuments('missing_proof_of_ownership', 'please provide a supplier invoice', 'lost_warehouse')).toEqual(['upload_invoice']);
    expect(missingDocuments('insufficient_information', 'Please provide proof of delivery (POD)', 'lost_warehouse')).toEqual(['upload_proof_of_delivery']);
    expect(missingDocuments('insufficient_information', 'we need the invoice and the tracking number', 'inbound_shortage')).toEqual([
      'upload_invoice',
      'upload_proof_of_delivery',
    ]);
    expect(missingDocuments('insufficient_information', 'The information provided is insufficient', 'inbound_shortage')).toEqual(['upload_proof_of_delivery']);
    expect(missingDocuments('insufficient_information', 'The information provided is insufficient', 'damaged_warehouse')).toEqual(['upload_invoice']);
    expect(missingDocuments('already_reimbursed', 'invoice', 'lost_warehouse')).toEqual([]);
  });

  it('keeps the raw text beside the code', () => {
    const text = 'These units have already been reimbursed.';
    expect(readRejection(text, 'lost_warehouse')).toMatchObject({ code: 'already_reimbursed', rawText: text, action: 'closed' });
  });
});
