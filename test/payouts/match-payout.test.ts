// The matcher alone, and a property over random cases: whatever lines Amazon sends (split,
// combined, reordered, repeated), each line's money is on exactly one claim or parked, never on a
// claim its names contradict, and no claim is paid for more units than it asked for. The fee of
// each claim is 20% of what it received, line by line.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { feeOn } from '../../src/domain/fee.js';
import { matchPayout, type LineNames, type PayableClaim } from '../../src/domain/match-payout.js';
import { money } from '../../src/domain/money.js';
import { genClaim, linesFor } from './random-lines.js';

const names = (o: Partial<LineNames>): LineNames => ({ orderId: null, shipmentId: null, transactionItemId: null, fnsku: null, sku: null, quantity: 1, ...o });
const claim = (o: Partial<PayableClaim> & { claimId: string }): PayableClaim => ({ units: 1, paidUnits: 0, ...o });

describe('which claim a reimbursement line pays', () => {
  const three = [
    claim({ claimId: 'a', orderId: 'O1', sku: 'S', fnsku: 'F', units: 2 }),
    claim({ claimId: 'b', orderId: 'O2', sku: 'S', fnsku: 'F' }),
    claim({ claimId: 'c', orderId: 'O3', sku: 'S', fnsku: 'F' }),
  ];

  it('credits the claim of the order the line names, not the first with its FNSKU', () => {
    expect(matchPayout(names({ orderId: 'O2', sku: 'S', fnsku: 'F' }), three)).toEqual({ claimId: 'b' });
    expect(matchPayout(names({ orderId: 'O3', fnsku: 'F' }), three)).toEqual({ claimId: 'c' });
  });

  it('parks a line that names what several claims share, or what none has', () => {
    expect(matchPayout(names({ sku: 'S', fnsku: 'F' }), three)).toEqual({ unmatched: expect.stringMatching(/3 claims of the case share \(a, b, c\)/) });
    expect(matchPayout(names({ orderId: 'O9', sku: 'S' }), three)).toEqual({ unmatched: expect.stringMatching(/order O9, SKU S, which no claim/) });
    expect(matchPayout(names({}), three)).toEqual({ unmatched: expect.stringMatching(/nothing that identifies/) });
  });

  it('takes a line that names nothing on a one-claim case, but not one that contradicts it', () => {
    expect(matchPayout(names({}), [claim({ claimId: 'x', sku: 'S' })])).toEqual({ claimId: 'x' });
    expect(matchPayout(names({ sku: 'T' }), [claim({ claimId: 'x', sku: 'S' })])).toHaveProperty('unmatched');
  });

  it('never pays units twice', () => {
    expect(matchPayout(names({ orderId: 'O1', quantity: 2 }), three)).toEqual({ claimId: 'a' });
    expect(matchPayout(names({ orderId: 'O1', quantity: 3 }), three)).toEqual({ unmatched: expect.stringMatching(/pay units twice/) });
    const paid = [{ ...three[1]!, paidUnits: 1 }];
    expect(matchPayout(names({ orderId: 'O2' }), paid)).toEqual({ unmatched: expect.stringMatching(/1 already paid/) });
  });

  it('matches on shipment and transaction item ids too', () => {
    const shipments = [claim({ claimId: 's1', shipmentId: 'FBA1', sku: 'S' }), claim({ claimId: 's2', shipmentId: 'FBA2', sku: 'S' })];
    expect(matchPayout(names({ shipmentId: 'FBA2', sku: 'S' }), shipments)).toEqual({ claimId: 's2' });
    const items = [claim({ claimId: 't1', transactionItemId: 'T1', sku: 'S' }), claim({ claimId: 't2', transactionItemId: 'T2', sku: 'S' })];
    expect(matchPayout(names({ transactionItemId: 'T1' }), items)).toEqual({ claimId: 't1' });
  });
});

describe('random cases and lines', () => {
  it('puts every line on exactly one claim or parks it, never on a claim it contradicts, never over units', () => {
    fc.assert(
      fc.property(
        fc.array(genClaim, { minLength: 2, maxLength: 5 }),
        fc.boolean(),
        fc.array(fc.nat(20), { maxLength: 6 }),
        fc.integer(),
        (cs, combine, repeats, seed) => {
          const base = linesFor(cs, combine);
          // Reordered, and some delivered again.
          const delivered = fc.sample(fc.shuffledSubarray(base, { minLength: base.length, maxLength: base.length }), { seed, numRuns: 1 })[0] ?? base;
          for (const r of repeats) if (delivered.length) delivered.splice(r % delivered.length, 0, delivered[r % delivered.length]!);

          const paidUnits = cs.map(() => 0);
          const outcome = new Map<string, { claim: number } | { parked: string }>();
          for (const l of delivered) {
            if (outcome.has(l.id)) continue; // a repeat is the same payout: decided once
            const payable = cs.map((c, i) => ({ claimId: String(i), orderId: `O${i}`, sku: c.sku, fnsku: `F-${c.sku}`, units: c.units, paidUnits: paidUnits[i]! }));
            const m = matchPayout(l.names, payable);
            if ('claimId' in m) {
              const i = Number(m.claimId);
              paidUnits[i]! += l.names.quantity ?? 1;
              outcome.set(l.id, { claim: i });
            } else outcome.set(l.id, { parked: m.unmatched });
          }

          // Every distinct line's money is on exactly one claim or parked.
          const received = cs.map(() => 0);
          let parked = 0;
          for (const l of base) {
            const o = outcome.get(l.id);
            expect(o).toBeDefined();
            if (o && 'claim' in o) {
              received[o.claim]! += l.amount;
              // Never on a claim whose order or SKU the line contradicts.
              if (l.names.orderId) expect(`O${o.claim}`).toBe(l.names.orderId);
              expect(cs[o.claim]!.sku).toBe(l.names.sku);
              if (l.from !== undefined && l.names.orderId) expect(o.claim).toBe(l.from);
            } else parked += l.amount;
          }
          expect(received.reduce((a, b) => a + b, 0) + parked).toBe(base.reduce((a, l) => a + l.amount, 0));
          // No claim is paid for more units than it asked for, so never more money either.
          cs.forEach((c, i) => {
            expect(paidUnits[i]).toBeLessThanOrEqual(c.units);
            expect(received[i]).toBeLessThanOrEqual(c.units * c.price);
          });
          // A claim paid by lines naming its order, with nothing else in the way, is paid in full.
          const skuContested = (sku: string) => combine && cs[0]?.sku === sku;
          cs.forEach((c, i) => {
            if ((c.mode === 'whole' || c.mode === 'split') && !skuContested(c.sku) && !cs.some((d, j) => j !== i && d.mode === 'bare' && d.sku === c.sku)) {
              expect(received[i]).toBe(c.units * c.price);
            }
          });
          // The fee of each claim is 20% of each line it received, rounded half-up per payout.
          cs.forEach((_c, i) => {
            const lines = base.filter((l) => (outcome.get(l.id) as { claim?: number }).claim === i);
            const fees = lines.reduce((s, l) => s + feeOn(money(l.amount, 'USD'), 2000).minor, 0);
            expect(Math.abs(fees * 5 - received[i]!)).toBeLessThanOrEqual(lines.length * 5);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
