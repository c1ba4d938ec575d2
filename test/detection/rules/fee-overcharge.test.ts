import { describe, expect, it } from 'vitest';
import { ago, charge, feePreview, run } from '../support/rows.js';

describe('fee_overcharge', () => {
  it('sums the excess of fulfilment fees charged above the expected fee over the last 90 days', async () => {
    const claims = await run('fee_overcharge', {
      feePreview: [feePreview({ fee: '3.22', line: 2 })],
      financialEvents: [
        charge({ date: ago(80), fee: '3.50', line: 10 }),
        charge({ date: ago(40), fee: '7.00', qty: 2, line: 20 }), // 3.50 a unit
        charge({ date: ago(30), fee: '3.22', line: 30 }), // as expected
      ],
    });
    expect(claims).toEqual([
      {
        type: 'fee_overcharge',
        status: 'eligible',
        sku: 'SKU-1',
        fnsku: 'X001',
        asin: 'B001',
        quantity: 3,
        amount: { minor: 84, currency: 'USD' },
        deadline: ago(80 - 90),
        key: { sku: 'SKU-1' },
        sources: [
          { file: 'fees.tsv', line: 2 },
          { file: 'financial-events.json', line: 10 },
          { file: 'financial-events.json', line: 20 },
        ],
        filing: { event_date: ago(80) },
      },
    ]);
  });

  it('a fee within 1% of the expected fee is not an overcharge', async () => {
    const claims = await run('fee_overcharge', {
      feePreview: [feePreview({ fee: '10.00' })],
      financialEvents: [charge({ date: ago(10), fee: '10.10' }), charge({ date: ago(10), fee: '30.30', qty: 3 })],
    });
    expect(claims).toEqual([]);
    const justOver = await run('fee_overcharge', { feePreview: [feePreview({ fee: '10.00' })], financialEvents: [charge({ date: ago(10), fee: '10.11' })] });
    expect(justOver[0]?.amount).toEqual({ minor: 11, currency: 'USD' });
  });

  it('charges older than 90 days, or with no expected fee, are not claimed', async () => {
    const claims = await run('fee_overcharge', {
      feePreview: [feePreview({ fee: '3.00' })],
      financialEvents: [charge({ date: ago(91), fee: '9.00' }), charge({ date: ago(10), fee: '9.00', sku: 'OTHER' })],
    });
    expect(claims).toEqual([]);
  });

  it('compares fees only in the same currency, one claim per marketplace currency', async () => {
    const claims = await run('fee_overcharge', {
      feePreview: [feePreview({ fee: '3.00' }), feePreview({ fee: '4.00', currency: 'CAD' })],
      financialEvents: [charge({ date: ago(10), fee: '3.50' }), charge({ date: ago(10), fee: '4.50', currency: 'CAD' }), charge({ date: ago(10), fee: '9.00', currency: 'EUR' })],
    });
    expect(claims.map((c) => c.amount)).toEqual([
      { minor: 50, currency: 'CAD' },
      { minor: 50, currency: 'USD' },
    ]);
  });

  it('reads the charged fees from Finances 2024-06-19 transactions when there are no v0 financial events, and v0 wins when both exist', async () => {
    const fromTransactions = await run('fee_overcharge', {
      feePreview: [feePreview({ fee: '3.00' })],
      transactions: [charge({ date: ago(10), fee: '3.50', file: 'transactions.json', line: 5 })],
    });
    expect(fromTransactions.map((c) => [c.amount?.minor, c.sources.at(-1)])).toEqual([[50, { file: 'transactions.json', line: 5 }]]);
    const both = await run('fee_overcharge', {
      feePreview: [feePreview({ fee: '3.00' })],
      financialEvents: [charge({ date: ago(10), fee: '3.20' })],
      transactions: [charge({ date: ago(10), fee: '3.50', file: 'transactions.json' })],
    });
    expect(both.map((c) => c.amount?.minor)).toEqual([20]);
  });
});
