// The scoring model: deterministic, and its reasons are sentences a seller can check.
import { describe, expect, it } from 'vitest';
import { money } from '../../src/domain/money.js';
import { betaEstimate } from '../../src/domain/scoring.js';
import { asksFor } from '../../src/routing/asks.js';
import { eventDay, scoreClaim, type EvidenceLine, type LinkedEvidence, type ScorableClaim } from '../../src/evidence/score-claim.js';

const lost: ScorableClaim = {
  id: 'clm_1',
  type: 'lost_warehouse',
  sku: 'SKU-1',
  fnsku: 'X00SKU1',
  asin: null,
  quantity: 40,
  amount: money(49_600, 'USD'),
  deadline: '2026-03-31',
  key: { fnsku: 'X00SKU1' },
  valuation: null,
};

const line = (o: Partial<EvidenceLine>): EvidenceLine => ({
  id: 1,
  lineNo: 2,
  documentRef: 'INV-88',
  supplier: 'Acme',
  sku: 'SKU-1',
  productName: 'Blue widget',
  quantity: 40,
  unitCost: money(1240, 'USD'),
  date: '2026-01-10',
  ...o,
});
const invoice = (...items: EvidenceLine[]): LinkedEvidence => ({ fileId: 'evf_1', filename: 'inv.csv', role: 'invoice', items });

