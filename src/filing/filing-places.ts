// Where in Seller Central a person files each claim type, and how. Amazon has no API that opens a
// reimbursement case, so with a real account every case is filed by hand: this is the map. Pure.
//
// The places follow Amazon's help pages on reimbursement claims: fulfilment-centre losses and
// damage, and customer returns, from the Inventory Defect & Reimbursement page's "Eligible for
// claim" tab (lost units by FNSKU or Transaction Item ID, damaged units by Transaction Item ID);
// inbound shortages from the shipment's Reconcile tab ("Research missing units"); removals, fee
// disputes and reimbursement disputes through Contact Us. docs/filing.md says the same for people.
import type { ClaimType } from '../detection/types.js';

export interface FilingPlace {
  /** Short, for lists: "Inventory Defect & Reimbursement › Eligible for claim". */
  readonly place: string;
  readonly steps: readonly string[];
  readonly url: string;
}

/**
 * The Seller Central site of the claim's marketplace, told by its currency. EUR opens the German
 * site: every EU marketplace of one account is reached from any of its EU sites. Unknown or no
 * currency: the US site.
 */
const HOSTS: Readonly<Record<string, string>> = {
  USD: 'sellercentral.amazon.com',
  CAD: 'sellercentral.amazon.ca',
  MXN: 'sellercentral.amazon.com.mx',
  BRL: 'sellercentral.amazon.com.br',
  GBP: 'sellercentral.amazon.co.uk',
  EUR: 'sellercentral.amazon.de',
  SEK: 'sellercentral.amazon.se',
  PLN: 'sellercentral.amazon.pl',
  TRY: 'sellercentral.amazon.com.tr',
  AED: 'sellercentral.amazon.ae',
  SAR: 'sellercentral.amazon.sa',
  EGP: 'sellercentral.amazon.eg',
  INR: 'sellercentral.amazon.in',
  JPY: 'sellercentral.amazon.co.jp',
  AUD: 'sellercentral.amazon.com.au',
  SGD: 'sellercentral.amazon.sg',
};

export function sellerCentralHost(currency: string | null | undefined): string {
  return (currency && HOSTS[currency.toUpperCase()]) ?? 'sellercentral.amazon.com';
}

// Amazon's help pages; each holds the sign-in tool that checks eligibility and starts the claim
// from the id it asks for.
const HELP = {
  fulfillmentCenter: 'GGEV4254LJJ9BAEG',
  customerReturns: 'G9N934L7Y4SFWPJ4',
  reconcileShipment: 'G201214140',
  removals: 'G9ZB3H4DP4H72U6R',
} as const;

const help = (host: string, id: string) => `https://${host}/help/hub/reference/external/${id}`;
const contactUs = (host: string) => `https://${host}/cu/contact-us`;

const LAST_STEP = 'Paste the case text, attach the files of the evidence download, submit, then record here the case ID Amazon shows.';

interface PlaceSpec {
  readonly place: string;
  readonly steps: readonly string[];
  readonly url: (host: string) => string;
}

const IDR = 'Inventory Defect & Reimbursement › Eligible for claim';
const REIMBURSEMENT_DISPUTE: PlaceSpec = {
  place: 'Contact Us › Fulfillment by Amazon › Reimbursement',
  steps: [
    'Open Help › Get support (Contact Us) in Seller Central.',
    'Choose Fulfillment by Amazon, then the issue about a reimbursement.',
    'Give the Reimbursement ID below, the SKU and the amount you ask for; one case per reimbursement.',
    LAST_STEP,
  ],
  url: contactUs,
};
const REMOVAL: PlaceSpec = {
  place: 'Contact Us › Fulfillment by Amazon › Removal order',
  steps: [
    "Open Amazon's removal claims help page (the link) and enter the removal order ID in its tool: it checks eligibility and opens the case.",
    'Or open Case Log › Help (Contact Us) in Seller Central and choose Fulfillment by Amazon, then the issue about a removal order.',
    'Give the removal order ID, the tracking number where there is one, the FNSKU and the quantity.',
    LAST_STEP,
  ],
  url: (host) => help(host, HELP.removals),
};
const CUSTOMER_RETURN = (what: string): PlaceSpec => ({
  place: IDR,
  steps: [
    'Open the Inventory Defect & Reimbursement page in Seller Central (the link opens the customer return claims help page, whose tool leads there).',
    `On the "Eligible for claim" tab, find the order by its Order ID: ${what}.`,
    'Start the claim for that order and enter the quantity below.',
    'If the order is not listed, open Contact Us › Fulfillment by Amazon › customer return and give the same Order ID.',
    LAST_STEP,
  ],
  url: (host) => help(host, HELP.customerReturns),
});

