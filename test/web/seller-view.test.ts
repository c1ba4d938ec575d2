// What the seller reads, without a browser: prompts in the order that matters with the buttons
// their asks call for, plurals, month labels, totals in several currencies, and advice that only
// shows while it can still help.
import { describe, expect, it } from 'vitest';
import { amountLines, count, formatMonth } from '../../web/src/lib/format.js';
import { asksToConfirm, asksToMeasure, measurementsBody, orderPrompts, uploadsFor } from '../../web/src/lib/prompts.js';
import { wouldHelp } from '../../web/src/lib/claim-view.js';

const ask = (need: string) => ({ need, message: need });

describe('smart prompt cards', () => {
  it('offer one upload button per document asked for: an inbound shortage asking for an invoice gets an invoice button', () => {
    // What routing asks for an inbound shortage with no evidence (src/routing/asks.ts).
    const asks = [ask('upload_invoice'), ask('upload_proof_of_delivery'), ask('confirm'), ask('dismiss')];
    expect(uploadsFor(asks)).toEqual([
      { kind: 'invoice', label: 'Upload an invoice' },
      { kind: 'proof_of_delivery', label: 'Upload proof of delivery' },
    ]);
    expect(uploadsFor([ask('upload_invoice'), ask('dismiss')])).toEqual([{ kind: 'invoice', label: 'Upload an invoice' }]);
    expect(uploadsFor([ask('confirm'), ask('dismiss')])).toEqual([]);
  });

  it('offer "Confirm" only when asked to confirm', () => {
    expect(asksToConfirm([ask('confirm'), ask('dismiss')])).toBe(true);
    // A re-prompt after Amazon's rejection asks for the document only.
    expect(asksToConfirm([ask('upload_invoice')])).toBe(false);
  });

  it('come nearest deadline first, then the larger claim, with no deadline and then a passed deadline last', () => {
    const p = (id: string, deadline: string | null, minor: number | null, currency = 'USD', created_at = '2026-12-01T00:00:00Z') => ({
      id, created_at, asks: [], claim: { deadline, amount: minor === null ? null : { minor, currency } },
    });
    const ordered = orderPrompts([
      p('none', null, 99_999),
      p('late', '2027-01-10', 50_000),
      p('soon-small', '2026-12-10', 500),
      p('soon-unvalued', '2026-12-10', null),
      p('soon-big', '2026-12-10', 9_000),
      p('soon-cad', '2026-12-10', 100_000, 'CAD'),
      p('soonest', '2026-12-08', 100),
      p('passed', '2026-12-05', 100_000),
    ], '2026-12-06');
    expect(ordered.map((x) => x.id)).toEqual(['soonest', 'soon-cad', 'soon-big', 'soon-small', 'soon-unvalued', 'late', 'none', 'passed']);
  });
});

describe('words and numbers', () => {
  it('says "1 unit" and "3 units"', () => {
    expect(count(1, 'unit')).toBe('1 unit');
    expect(count(3, 'unit')).toBe('3 units');
    expect(count(0, 'unit')).toBe('0 units');
    expect(count(null, 'unit')).toBe('— units');
  });

  it('labels a month with its full year, so "Dec 2026" cannot be read as 26 December', () => {
    expect(formatMonth('2026-12', 'en-US')).toBe('Dec 2026');
    expect(formatMonth('2027-01', 'en-US')).toBe('Jan 2027');
    expect(formatMonth('garbage', 'en-US')).toBe('garbage');
  });

  it('lays totals in several currencies out one per line, by currency code', () => {
    const lines = amountLines([
      { minor: 25_146, currency: 'USD' },
      { minor: 5_678, currency: 'CAD' },
    ]).map((l) => l.key);
    expect(lines).toEqual(['CAD', 'USD']);
    expect(amountLines([]).map((l) => l.text)).toHaveLength(1);
  });
});

describe('the claim page', () => {
  it('stops saying what would help once the claim is paid, rejected or otherwise over', () => {
    expect(wouldHelp('held', ['confirm', 'upload_invoice'])).toEqual(['confirm', 'upload_invoice']);
    for (const s of ['paid', 'rejected', 'filed', 'expired', 'dismissed']) expect(wouldHelp(s, ['confirm'])).toEqual([]);
  });
});

describe("the measure form's answer", () => {
  const draft = { length: '30', width: '20,5', height: ' 15 ', dimensionUnit: 'cm' as const, weight: '2.5', weightUnit: 'lb' as const };
  it('sends numbers with their units, and asks for what is missing or not a positive number first', () => {
    expect(measurementsBody(draft)).toEqual({ ok: true, value: { length: 30, width: 20.5, height: 15, dimension_unit: 'cm', weight: 2.5, weight_unit: 'lb' } });
    expect(measurementsBody({ ...draft, width: '' })).toEqual({ ok: false, message: 'Enter the width as a number above 0.' });
    expect(measurementsBody({ ...draft, weight: '-1' })).toMatchObject({ ok: false, message: expect.stringContaining('weight') });
    expect(measurementsBody({ ...draft, height: 'abc' })).toMatchObject({ ok: false });
  });
  it('shows the form only for a prompt that asks to measure', () => {
    expect(asksToMeasure([{ need: 'measure', message: 'm' }, { need: 'dismiss', message: 'd' }])).toBe(true);
    expect(asksToMeasure([{ need: 'confirm', message: 'c' }])).toBe(false);
  });
});
