// Since March 2025 Amazon pays lost and damaged stock at the seller's manufacturing cost, at its
// own estimate unless the seller sets one on Seller Central's "Manage Your Manufacturing Cost"
// page. Each underpaid_reimbursement claim is one reimbursement paid below the cost the seller
// gave Clario, valued (cost − paid per unit) × units: summed per SKU, what setting the cost on
// Amazon would have been worth.
import { sql } from 'drizzle-orm';
import { safeMinor } from '../domain/money.js';
import { rows, type Db } from '../store/db.js';
import type { Amount } from './read-overview.js';

export interface BelowCostSku {
  readonly sku: string;
  /** Units Amazon paid below their manufacturing cost. */
  readonly units: number;
  readonly reimbursements: number;
  /** Σ (manufacturing cost − paid per unit) × units, in the reimbursements' currency. */
  readonly worth: Amount;
}

/** A dismissed claim is one the seller said was wrong (a cost mistyped): it counts for nothing. */
export async function belowManufacturingCost(q: Db, userId: string): Promise<{ skus: BelowCostSku[]; worth: Amount[] }> {
  const found = await rows<{ sku: string; currency: string; minor: string; units: number; reimbursements: number }>(
    q,
    sql`SELECT coalesce(details->>'sku', '') AS sku, currency, sum(amount_minor::numeric)::text AS minor,
               coalesce(sum(quantity), 0)::int AS units, count(*)::int AS reimbursements
        FROM claims
        WHERE user_id = ${userId} AND type = 'underpaid_reimbursement' AND status <> 'dismissed'
          AND amount_minor IS NOT NULL AND currency IS NOT NULL
        GROUP BY 1, 2 ORDER BY sum(amount_minor::numeric) DESC, 1, 2`,
  );
  const skus = found.map((r) => ({ sku: r.sku, units: r.units, reimbursements: r.reimbursements, worth: { minor: safeMinor(r.minor), currency: r.currency } }));
  const totals = new Map<string, bigint>();
  for (const r of found) totals.set(r.currency, (totals.get(r.currency) ?? 0n) + BigInt(r.minor));
  const worth = [...totals].sort(([a], [b]) => a.localeCompare(b)).map(([currency, minor]) => ({ currency, minor: safeMinor(minor) }));
  return { skus, worth };
}
