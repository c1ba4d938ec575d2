import type { Ids, Random } from './random.js';

export type MarketplaceCode = 'US' | 'CA' | 'UK' | 'DE';

export interface Marketplace {
  readonly code: MarketplaceCode;
  /** The ledger's Country column: Amazon writes GB for the UK store. */
  readonly country: string;
  readonly currency: string;
  /** Offset and zone name of the dates Amazon writes for this store (no daylight saving: simpler, same days). */
  readonly offset: string;
  readonly zone: string;
  readonly fulfillmentCenters: readonly string[];
  readonly salesChannel: string;
  readonly cities: readonly (readonly [city: string, state: string, postal: string])[];
}

export const MARKETPLACES: Readonly<Record<MarketplaceCode, Marketplace>> = {
  US: {
    code: 'US', country: 'US', currency: 'USD', offset: '-08:00', zone: 'PST',
    fulfillmentCenters: ['PHX3', 'ONT8', 'BFI4', 'MDW2', 'TEB9'], salesChannel: 'Amazon.com',
    cities: [['SEATTLE', 'WA', '98101'], ['AUSTIN', 'TX', '78701'], ['DENVER', 'CO', '80202'], ['COLUMBUS', 'OH', '43215']],
  },
  CA: {
    code: 'CA', country: 'CA', currency: 'CAD', offset: '-08:00', zone: 'PST',
    fulfillmentCenters: ['YYZ4', 'YVR2', 'YYC1'], salesChannel: 'Amazon.ca',
    cities: [['TORONTO', 'ON', 'M5V 2T6'], ['VANCOUVER', 'BC', 'V6B 1A1'], ['CALGARY', 'AB', 'T2P 1J9']],
  },
  UK: {
    code: 'UK', country: 'GB', currency: 'GBP', offset: '+00:00', zone: 'GMT',
    fulfillmentCenters: ['LBA1', 'BHX4', 'MAN1'], salesChannel: 'Amazon.co.uk',
    cities: [['LEEDS', '', 'LS1 4AP'], ['BRISTOL', '', 'BS1 5TR'], ['LONDON', '', 'EC1A 1BB']],
  },
  DE: {
    code: 'DE', country: 'DE', currency: 'EUR', offset: '+01:00', zone: 'CET',
    fulfillmentCenters: ['FRA7', 'DUS2', 'LEJ1'], salesChannel: 'Amazon.de',
    cities: [['BERLIN', '', '10115'], ['MUENCHEN', '', '80331'], ['KOELN', '', '50667']],
  },
};

export interface Product {
  readonly sku: string;
  readonly fnsku: string;
  readonly asin: string;
  readonly title: string;
  readonly market: Marketplace;
  /** The seller's unit cost in the store's currency; null when costs.csv leaves the SKU out. */
  readonly costMinor: number | null;
  /** Sale price per unit: constant, so the average sale price is the price. */
  readonly priceMinor: number;
  /** The fee preview's expected fulfilment fee per unit: what Amazon should charge. */
  readonly feeMinor: number;
  /** Background products carry ordinary noise (losses found again, auto-reimbursed damage); planted ones never do. */
  readonly planted: boolean;
  /** False for a product that never sold: no shipments report line, so no sale-price fallback either. */
  readonly sells: boolean;
}

const ADJECTIVES = ['Bamboo', 'Stainless', 'Ceramic', 'Organic', 'Foldable', 'Insulated', 'Magnetic', 'Silicone', 'Waterproof', 'Linen'];
const NOUNS = ['Cutting Board', 'Water Bottle', 'Yoga Mat', 'Phone Stand', 'Spice Rack', 'Lunch Box', 'Desk Lamp', 'Dog Leash', 'Tea Towel', 'Garlic Press'];
const VARIANTS = ['Black', 'White', 'Sage', 'Large', 'Small', '2-Pack', 'Navy', 'Natural'];

export interface ProductOptions {
  readonly planted: boolean;
  readonly withCost?: boolean;
  readonly sells?: boolean;
}

/** Makes products with Amazon-looking identifiers; the marketplace is chosen by the caller. */
export class ProductFactory {
  private count = 0;

  constructor(
    private readonly random: Random,
    private readonly ids: Ids,
  ) {}

  make(market: Marketplace, options: ProductOptions): Product {
    const n = ++this.count;
    const r = this.random;
    const noun = r.pick(NOUNS);
    const variant = r.pick(VARIANTS);
    const costMinor = r.int(180, 2400);
    // Marked up 2.2–3.4 times and ending in .99, as sellers price.
    const priceMinor = Math.max(799, Math.round((costMinor * (22 + r.int(0, 12))) / 1000) * 100 - 1);
    const initials = noun.split(' ').map((w) => w[0]).join('');
    return {
      sku: `${initials}-${String(1000 + n)}-${variant.replace(/[^A-Za-z0-9]/g, '').slice(0, 3).toUpperCase()}-${market.code}`,
      fnsku: this.ids.fnsku(),
      asin: this.ids.asin(),
      title: `${r.pick(ADJECTIVES)} ${noun}, ${variant}`,
      market,
      costMinor: options.withCost === false ? null : costMinor,
      priceMinor,
      feeMinor: r.int(307, 899),
      planted: options.planted,
      sells: options.sells ?? true,
    };
  }
}
