// Amazon's replies as sellers paste them, read into approved / rejected / more information / unclear;
// and amounts however they are written, read back exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { APPROVAL_WORDS, readReply, reimbursementIdsIn, type ReplyOutcome } from '../../src/domain/amazon-reply.js';
import { amountsIn } from '../../src/domain/amounts-in-text.js';
import { currency, minorDigits, money, type Currency } from '../../src/domain/money.js';

const TABLE: ReadonlyArray<readonly [string, ReplyOutcome, Record<string, unknown>]> = [
  [
    "Hello, I have reviewed your case and I'm happy to inform you that we have reimbursed you for 2 units of FNSKU X00ABC1234. Reimbursement ID: 1234567890. Amount: $45.98.",
    'approved',
    { amount: money(4598, 'USD'), reimbursementIds: ['1234567890'] },
  ],
  ['Your reimbursement of 12,34 € has been issued (reimbursement ID 2233445566).', 'approved', { amount: money(1234, 'EUR'), reimbursementIds: ['2233445566'] }],
  ['We have approved your request. A credit of £5.00 will appear in your account.', 'approved', { amount: money(500, 'GBP'), reimbursementIds: [] }],
  [
    'We have reimbursed the following:\nFNSKU X00AAAAAAA: USD 12.00 (reimbursement ID 1111111111)\nFNSKU X00BBBBBBB: USD 8.50 (reimbursement ID 2222222222)\nTotal: USD 20.50',
    'approved',
    { amount: money(2050, 'USD'), reimbursementIds: ['1111111111', '2222222222'] },
  ],
  ['I have issued a reimbursement for this shipment. Reimbursement IDs: 3333333333, 4444444444 and 5555555555.', 'approved', { amount: null, reimbursementIds: ['3333333333', '4444444444', '5555555555'] }],
  ['Although the request is outside the eligible timeframe, we have reimbursed 1 unit as a one-time courtesy: CA$ 1,234.50.', 'approved', { amount: money(123450, 'CAD') }],
  ['We were unable to locate your units in our fulfillment network, so we have reimbursed you $24.80 (reimbursement ID 7766554433).', 'approved', { amount: money(2480, 'USD'), reimbursementIds: ['7766554433'] }],
  ['The 2 units were not found after our investigation; a reimbursement of 30,00 € has been issued.', 'approved', { amount: money(3000, 'EUR') }],
  ['Our records show these units have already been reimbursed on 2026-09-14 (reimbursement ID 1234567890).', 'rejected', { reasonCode: 'already_reimbursed', action: 'closed', reimbursementIds: ['1234567890'] }],
  ['After investigation, the 3 units were found and have been reconciled to your sellable inventory.', 'rejected', { reasonCode: 'units_found', action: 'closed' }],
  ['We are unable to reimburse you: the request is outside the eligible timeframe.', 'rejected', { reasonCode: 'outside_window' }],
  ['We cannot approve this request without a valid supplier invoice.', 'rejected', { reasonCode: 'missing_proof_of_ownership', action: 'reprompt', needs: ['upload_invoice'] }],
  ['Your claim is not eligible for reimbursement.', 'rejected', { reasonCode: 'other', action: 'review', needs: [] }],
  ['Thank you for contacting Seller Support. We have closed this case.', 'rejected', { reasonCode: 'other', action: 'review' }],
  ['To continue our investigation, please provide proof of delivery (POD) for shipment FBA15ABCDE.', 'more_information', { reasonCode: 'insufficient_information', needs: ['upload_proof_of_delivery'] }],
  ['Please reply to this case with the supplier invoice for these units.', 'more_information', { reasonCode: 'missing_proof_of_ownership', needs: ['upload_invoice'] }],
  ['We need more information to look into this.', 'more_information', { reasonCode: 'insufficient_information', needs: ['upload_invoice'] }],
  ['Thank you for your patience. We are looking into this and will get back to you.', 'unclear', { reasonCode: null, amount: null }],
  ['   ', 'unclear', {}],
];