describe('scoring a claim', () => {
  it('explains a fully evidenced loss in plain sentences, and scores it 1', () => {
    const s = scoreClaim(lost, { links: [invoice(line({}))], confirmed: false }, undefined, '2026-02-01T00:00:00.000Z');
    expect(s.reasons).toEqual([
      "Amazon's inventory ledger shows 40 units of SKU-1 lost in its warehouse",
      'invoice INV-88 covers 40 units of SKU-1 at 12.40 USD, dated before the loss',
      'the invoice unit cost 12.40 USD matches the claimed 12.40 USD',
    ]);
    expect(s).toMatchObject({ version: 1, evidence: 1, confidence: 1, profile: 'invoice', learned: null, missing: ['confirm'], scoredAt: '2026-02-01T00:00:00.000Z' });
    expect(s.components).toEqual({ amazon: 0.55, coverage: 0.2, cost: 0.15, date: 0.1, pod: 0, confirmed: 0, unknown_value: 0 });
  });

  it('asks for the invoice when there is none, and stays in the prompt band', () => {
    const s = scoreClaim(lost, { links: [], confirmed: false });
    expect(s.reasons).toEqual(["Amazon's inventory ledger shows 40 units of SKU-1 lost in its warehouse", 'no invoice']);
    expect(s.missing).toEqual(['upload_invoice', 'confirm']);
    expect(s.evidence).toBe(0.55);
    expect(asksFor(lost, s.missing).map((a) => a.need)).toEqual(['upload_invoice', 'confirm', 'dismiss']);
    expect(asksFor(lost, s.missing)[0]?.message).toBe('Upload the supplier invoice for 40 units of SKU-1 (claim worth $496.00): it proves you owned them.');
  });

  it('gives partial credit for partial coverage, a cost that differs and an invoice dated after the loss', () => {
    const s = scoreClaim(lost, { links: [invoice(line({ quantity: 30, unitCost: money(2000, 'USD'), date: '2026-02-15' }))], confirmed: false });
    expect(eventDay(lost)).toBe('2026-01-30');
    expect(s.reasons).toEqual([
      "Amazon's inventory ledger shows 40 units of SKU-1 lost in its warehouse",
      'invoice INV-88 covers 30 units of SKU-1 at 20.00 USD, dated after the loss',
      'invoices cover 30 of the 40 units claimed',
      'the invoice unit cost 20.00 USD differs from the claimed 12.40 USD by more than 10%',
    ]);
    // A cost the invoice contradicts counts against the claim, and asks the seller to set it right.
    expect(s.components).toMatchObject({ coverage: 0.15, cost: -0.15, date: 0 });
    expect(s.evidence).toBe(0.55);
    expect(s.missing).toEqual(['upload_invoice', 'check_cost', 'confirm']);
    expect(asksFor(lost, s.missing).map((a) => a.need)).toEqual(['upload_invoice', 'check_cost', 'confirm', 'dismiss']);
  });

  it('never lets a claim its own invoice contradicts reach the filing band, whatever was learned (it had scored exactly 0.85)', () => {
    // Every unit covered, dated before the loss: only the value is wrong (7.25 invoiced, 12.40 claimed).
    const s = scoreClaim(lost, { links: [invoice(line({ unitCost: money(725, 'USD') }))], confirmed: true }, betaEstimate(200, 1));
    expect(s.components).toMatchObject({ amazon: 0.55, coverage: 0.2, cost: -0.15, date: 0.1, confirmed: 0.1 });
    expect(s.evidence).toBe(0.8);
    expect(s.confidence).toBe(0.8);
    expect(s.missing).toEqual(['check_cost']);
  });

  it('wants a proof of delivery for an inbound shortage', () => {
    const inbound: ScorableClaim = { ...lost, type: 'inbound_shortage', key: { shipment_id: 'FBA15XYZ0001', sku: 'SKU-1' } };
    const without = scoreClaim(inbound, { links: [invoice(line({}))], confirmed: false });
    expect(without.reasons).toContain('no proof of delivery');
    expect(without.missing).toEqual(['upload_proof_of_delivery', 'confirm']);
    expect(without.evidence).toBe(0.75);
    const pod: LinkedEvidence = { fileId: 'evf_2', filename: 'pod.pdf', role: 'proof_of_delivery', items: [line({ id: 2, documentRef: '1Z999', sku: null, quantity: null, unitCost: null })] };
    const withPod = scoreClaim(inbound, { links: [invoice(line({})), pod], confirmed: false });
    expect(withPod.reasons).toContain('proof of delivery 1Z999 for FBA15XYZ0001');
    expect(withPod).toMatchObject({ evidence: 1, profile: 'invoice_and_pod' });
  });

  it('needs no document for what Amazon\'s own data proves', () => {
    const fee: ScorableClaim = { ...lost, type: 'fee_overcharge', quantity: 12, amount: money(840, 'USD'), key: { sku: 'SKU-1' } };
    const s = scoreClaim(fee, { links: [], confirmed: false });
    expect(s.reasons).toEqual(["Amazon's own settlement data shows the fulfilment fee of 12 units of SKU-1 charged above the fee preview"]);
    expect(s.missing).toEqual(['confirm']);
    expect(s.evidence).toBe(0.9);
  });

  it('holds a claim nobody can value until evidence arrives', () => {
    const s = scoreClaim({ ...lost, amount: null }, { links: [], confirmed: false });
    expect(s.reasons).toContain("the claim's value is unknown: no unit cost or sale price");
    expect(s.evidence).toBe(0.3);
  });

  it("counts the seller's confirmation and blends in the learned approval rate", () => {
    const learned = betaEstimate(8, 2);
    const s = scoreClaim(lost, { links: [], confirmed: true }, learned);
    expect(s.reasons.slice(-2)).toEqual(['you confirmed the claim', 'Amazon approved 8 of 10 past lost_warehouse claims with this evidence']);
    expect(s.evidence).toBe(0.65);
    // w = min(0.5, 10/20) = 0.5; mean = 9/12 = 0.75: 0.5 × 0.65 + 0.5 × 0.75
    expect(s.confidence).toBe(0.7);
    expect(s.learned).toEqual(learned);
    expect(s.missing).toEqual(['upload_invoice']);
  });

  it('gives the same score for the same input', () => {
    const a = scoreClaim(lost, { links: [invoice(line({}), line({ id: 2, quantity: 5, documentRef: 'INV-90' }))], confirmed: false });
    const b = scoreClaim(lost, { links: [invoice(line({}), line({ id: 2, quantity: 5, documentRef: 'INV-90' }))], confirmed: false });
    expect(a).toEqual(b);
  });
});

describe('every claim type detection can find', () => {
  it('has its own weights (at most 1 in all), its window and its own sentence', async () => {
    const { CLAIM_TYPES } = await import('../../src/detection/types.js');
    const { WEIGHTS } = await import('../../src/evidence/weights.js');
    const { amazonSentence } = await import('../../src/evidence/score-claim.js');
    for (const type of CLAIM_TYPES) {
      const w = WEIGHTS[type];
      expect(Math.round((w.amazon + w.coverage + w.cost + w.date + w.pod) * 1000), type).toBeLessThanOrEqual(1000);
      expect(w.amazon, type).toBeGreaterThan(0);
      expect(eventDay({ type, deadline: '2026-12-31' }), type).not.toBeNull();
      const claim = { type, quantity: 2, sku: 'SKU-1', key: { order_id: 'O-1', tracking_number: '1Z', reimbursement_id: 'R-1' } } as unknown as ScorableClaim;
      expect(amazonSentence(claim), type).not.toMatch(/^Amazon's data shows a/);
    }
  });
});
