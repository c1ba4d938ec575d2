/**
 * The demo seller: a deterministic, seeded year of FBA activity in Amazon's file layouts, with
 * planted discrepancies of every claim type and the ground truth of what detection should find.
 */
export { generateSeller, GROUND_TRUTH_FILE, type GeneratedSeller, type SellerOptions } from './generate.js';
export { MARKETPLACES, type Marketplace, type MarketplaceCode } from './catalog.js';
export { LEDGER_HEADER } from './write-ledger.js';
export { Random } from './random.js';
export type { ClaimKey, ClaimType, ExpectedClaim, PlantedNegative } from './world.js';