describe("reading Amazon's reply", () => {
  it.each(TABLE)('reads %j as %s', (text, outcome, more) => {
    const r = readReply(text, 'lost_warehouse');
    expect(r.outcome).toBe(outcome);
    expect(r).toMatchObject(more);
  });

  it('asks for the proof of delivery on a shipment claim when Amazon names no document', () => {
    expect(readReply('We need more information to look into this.', 'inbound_shortage').needs).toEqual(['upload_proof_of_delivery']);
  });

  it('reads per-item amounts with what each line names', () => {
    const r = readReply('We have reimbursed:\nOrder 111-2223334-4445556, SKU CUP-1: $7.00\nOrder 111-9998887-7776665, SKU CUP-2: $3.25', 'customer_return');
    expect(r.items).toEqual([
      { amount: money(700, 'USD'), reimbursementId: null, fnsku: null, sku: 'CUP-1', orderId: '111-2223334-4445556', shipmentId: null, quantity: null },
      { amount: money(325, 'USD'), reimbursementId: null, fnsku: null, sku: 'CUP-2', orderId: '111-9998887-7776665', shipmentId: null, quantity: null },
    ]);
    expect(r.amount).toEqual(money(1025, 'USD'));
  });

  it('names no amount when several amounts do not add up to one', () => {
    expect(readReply('We reimbursed $5.00 now; the $7.00 you asked for is more than the unit value.', 'lost_warehouse')).toMatchObject({ outcome: 'approved', amount: null });
  });

  it('reads no negative or zero amount as what an approval pays (a reversal\'s, or no cash at all)', () => {
    expect(readReply('We have reimbursed you. Reimbursement ID: 5550008888. Amount: -$10.00.', 'lost_warehouse')).toMatchObject({ outcome: 'approved', amount: null, items: [] });
    expect(readReply('Approved. FNSKU X00NEG0001: -$10.00 (reimbursement ID 5550008888)', 'lost_warehouse')).toMatchObject({ outcome: 'approved', amount: null, items: [] });
    expect(readReply('We have reimbursed you $0.00. Reimbursement ID: 5550008888.', 'lost_warehouse')).toMatchObject({ amount: null });
    // The fee taken off does not hide what was paid.
    expect(readReply('We have reimbursed FNSKU X00NEG0001: $12.00 (a -$2.00 adjustment is shown apart).', 'lost_warehouse').amount).toEqual(money(1200, 'USD'));
  });

  it('reads reimbursement ids only where the reply calls them so', () => {
    expect(reimbursementIdsIn('Case 17412345678 (reimbursement #98765432, order 111-2223334-4445556)')).toEqual(['98765432']);
    expect(reimbursementIdsIn('reimbursement ids: 123456 / 234567; reimbursement ID 123456')).toEqual(['123456', '234567']);
  });

  it('never throws, whatever is pasted', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), fc.constantFrom('lost_warehouse', 'inbound_shortage', 'x'), (text, type) => {
        const r = readReply(text, type);
        expect(['approved', 'rejected', 'more_information', 'unclear']).toContain(r.outcome);
      }),
      { numRuns: 500 },
    );
  });

  it('never reads a reply as approved without approval words', () => {
    // Replies assembled from Amazon's vocabulary (ids, amounts, requests, refusals), approval words left out.
    const word = fc.constantFrom(
      'Hello,', 'we', 'have', 'reviewed', 'your', 'case', 'the', 'units', 'reimbursement', 'ID', 'Reimbursement ID:', '1234567890',
      '$45.98', 'USD 12.00', '12,34 €', 'FNSKU', 'X00ABC1234', 'please', 'provide', 'invoice', 'amount', 'total', 'issued', 'request',
      'Thank you', 'for', 'contacting', 'Seller Support.', 'closed', 'investigation', 'payment', 'of', 'processed', 'was', 'refund', '\n',
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 40 }), (words) => {
        const text = words.join(' ');
        const r = readReply(text, 'lost_warehouse');
        if (r.outcome === 'approved') expect(APPROVAL_WORDS.test(text)).toBe(true);
        expect(APPROVAL_WORDS.test(text) || r.outcome !== 'approved').toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'CAD', 'INR', 'SEK', 'PLN', 'AUD', 'MXN'] as const;
const SYMBOL: Partial<Record<(typeof CURRENCIES)[number], string>> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥', CAD: 'CA$', INR: '₹', AUD: 'A$', MXN: 'MX$' };

/** An amount written the way people do: symbol or code, before or after, with or without groups. */
function write(minor: number, code: Currency, style: { place: 'symbol-before' | 'symbol-after' | 'code-before' | 'code-after'; groups: 'none' | 'en' | 'de' | 'fr' | 'ch'; gap: boolean; trim: boolean }): string {
  const digits = minorDigits(code);
  const abs = Math.abs(minor).toString().padStart(digits + 1, '0');
  let whole = digits === 0 ? abs : abs.slice(0, -digits);
  let fraction = digits === 0 ? '' : abs.slice(-digits);
  // "12.50" may be written "12.5"; a fraction of zeros is never dropped, so "12" stays "12.00".
  if (style.trim && fraction.length > 1 && fraction.endsWith('0') && !/^0+$/.test(fraction)) fraction = fraction.replace(/0+$/, '');
  const [group, decimal] = { none: ['', '.'], en: [',', '.'], de: ['.', ','], fr: ['\u202f', ','], ch: ["'", '.'] }[style.groups];
  if (group) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const number = `${minor < 0 ? '-' : ''}${whole}${fraction ? decimal + fraction : ''}`;
  const symbol = SYMBOL[code as (typeof CURRENCIES)[number]];
  const gap = style.gap ? ' ' : '';
  switch (style.place) {
    case 'symbol-before':
      return symbol ? `${minor < 0 ? '-' : ''}${symbol}${gap}${number.replace('-', '')}` : `${code} ${number}`;
    case 'symbol-after':
      return `${number}${gap}${symbol ?? code}`;
    case 'code-before':
      return `${code}${gap || ' '}${number}`;
    case 'code-after':
      return `${number} ${code}`;
  }
}

describe('amounts in text', () => {
  it.each([
    ['$12.34', 1234, 'USD'],
    ['USD 12.34', 1234, 'USD'],
    ['12,34 €', 1234, 'EUR'],
    ['£5.00', 500, 'GBP'],
    ['1.234,56 EUR', 123456, 'EUR'],
    ['$1,234', 123400, 'USD'],
    ['¥1,200', 1200, 'JPY'],
    ['12.5 USD', 1250, 'USD'],
    ["CHF 3", undefined, undefined],
  ])('reads %s', (text, minor, code) => {
    const found = amountsIn(`Amazon paid ${text} today.`);
    if (minor === undefined) expect(found).toEqual([]);
    else expect(found.map((a) => a.money)).toEqual([money(minor, code)]);
  });

  it('reads a bare "$" as the dollar the text is about, and any other currency as written', () => {
    expect(amountsIn('We reimbursed $55.99.', { about: currency('CAD') }).map((a) => a.money)).toEqual([money(5599, 'CAD')]);
    expect(amountsIn('We reimbursed $55.99.', { about: currency('AUD') }).map((a) => a.money)).toEqual([money(5599, 'AUD')]);
    // Not a dollar: "$" stays the US dollar; a named currency is the one named.
    expect(amountsIn('We reimbursed $55.99.', { about: currency('EUR') }).map((a) => a.money)).toEqual([money(5599, 'USD')]);
    expect(amountsIn('We reimbursed US$ 5.00 and USD 6.00.', { about: currency('CAD') }).map((a) => a.money)).toEqual([money(500, 'USD'), money(600, 'USD')]);
    // An Amazon.ca agent's approval, read for a case whose claims are in CAD.
    expect(readReply('Hello, we have reimbursed $55.99 for the lost units. Reimbursement ID: 5550002222.', 'lost_warehouse', currency('CAD')).amount).toEqual(money(5599, 'CAD'));
    expect(readReply('Approved. FNSKU X00CAD0001: $55.99 (reimbursement ID 5550002222)', 'lost_warehouse', currency('CAD')).items.map((i) => i.amount)).toEqual([money(5599, 'CAD')]);
  });

  it('reads nothing from numbers that are not money, nor parts of longer numbers', () => {
    expect(amountsIn('case 17412345678, 3 units, order 111-2223334-4445556, 2026-01-10')).toEqual([]);
    expect(amountsIn('$12.3456 and 1,234,56 USD')).toEqual([]);
  });

  it('reads any amount back exactly, however it is written', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CURRENCIES),
        fc.integer({ min: -99_999_999_999, max: 99_999_999_999 }),
        fc.record({
          place: fc.constantFrom('symbol-before', 'symbol-after', 'code-before', 'code-after'),
          groups: fc.constantFrom('none', 'en', 'de', 'fr', 'ch'),
          gap: fc.boolean(),
          trim: fc.boolean(),
        }),
        fc.constantFrom(['We reimbursed ', '.'], ['Amount: ', '\n'], ['(', ')'], ['', '']),
        (code, minor, style, [before, after]) => {
          const c = code as Currency;
          const written = write(minor, c, style);
          const found = amountsIn(`${before}${written}${after}`);
          expect(found.map((a) => a.money), written).toEqual([money(minor, c)]);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