const PLACES: Readonly<Record<ClaimType, PlaceSpec>> = {
  lost_warehouse: {
    place: IDR,
    steps: [
      'Open the Inventory Defect & Reimbursement page in Seller Central (the link opens the fulfillment center claims help page, whose tool leads there).',
      'On the "Eligible for claim" tab, find the lost unit by its Transaction Item ID, or by its FNSKU.',
      'Start the claim and enter the quantity below: one claim per Transaction Item ID.',
      'If the unit is not listed, open Contact Us › Fulfillment by Amazon › lost inventory and give the Transaction Item ID or FNSKU, the fulfillment center and the date.',
      LAST_STEP,
    ],
    url: (host) => help(host, HELP.fulfillmentCenter),
  },
  damaged_warehouse: {
    place: IDR,
    steps: [
      'Open the Inventory Defect & Reimbursement page in Seller Central (the link opens the fulfillment center claims help page, whose tool leads there).',
      'On the "Eligible for claim" tab, find the damaged unit by its Transaction Item ID: damaged units are claimed by Transaction Item ID only.',
      'Start the claim and enter the quantity below: one claim per Transaction Item ID.',
      LAST_STEP,
    ],
    url: (host) => help(host, HELP.fulfillmentCenter),
  },
  inbound_shortage: {
    place: 'Shipments › Reconcile › Research missing units',
    steps: [
      'Open Shipments (Send to Amazon) in Seller Central and find the Shipment ID below; its status must be Closed.',
      'Open the shipment, then its Reconcile tab (Contents, in some views).',
      'For each SKU below choose "Research missing units" and enter the missing quantity.',
      'Upload the proof of ownership (supplier invoice with date, product names and quantities) and the proof of delivery.',
      LAST_STEP,
    ],
    url: (host) => help(host, HELP.reconcileShipment),
  },
  refund_not_returned: CUSTOMER_RETURN('the customer was refunded and the unit never came back'),
  return_damaged: CUSTOMER_RETURN('the customer returned the unit and it arrived damaged by Amazon or the carrier'),
  replacement_not_returned: CUSTOMER_RETURN('a replacement was sent and the original unit never came back'),
  removal_shortfall: REMOVAL,
  removal_lost_in_transit: REMOVAL,
  fee_overcharge: {
    place: 'Contact Us › FBA fees (fee dispute)',
    steps: [
      'Open Help › Get support (Contact Us) in Seller Central.',
      'Choose Fulfillment by Amazon › FBA fees, then the issue about a fee charged for the wrong size or weight.',
      "Give the SKU and ASIN below: one claim per fee charge. Amazon's own measurement governs unless you send yours.",
      'Attach your measured dimensions and weight and the photos of the unit on a scale and beside a tape measure.',
      LAST_STEP,
    ],
    url: contactUs,
  },
  underpaid_reimbursement: REIMBURSEMENT_DISPUTE,
  reimbursement_reversal: REIMBURSEMENT_DISPUTE,
};

/** A type this version does not know (a newer detection's): Contact Us, which takes any case. */
const FALLBACK: PlaceSpec = {
  place: 'Contact Us › Fulfillment by Amazon',
  steps: ['Open Help › Get support (Contact Us) in Seller Central.', 'Choose Fulfillment by Amazon and the issue closest to this claim.', LAST_STEP],
  url: contactUs,
};

const specOf = (type: string): PlaceSpec => (PLACES as Readonly<Record<string, PlaceSpec>>)[type] ?? FALLBACK;

/** The short place name of a claim type, for lists (File today). */
export function placeName(type: string): string {
  return specOf(type).place;
}

/** Where and how to file a case of this type, on the Seller Central site of its currency. */
export function filingPlace(type: string, currency: string | null | undefined): FilingPlace {
  const spec = specOf(type);
  return { place: spec.place, steps: spec.steps, url: spec.url(sellerCentralHost(currency)) };
}
