// Random cases of several claims and the reimbursement lines Amazon might send for them: per
// order, split per unit, naming only the SKU, paid twice, or one line combining several claims.
import fc from 'fast-check';
import type { LineNames } from '../../src/domain/match-payout.js';

const names = (o: Partial<LineNames>): LineNames => ({ orderId: null, shipmentId: null, transactionItemId: null, fnsku: null, sku: null, quantity: 1, ...o });

export interface GenClaim {
  readonly sku: string;
  readonly units: number;
  readonly price: number;
  readonly mode: 'whole' | 'split' | 'bare' | 'twice';
}
export interface Line {
  readonly id: string;
  readonly names: LineNames;
  readonly amount: number;
  /** The claim the line was written for; undefined for a line combining several. */
  readonly from: number | undefined;
}

export const genClaim: fc.Arbitrary<GenClaim> = fc.record({
  sku: fc.constantFrom('S1', 'S2'),
  units: fc.integer({ min: 1, max: 3 }),
  price: fc.integer({ min: 1, max: 20_000 }),
  mode: fc.constantFrom('whole', 'split', 'bare', 'twice'),
});

/** The lines Amazon might send for these claims: per order, split per unit, bare, paid twice, combined. */
export function linesFor(cs: readonly GenClaim[], combine: boolean): Line[] {
  const lines: Line[] = [];
  cs.forEach((c, i) => {
    const named = (quantity: number, bare = false) => names({ orderId: bare ? null : `O${i}`, sku: c.sku, fnsku: `F-${c.sku}`, quantity });
    if (c.mode === 'split') for (let u = 0; u < c.units; u++) lines.push({ id: `L${i}-${u}`, names: named(1), amount: c.price, from: i });
    else lines.push({ id: `L${i}`, names: named(c.units, c.mode === 'bare'), amount: c.price * c.units, from: i });
    if (c.mode === 'twice') lines.push({ id: `L${i}-again`, names: named(c.units), amount: c.price * c.units, from: i });
  });
  if (combine) {
    const sku = cs[0]?.sku ?? 'S1';
    const same = cs.filter((c) => c.sku === sku);
    lines.push({ id: 'L-combined', names: names({ sku, fnsku: `F-${sku}`, quantity: same.reduce((n, c) => n + c.units, 0) }), amount: same.reduce((n, c) => n + c.units * c.price, 0), from: undefined });
  }
  return lines;
}

