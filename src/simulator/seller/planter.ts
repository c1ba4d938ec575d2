import { isoDay } from './calendar.js';
import type { Marketplace, Product, ProductFactory, ProductOptions } from './catalog.js';
import type { Random } from './random.js';
import type { ClaimKey, ClaimType, World } from './world.js';

/**
 * DETECTION.md's (version 2) default windows, restated here on purpose: the ground truth is derived from what
 * was planted and the policy as written, never from detection's own code, so a bug there shows.
 */
export const POLICY = {
  lostWarehouse: { lookback: 60, deadline: 60, grace: 14 },
  damagedWarehouse: { lookback: 60, deadline: 60 },
  inboundShortage: { deadline: 60, grace: 15 },
  refundNotReturned: { deadline: 120, grace: 60 },
  returnDamaged: { deadline: 120, grace: 60 },
  replacementNotReturned: { deadline: 120, grace: 60 },
  removalShortfall: { deadline: 60 },
  removalLostInTransit: { deadline: 75, grace: 15 },
  feeOvercharge: { lookback: 90, deadline: 90 },
  underpaidReimbursement: { deadline: 60 },
  reimbursementReversal: { deadline: 60 },
} as const;

export interface ExpectedDraft {
  readonly type: ClaimType;
  readonly key: ClaimKey;
  readonly quantity: number;
  /** Minor units in `currency`, or null when the value is unknown. */
  readonly amount: number | null;
  readonly currency: string;
  readonly deadline: number;
  readonly pendingUntil?: number;
  readonly scenario: string;
}

/** What the planting code shares: fresh products, days counted back from as-of, and the ledger of what was planted. */
export class Planter {
  constructor(
    readonly world: World,
    readonly r: Random,
    private readonly factory: ProductFactory,
  ) {}

  /** A product of its own for one scenario, so that no other activity changes its claim. */
  product(market: Marketplace, options: Omit<ProductOptions, 'planted'> = {}): Product {
    const product = this.factory.make(market, { ...options, planted: true });
    this.world.products.push(product);
    return product;
  }

  /** The day `n` days before as-of. */
  ago(n: number): number {
    return this.world.asOf - n;
  }

  cost(product: Product): number {
    if (product.costMinor === null) throw new RangeError(`${product.sku} has no unit cost`);
    return product.costMinor;
  }

  claim(d: ExpectedDraft): void {
    this.world.expected.push({
      type: d.type,
      key: d.key,
      currency: d.amount === null ? null : d.currency,
      quantity: d.quantity,
      amount: d.amount,
      status: this.world.status(d.deadline, d.pendingUntil),
      deadline: isoDay(d.deadline),
      scenario: d.scenario,
    });
  }

  negative(type: ClaimType, key: ClaimKey, why: string): void {
    this.world.negatives.push({ type, key, why });
  }
}
